package io.livestage.token;

import io.quarkus.test.common.QuarkusTestResource;

import io.livestage.testing.kafka.KafkaTestResource;
import io.livestage.testing.livekit.LiveKitStubResource;
import io.livestage.testing.oidc.OidcTestResource;
import io.livestage.testing.postgres.PostgresTestResource;
import io.livestage.testing.service.SessionServiceResource;

/** Real infrastructure for every @QuarkusTest here: Kafka, PostgreSQL, JWT keys, session-service, LiveKit stub. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SessionServiceResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = LiveKitStubResource.class, restrictToAnnotatedClass = false)
public class TokenServiceTestResources {
}
