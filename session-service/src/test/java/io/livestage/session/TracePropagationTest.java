package io.livestage.session;

import java.time.Duration;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.session.Api.audioRoom;
import static io.livestage.session.Api.newUser;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace of a request continues in the event it caused: the gateway's {@code traceparent} reaches session-service,
 * whose server span is written with the outbox row and sent by the relay as the event's {@code traceparent} header.
 */
@QuarkusTest
@TestProfile(TracePropagationTest.TracingOn.class)
class TracePropagationTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String GATEWAY_SPAN = "00f067aa0ba902b7";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.sampler", "always_on");
        }
    }

    @Test
    void theEventOfARequestCarriesTheRequestsTrace() {
        try (EventProbe events = Api.sessionEvents()) {
            String host = newUser("traced");
            String id = Api.as(host).header("traceparent", "00-" + TRACE_ID + "-" + GATEWAY_SPAN + "-01")
                    .body(audioRoom("Traced")).post("/api/sessions").then().statusCode(201).extract().path("id");

            ReceivedEvent created = events.await(e -> id.equals(e.subject()), Duration.ofSeconds(20));
            String traceparent = created.headers().get("traceparent");
            assertThat(traceparent).as("traceparent header of session.created").isNotNull();
            String[] parts = traceparent.split("-");
            assertThat(parts[0]).isEqualTo("00");
            assertThat(parts[1]).as("same trace as the request").isEqualTo(TRACE_ID);
            assertThat(parts[2]).as("the service's own span, a child of the gateway's").isNotEqualTo(GATEWAY_SPAN)
                    .hasSize(16);
        }
    }

    @Test
    void aRequestWithoutTraceStartsOneAndItsEventCarriesIt() {
        try (EventProbe events = Api.sessionEvents()) {
            String host = newUser("untraced");
            String id = Api.createdId(host, audioRoom("Untraced"));
            ReceivedEvent created = events.await(e -> id.equals(e.subject()), Duration.ofSeconds(20));
            assertThat(created.headers().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]")
                    .doesNotContain(TRACE_ID);
        }
    }
}
