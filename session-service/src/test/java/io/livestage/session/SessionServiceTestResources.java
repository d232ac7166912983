package io.livestage.session;

import io.quarkus.test.common.QuarkusTestResource;

import io.livestage.testing.kafka.KafkaTestResource;
import io.livestage.testing.oidc.OidcTestResource;
import io.livestage.testing.postgres.PostgresTestResource;

/** Real infrastructure for every @QuarkusTest of this module: Kafka broker, fresh PostgreSQL database, JWT keys. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OidcTestResource.class, restrictToAnnotatedClass = false)
public class SessionServiceTestResources {
}
