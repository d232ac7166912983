package io.livestage.platform.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One trace across the outbox and Kafka: the change's span is written with its outbox row as a W3C {@code traceparent}
 * (the relay sends it as a Kafka header), and a consumer that acts on the event continues that trace in a span of its
 * own. Off (no spans, nothing written) while the OpenTelemetry SDK is disabled.
 */
@ApplicationScoped
public class EventTracing {
    /** The W3C trace context header, on every event whose change ran inside a span. */
    public static final String TRACEPARENT = "traceparent";

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    public EventTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("io.livestage.events");
    }

    /** The current span as a W3C {@code traceparent}, or null outside a (sampled or not) span. */
    public static String currentTraceparent() {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }

    /**
     * Starts a consumer span continuing the trace of the event in {@code headers} (or a new trace when it has none) and
     * makes it current until the returned handle is closed.
     */
    public ConsumerSpan consume(String name, Headers headers) {
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers,
                KAFKA_HEADERS);
        Span span = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
        return new ConsumerSpan(span, span.makeCurrent());
    }

    /** A consumer's span: close it when the event was handled; {@link #failed(Throwable)} first if it was not. */
    public record ConsumerSpan(Span span, Scope scope) implements AutoCloseable {
        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getMessage() == null ? error.getClass().getSimpleName()
                    : error.getMessage());
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }
}
