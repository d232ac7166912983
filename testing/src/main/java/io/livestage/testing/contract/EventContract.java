package io.livestage.testing.contract;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.livestage.events.CloudEventHeaders;
import io.livestage.events.EventType;
import io.livestage.testing.kafka.ReceivedEvent;

/**
 * Asserts that an event a service really emitted honours the public contract: CloudEvents headers present and
 * consistent, and data valid against the JSON Schema shipped in livestage-events (formats asserted).
 */
public final class EventContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(EventType.SCHEMA_BASE_URI, "classpath:schemas/")));
    private static final Map<EventType, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventContract() {
    }

    /** Fails with every violation listed when the event breaks its contract; returns its type otherwise. */
    public static EventType assertValid(ReceivedEvent event) {
        StringBuilder problems = new StringBuilder();
        for (String header : new String[] { CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID,
                CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE, CloudEventHeaders.SUBJECT, CloudEventHeaders.TIME,
                CloudEventHeaders.SEQUENCE, CloudEventHeaders.CONTENT_TYPE }) {
            if (event.header(header) == null) {
                problems.append("missing header ").append(header).append('\n');
            }
        }
        if (!CloudEventHeaders.SPEC_VERSION_VALUE.equals(event.header(CloudEventHeaders.SPEC_VERSION))) {
            problems.append("ce_specversion must be 1.0\n");
        }
        if (event.key() == null || !event.key().equals(event.subject())) {
            problems.append("Kafka key ").append(event.key()).append(" differs from ce_subject ")
                    .append(event.subject()).append('\n');
        }
        EventType type;
        try {
            type = EventType.fromTypeName(event.type());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("Event type not in the catalogue: " + event.type() + "\n" + problems);
        }
        if (!type.topic().equals(event.topic())) {
            problems.append("published on ").append(event.topic()).append(" but the catalogue says ")
                    .append(type.topic()).append('\n');
        }
        Set<ValidationMessage> violations = validate(type, event.json());
        violations.forEach(v -> problems.append("data: ").append(v.getMessage()).append('\n'));
        if (!problems.isEmpty()) {
            throw new AssertionError("Event " + event.type() + " " + event.id() + " breaks its contract:\n" + problems
                    + "data: " + event.dataAsString());
        }
        return type;
    }

    /** Schema violations of {@code data} for {@code type} (empty when valid). */
    public static Set<ValidationMessage> validate(EventType type, JsonNode data) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(type, t -> FACTORY.getSchema(SchemaLocation.of(t.schemaUri())));
        return schema.validate(data, OutputFormat.DEFAULT,
                (ExecutionContext ctx) -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true));
    }

    public static Set<ValidationMessage> validate(EventType type, String data) {
        try {
            return validate(type, JSON.readTree(data));
        } catch (IOException e) {
            throw new AssertionError("Event data is not JSON: " + data, e);
        }
    }
}
