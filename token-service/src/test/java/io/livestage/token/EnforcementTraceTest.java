package io.livestage.token;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.ReceivedEvent;

import static io.livestage.token.Sessions.live;
import static io.livestage.token.Sessions.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trace an event carries reaches LiveKit: session-service's {@code traceparent} on {@code session.started} is
 * continued by the enforcer's consumer span, under which the CreateRoom call to LiveKit is a client span.
 */
@QuarkusTest
@TestProfile(EnforcementTraceTest.TracingOn.class)
class EnforcementTraceTest {
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PRODUCER_SPAN = "b7ad6b7169203331";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.sampler", "always_on",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theLiveKitCallOfAnEventIsInTheEventsTrace() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        ReceivedEvent started;
        try (EventProbe events = EventProbe.from(bootstrap, Topics.SESSION)) {
            String id = live(user("host"), Map.of("title", "Traced", "kind", "AUDIO")).path("id");
            started = events.await(e -> id.equals(e.subject()) && "session.started".equals(e.type()),
                    Duration.ofSeconds(20));
        }
        // the same event as session-service would publish it with tracing on: a fresh id, the producer's traceparent
        RecordHeaders headers = new RecordHeaders();
        started.headers().forEach((name, value) -> headers.add(name,
                ("ce_id".equals(name) ? UUID.randomUUID().toString() : value).getBytes(StandardCharsets.UTF_8)));
        headers.add("traceparent", ("00-" + TRACE_ID + "-" + PRODUCER_SPAN + "-01").getBytes(StandardCharsets.UTF_8));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.SESSION, null, started.key(), started.data(), headers)).get();
        }

        SpanData call = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                () -> spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getTraceId().equals(TRACE_ID))
                        .filter(s -> s.getName().equals("LiveKit RoomService/CreateRoom")).findFirst().orElse(null),
                s -> s != null);
        List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE_ID))
                .toList();
        SpanData consumer = trace.stream().filter(s -> s.getSpanId().equals(call.getParentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("the LiveKit call's parent is not in the trace: " + trace));
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(consumer.getName()).isEqualTo("enforce session.started");
        assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(consumer.getParentSpanId()).as("continues the producer's span").isEqualTo(PRODUCER_SPAN);
    }
}
