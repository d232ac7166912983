package io.livestage.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatModerationAction;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ChatSettingsSnapshot;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantMuted;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.participant.ParticipantUnmuteRequested;
import io.livestage.events.session.SessionCancelled;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.session.SessionVisibility;

/** The catalogue, the JSON Schemas, the records and the AsyncAPI document agree with each other. */
class EventCatalogueTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(EventType.SCHEMA_BASE_URI, "classpath:schemas/")));

    private static String key(EventType type) {
        return type.typeName().replace('.', '_').replace('-', '_');
    }

    private static JsonSchema schema(EventType type) {
        return SCHEMAS.getSchema(SchemaLocation.of(type.schemaUri()));
    }

    private static Set<ValidationMessage> validate(EventType type, JsonNode payload) {
        return schema(type).validate(payload, com.networknt.schema.OutputFormat.DEFAULT,
                (java.util.function.Consumer<com.networknt.schema.ExecutionContext>) ctx -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true));
    }

    private static SessionSnapshot snapshot(SessionStatus status) {
        Instant now = Instant.parse("2026-11-21T18:00:00Z");
        return new SessionSnapshot(UUID.randomUUID().toString(), "k3v9q2xa", "Friday AMA", null, "alice", null,
                SessionKind.VIDEO, SessionVisibility.UNLISTED, status, null,
                status == SessionStatus.ACTIVE || status == SessionStatus.ENDED ? now : null,
                status == SessionStatus.ENDED ? now.plusSeconds(60) : null, now.minusSeconds(60),
                new SessionSettings(100, true, true, 6, true, true, true, false, false, true));
    }

    private static ParticipantSnapshot participant(ParticipantRole role, Instant leftAt) {
        return new ParticipantSnapshot("u-bob", "u-bob", "Bob", role, SessionKind.AUDIO, false, false,
                Instant.parse("2026-11-21T18:00:00Z"), leftAt, 12);
    }

    private static StageRequestSnapshot request(StageRequestStatus status) {
        boolean decided = status != StageRequestStatus.PENDING;
        return new StageRequestSnapshot(UUID.randomUUID().toString(), "u-bob", "u-bob", "Bob", status, 40, 0,
                Instant.parse("2026-11-21T18:01:00Z"), decided ? Instant.parse("2026-11-21T18:02:00Z") : null,
                decided ? "u-alice" : null);
    }

    private static Map<EventType, Object> samples() {
        Instant left = Instant.parse("2026-11-21T18:30:00Z");
        Map<EventType, Object> samples = new java.util.EnumMap<>(EventType.class);
        samples.put(EventType.PARTICIPANT_JOINED, new ParticipantJoined(participant(ParticipantRole.VIEWER, null), false));
        samples.put(EventType.PARTICIPANT_LEFT, new ParticipantLeft(participant(ParticipantRole.GUEST, left), "LEFT"));
        samples.put(EventType.PARTICIPANT_ROLE_CHANGED,
                new ParticipantRoleChanged(participant(ParticipantRole.COHOST, null), ParticipantRole.GUEST, "u-alice"));
        samples.put(EventType.PARTICIPANT_MUTED, new ParticipantMuted(participant(ParticipantRole.GUEST, null), true, false, "u-alice"));
        samples.put(EventType.PARTICIPANT_MEDIA_CHANGED,
                new ParticipantMediaChanged(participant(ParticipantRole.GUEST, null), "MICROPHONE"));
        samples.put(EventType.PARTICIPANT_UNMUTE_REQUESTED,
                new ParticipantUnmuteRequested(participant(ParticipantRole.GUEST, null), true, false, "u-alice"));
        samples.put(EventType.PARTICIPANT_REMOVED, new ParticipantRemoved(participant(ParticipantRole.VIEWER, left), "u-alice"));
        samples.put(EventType.GUEST_REQUESTED, new GuestRequested(request(StageRequestStatus.PENDING), 1));
        samples.put(EventType.GUEST_APPROVED, new GuestApproved(request(StageRequestStatus.APPROVED),
                participant(ParticipantRole.GUEST, null), false));
        samples.put(EventType.GUEST_REJECTED, new GuestRejected(request(StageRequestStatus.REJECTED)));
        samples.put(EventType.GUEST_WITHDRAWN, new GuestWithdrawn(request(StageRequestStatus.WITHDRAWN)));
        samples.put(EventType.LIVEKIT_WEBHOOK, new LiveKitWebhookReceived("participant_joined", "EV_1",
                Instant.parse("2026-11-21T18:00:00Z"), new LiveKitWebhookReceived.Room("RM_1", "room-1"),
                new LiveKitWebhookReceived.Participant("PA_1", "u-bob", "Bob", "ACTIVE", "STANDARD"), null, null, null));
        samples.putAll(sessionSamples());
        samples.putAll(chatSamples());
        Instant spoken = Instant.parse("2026-11-21T18:12:01.250Z");
        samples.put(EventType.TRANSCRIPT_SEGMENT, new TranscriptSegment(UUID.randomUUID().toString(), "u-alice",
                "Alice Host", "45463597-20b7-4af7-b3b3-f5fb778203ab", "00_00000003", "Welcome to the show", true,
                spoken, spoken.plusMillis(1400), "en", 0.93,
                List.of(new TranscriptSegment.Word("Welcome", spoken, spoken.plusMillis(400), 0.95))));
        return samples;
    }

    private static Map<EventType, Object> sessionSamples() {
        return Map.of(
                EventType.SESSION_CREATED, new SessionCreated(snapshot(SessionStatus.SCHEDULED)),
                EventType.SESSION_UPDATED, new SessionUpdated(snapshot(SessionStatus.ACTIVE), List.of("title")),
                EventType.SESSION_STARTED, new SessionStarted(snapshot(SessionStatus.ACTIVE)),
                EventType.SESSION_ENDED, new SessionEnded(snapshot(SessionStatus.ENDED), 60),
                EventType.SESSION_CANCELLED, new SessionCancelled(snapshot(SessionStatus.CANCELLED)),
                EventType.SESSION_DELETED, new SessionDeleted(snapshot(SessionStatus.ENDED)));
    }

    private static Map<EventType, Object> chatSamples() {
        String session = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-11-21T18:10:00Z");
        return Map.of(
                EventType.CHAT_MESSAGE, new ChatMessagePosted(UUID.randomUUID().toString(), 42, session,
                        new ChatAuthor("u-bob", "Bob", ParticipantRole.VIEWER), "Great question!", "c-1", at),
                EventType.CHAT_REACTION, new ChatReactionBurst(session, at, at.plusMillis(500),
                        Map.of("heart", 17L, "fire", 4L), 21),
                EventType.CHAT_MODERATED, new ChatModerated(UUID.randomUUID().toString(), session,
                        ChatModerationAction.SETTINGS_CHANGED, "u-alice", null, null, null, null, null,
                        new ChatSettingsSnapshot(10, false, false, 2), at),
                EventType.VIEWER_PRESENCE, new ViewerPresence(session, UUID.randomUUID().toString(),
                        ViewerPresence.PresenceChange.LEFT, null, true, ParticipantRole.VIEWER, "desktop", null, at, 30L));
    }

    @Test
    void chatSchemasRejectInconsistentPayloads() {
        String session = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-11-21T18:10:00Z");
        ObjectNode deleteWithoutMessage = JSON.valueToTree(new ChatModerated(UUID.randomUUID().toString(), session,
                ChatModerationAction.MESSAGE_DELETED, "u-alice", null, null, null, null, null, null, at));
        assertThat(validate(EventType.CHAT_MODERATED, deleteWithoutMessage)).as("a deletion names the message").isNotEmpty();
        ObjectNode timeoutWithoutUntil = JSON.valueToTree(new ChatModerated(UUID.randomUUID().toString(), session,
                ChatModerationAction.USER_TIMED_OUT, "u-alice", "u-bob", null, 60L, null, null, null, at));
        assertThat(validate(EventType.CHAT_MODERATED, timeoutWithoutUntil)).as("a timeout has an end").isNotEmpty();
        ObjectNode anonymousWithUser = JSON.valueToTree(new ViewerPresence(session, "c1",
                ViewerPresence.PresenceChange.JOINED, "u-bob", true, ParticipantRole.VIEWER, "mobile", "DE", at, null));
        assertThat(validate(EventType.VIEWER_PRESENCE, anonymousWithUser)).as("anonymous has no user id").isNotEmpty();
        ObjectNode longText = JSON.valueToTree(new ChatMessagePosted(UUID.randomUUID().toString(), 1, session,
                new ChatAuthor("u-bob", "Bob", ParticipantRole.VIEWER), "x".repeat(501), "c-1", at));
        assertThat(validate(EventType.CHAT_MESSAGE, longText)).as("500 characters at most").isNotEmpty();
        ObjectNode emptyBurst = JSON.valueToTree(new ChatReactionBurst(session, at, at, Map.of(), 0));
        assertThat(validate(EventType.CHAT_REACTION, emptyBurst)).as("a burst counts something").isNotEmpty();
    }

    @Test
    void everyEventTypeHasASampleAndItsRecordSerialisesToValidJson() {
        Map<EventType, Object> samples = samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrder(EventType.values());
        samples.forEach((type, payload) -> {
            assertThat(EventType.forPayload(payload.getClass())).isEqualTo(type);
            assertThat(validate(type, JSON.valueToTree(payload))).as(type.typeName()).isEmpty();
        });
    }

    @Test
    void stageSchemasRejectInconsistentPayloads() {
        ObjectNode approved = JSON.valueToTree(new GuestApproved(request(StageRequestStatus.APPROVED),
                participant(ParticipantRole.VIEWER, null), false));
        assertThat(validate(EventType.GUEST_APPROVED, approved)).as("approved guest must be a GUEST").isNotEmpty();
        ObjectNode joined = JSON.valueToTree(new ParticipantJoined(participant(ParticipantRole.VIEWER, Instant.now()), true));
        assertThat(validate(EventType.PARTICIPANT_JOINED, joined)).as("a joined participant has not left").isNotEmpty();
        ObjectNode left = JSON.valueToTree(new ParticipantLeft(participant(ParticipantRole.VIEWER, null), "LEFT"));
        assertThat(validate(EventType.PARTICIPANT_LEFT, left)).as("a participant that left has leftAt").isNotEmpty();
    }

    @Test
    void schemasRejectPayloadsThatBreakTheContract() {
        ObjectNode started = JSON.valueToTree(new SessionStarted(snapshot(SessionStatus.ACTIVE)));
        assertThat(validate(EventType.SESSION_STARTED, started)).isEmpty();

        ObjectNode wrongStatus = started.deepCopy();
        ((ObjectNode) wrongStatus.get("session")).put("status", "SCHEDULED");
        assertThat(validate(EventType.SESSION_STARTED, wrongStatus)).isNotEmpty();

        ObjectNode tooManyGuests = started.deepCopy();
        ((ObjectNode) tooManyGuests.get("session").get("settings")).put("maxGuests", 21);
        assertThat(validate(EventType.SESSION_STARTED, tooManyGuests)).isNotEmpty();

        ObjectNode unknownField = started.deepCopy();
        unknownField.put("surprise", true);
        assertThat(validate(EventType.SESSION_STARTED, unknownField)).isNotEmpty();

        ObjectNode badTime = started.deepCopy();
        ((ObjectNode) badTime.get("session")).put("createdAt", "yesterday");
        assertThat(validate(EventType.SESSION_STARTED, badTime)).isNotEmpty();
    }

    @Test
    void asyncApiDocumentsEveryEventWithAnExampleThatValidates() throws IOException {
        JsonNode doc;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("asyncapi/livestage.asyncapi.yaml")) {
            assertThat(in).as("asyncapi document on the classpath").isNotNull();
            doc = YAML.readTree(in);
        }
        assertThat(doc.path("asyncapi").asText()).isEqualTo("3.0.0");
        JsonNode messages = doc.path("components").path("messages");
        List<String> documented = new ArrayList<>();
        messages.properties().forEach(e -> documented.add(e.getValue().path("name").asText()));
        assertThat(documented).containsExactlyInAnyOrder(
                java.util.Arrays.stream(EventType.values()).map(EventType::typeName).toArray(String[]::new));

        for (EventType type : EventType.values()) {
            JsonNode message = messages.path(key(type));
            JsonNode channel = doc.path("channels").properties().stream()
                    .filter(c -> c.getValue().path("messages").has(key(type)))
                    .findFirst().orElseThrow(() -> new AssertionError("no channel carries " + type)).getValue();
            assertThat(channel.path("address").asText()).isEqualTo(type.topic());
            assertThat(doc.path("components").path("schemas").path(message.path("payload").path("$ref").asText()
                    .replace("#/components/schemas/", "")).path("$ref").asText())
                    .isEqualTo("../schemas/" + type.typeName() + ".json");
            JsonNode example = message.path("examples").get(0);
            assertThat(example.path("headers").path("ce_type").asText()).isEqualTo(type.typeName());
            assertThat(validate(type, JSON.valueToTree(example.path("payload")))).as("example of " + type).isEmpty();
        }
    }
}
