package io.livestage.chat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import io.livestage.testing.kafka.KafkaTestResource;
import io.livestage.testing.oidc.OidcTestResource;
import io.livestage.testing.postgres.PostgresTestResource;
import io.livestage.testing.service.SessionServiceResource;

/**
 * Real infrastructure for every @QuarkusTest here: Kafka, PostgreSQL, JWT keys, and session-service running as a
 * process, whose events are what chat-service projects and turns into frames.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, initArgs = @ResourceArg(
        name = KafkaTestResource.TOPICS_ARG, value = "livestage.session:6,livestage.chat:6,livestage.chat.presence:6"))
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false,
        initArgs = @ResourceArg(name = PostgresTestResource.PREFIX_ARG, value = "chat"))
@QuarkusTestResource(value = OidcTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SessionServiceResource.class, restrictToAnnotatedClass = false)
public class ChatServiceTestResources {
}
