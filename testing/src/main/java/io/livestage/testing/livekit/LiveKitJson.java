package io.livestage.testing.livekit;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * The two JSON encodings of LiveKit's protobuf messages that cross the wire, reproduced with protobuf-java-util's
 * {@link JsonFormat} (the same library the official Java SDK's {@code WebhookReceiver} parses with).
 * <ul>
 * <li>{@link #twirp}: a Twirp JSON response, as LiveKit's generated Twirp server writes it
 * ({@code protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}}, livekit_room.twirp.go): snake_case
 * proto field names, every field without presence emitted with its default, unset singular message fields as
 * {@code null}, int64 as strings, enums as names, fields in declaration order.</li>
 * <li>{@link #webhook}: a webhook body, as LiveKit's notifier writes it ({@code protojson.Marshal}, protocol
 * webhook/resource_url_notifier.go): lowerCamelCase JSON names, zero values omitted, int64 as strings. Go's protojson
 * deliberately varies insignificant whitespace between builds; this writes none. Receivers must hash the raw bytes
 * they got, never a re-serialisation.</li>
 * </ul>
 * {@link #parse} accepts both naming styles (and ignores unknown fields), like the server's
 * {@code protojson.UnmarshalOptions{DiscardUnknown: true}}.
 */
public final class LiveKitJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonFormat.Printer TWIRP_PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Printer WEBHOOK_PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private LiveKitJson() {
    }

    /** The message as LiveKit's Twirp server answers {@code application/json} requests. */
    public static String twirp(Message message) {
        return twirpTree(message).toString();
    }

    /** {@link #twirp} as a Jackson tree. */
    public static ObjectNode twirpTree(Message message) {
        try {
            ObjectNode printed = (ObjectNode) MAPPER.readTree(TWIRP_PRINTER.print(message));
            return goStyle(message, printed);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /** The message as LiveKit's webhook notifier posts it. */
    public static String webhook(Message message) {
        try {
            return WEBHOOK_PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
        }
    }

    /** Parses protojson (snake_case or camelCase names, unknown fields ignored) into the builder's message type. */
    public static <B extends Message.Builder> B parse(String json, B builder) throws InvalidProtocolBufferException {
        PARSER.merge(json, builder);
        return builder;
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reorders Java's output into declaration order and adds Go's {@code null} for unset singular message fields
     * outside oneofs (Go's EmitUnpopulated does that; Java's alwaysPrintFieldsWithNoPresence omits them).
     */
    private static ObjectNode goStyle(Message message, ObjectNode printed) {
        ObjectNode out = MAPPER.createObjectNode();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            String name = field.getName();
            JsonNode value = printed.get(name);
            boolean plainMessage = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                    && !field.getMessageType().getFullName().startsWith("google.protobuf.");
            if (field.isMapField()) {
                if (value != null) {
                    out.set(name, value);
                }
            } else if (field.isRepeated()) {
                if (value instanceof ArrayNode array && plainMessage) {
                    ArrayNode converted = MAPPER.createArrayNode();
                    for (int i = 0; i < array.size(); i++) {
                        converted.add(goStyle((Message) message.getRepeatedField(field, i), (ObjectNode) array.get(i)));
                    }
                    out.set(name, converted);
                } else if (value != null) {
                    out.set(name, value);
                }
            } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (message.hasField(field)) {
                    out.set(name, plainMessage && value instanceof ObjectNode object
                            ? goStyle((Message) message.getField(field), object)
                            : value);
                } else if (field.getContainingOneof() == null) {
                    out.putNull(name);
                }
            } else if (value != null) {
                out.set(name, value);
            }
        }
        return out;
    }
}
