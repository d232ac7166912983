package io.livestage.events;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import io.livestage.events.analytics.SessionStats;
import io.livestage.events.analytics.SessionStatsRecorded;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatModerationAction;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.StageRequestStatus;

import static org.assertj.core.api.Assertions.assertThat;

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
        return schema(type).validate(payload, OutputFormat.DEFAULT,
                (Consumer<ExecutionContext>) ctx -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true));
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
    void recordingSchemasRejectInconsistentPayloads() {
        String recording = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-11-21T19:00:00Z");
        ObjectNode statusWithoutEgress = JSON.valueToTree(new RecordingFailed(recording, session, null,
                RecordingFormat.MP3, "failed", "EGRESS_FAILED", at));
        assertThat(validate(EventType.RECORDING_FAILED, statusWithoutEgress)).as("a LiveKit status names its egress")
                .isNotEmpty();
        ObjectNode notALiveKitFailure = JSON.valueToTree(new RecordingFailed(recording, session, "EG_1",
                RecordingFormat.MP3, "done", "EGRESS_COMPLETE", at));
        assertThat(validate(EventType.RECORDING_FAILED, notALiveKitFailure)).as("COMPLETE is no failure").isNotEmpty();
        ObjectNode negativeSize = JSON.valueToTree(new RecordingCompleted(recording, session, "EG_1",
                RecordingFormat.MP3, "audio/mpeg", "/out/a.mp3", -1, 1000, at, at));
        assertThat(validate(EventType.RECORDING_COMPLETED, negativeSize)).as("sizes are not negative").isNotEmpty();
        ObjectNode oggFile = JSON.valueToTree(new RecordingCompleted(recording, session, "EG_1", RecordingFormat.MP3,
                "audio/ogg", "/out/a.ogg", 1, 1000, at, at));
        assertThat(validate(EventType.RECORDING_COMPLETED, oggFile)).as("MP3 or MP4 only").isNotEmpty();
    }

    @Test
    void podcastSchemasRejectInconsistentPayloads() {
        String episode = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-11-21T20:15:00Z");
        ObjectNode badSpace = JSON.valueToTree(new PodcastPublished(episode, session, UUID.randomUUID().toString(),
                "u-alice", "Not A Slug", "Episode", EpisodeVisibility.PUBLIC, 1, 1000, at));
        assertThat(validate(EventType.PODCAST_PUBLISHED, badSpace)).as("a space is a slug").isNotEmpty();
        ObjectNode noSpace = JSON.valueToTree(new PodcastPublished(episode, session, UUID.randomUUID().toString(),
                "u-alice", null, "Episode", EpisodeVisibility.UNLISTED, 1, 1000, at));
        assertThat(validate(EventType.PODCAST_PUBLISHED, noSpace)).as("the space is optional").isEmpty();
        ObjectNode negativeBytes = JSON.valueToTree(new PodcastPublished(episode, session,
                UUID.randomUUID().toString(), "u-alice", null, "Episode", EpisodeVisibility.PUBLIC, -1, 1000, at));
        assertThat(validate(EventType.PODCAST_PUBLISHED, negativeBytes)).as("sizes are not negative").isNotEmpty();
    }

    @Test
    void analyticsSchemasRejectInconsistentPayloads() {
        SessionStats stats = EventSamples.finalStats(UUID.randomUUID().toString());
        ObjectNode recorded = JSON.valueToTree(new SessionStatsRecorded(stats));
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, recorded)).isEmpty();

        SessionStats.Audience audience = stats.audience();
        SessionStats.Audience nobody = new SessionStats.Audience(0, 0, null, 0, 0, 0, 0, 0, List.of(), List.of(),
                audience.concurrencyPerMinute().stream().map(p -> new SessionStats.Point(p.minute(), 0)).toList());
        SessionStats unknownSession = new SessionStats(stats.sessionId(), null, stats.hostId(), null, null,
                stats.endedAt(), false, 0, nobody, new SessionStats.Chat(0, 0, List.of()),
                new SessionStats.Reactions(0, Map.of(), 0), new SessionStats.Stage(0, 0, 0, 0, 0, 0,
                        List.of(new SessionStats.Speaker("u-alice", null, 0, 0))), 2);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, JSON.valueToTree(new SessionStatsRecorded(unknownSession))))
                .as("title, space, startedAt, peakAt and a speaker's name may be null").isEmpty();

        ObjectNode live = recorded.deepCopy();
        ((ObjectNode) live.get("stats")).put("live", true);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, live)).as("the event carries final statistics")
                .isNotEmpty();
        ObjectNode revisionZero = recorded.deepCopy();
        ((ObjectNode) revisionZero.get("stats")).put("revision", 0);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, revisionZero)).as("revision 0 is a live answer")
                .isNotEmpty();
        ObjectNode stillWatching = recorded.deepCopy();
        ((ObjectNode) stillWatching.get("stats").get("audience")).put("concurrent", 2);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, stillWatching)).as("nobody watches an ended session")
                .isNotEmpty();
        ObjectNode region = recorded.deepCopy();
        ((ObjectNode) region.get("stats").get("audience").get("topRegions").get(0)).put("name", "Germany");
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, region)).as("a region is a country code").isNotEmpty();
        ObjectNode midMinute = recorded.deepCopy();
        ((ObjectNode) midMinute.get("stats").get("chat").get("perMinute").get(0)).put("minute", "2026-11-21T18:00:30Z");
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, midMinute)).as("a point starts a minute").isNotEmpty();
        ObjectNode share = recorded.deepCopy();
        ((ObjectNode) share.get("stats").get("stage").get("talkTime").get(0)).put("share", 1.5);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, share)).as("a share is at most 1").isNotEmpty();
        ObjectNode negative = recorded.deepCopy();
        ((ObjectNode) negative.get("stats").get("reactions")).put("total", -1);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, negative)).as("counts are not negative").isNotEmpty();
        ObjectNode noSession = recorded.deepCopy();
        ((ObjectNode) noSession.get("stats")).put("sessionId", "session-1");
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, noSession)).as("the session id is a UUID").isNotEmpty();
        ObjectNode extra = recorded.deepCopy();
        ((ObjectNode) extra.get("stats").get("chat")).put("surprise", 1);
        assertThat(validate(EventType.ANALYTICS_SESSION_STATS, extra)).as("closed schema").isNotEmpty();
    }

    @Test
    void everyEventTypeHasASampleAndItsRecordSerialisesToValidJson() {
        Map<EventType, Object> samples = EventSamples.samples();
        assertThat(samples.keySet()).containsExactlyInAnyOrder(EventType.values());
        samples.forEach((type, payload) -> {
            assertThat(EventType.forPayload(payload.getClass())).isEqualTo(type);
            assertThat(validate(type, JSON.valueToTree(payload))).as(type.typeName()).isEmpty();
        });
    }

    @Test
    void stageSchemasRejectInconsistentPayloads() {
        ObjectNode approved = JSON.valueToTree(new GuestApproved(EventSamples.request(StageRequestStatus.APPROVED),
                EventSamples.participant(ParticipantRole.VIEWER, null), false));
        assertThat(validate(EventType.GUEST_APPROVED, approved)).as("approved guest must be a GUEST").isNotEmpty();
        ObjectNode joined = JSON.valueToTree(new ParticipantJoined(EventSamples.participant(ParticipantRole.VIEWER, Instant.now()), true));
        assertThat(validate(EventType.PARTICIPANT_JOINED, joined)).as("a joined participant has not left").isNotEmpty();
        ObjectNode left = JSON.valueToTree(new ParticipantLeft(EventSamples.participant(ParticipantRole.VIEWER, null), "LEFT"));
        assertThat(validate(EventType.PARTICIPANT_LEFT, left)).as("a participant that left has leftAt").isNotEmpty();
    }

    @Test
    void schemasRejectPayloadsThatBreakTheContract() {
        ObjectNode started = JSON.valueToTree(new SessionStarted(EventSamples.snapshot(SessionStatus.ACTIVE)));
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
    void speakerTracksIsAnAdditiveSetting() throws IOException {
        ObjectNode started = JSON.valueToTree(new SessionStarted(EventSamples.snapshot(SessionStatus.ACTIVE)));
        ObjectNode settings = (ObjectNode) started.get("session").get("settings");
        assertThat(settings.get("speakerTracks").asBoolean()).isFalse();

        ObjectNode before = started.deepCopy();
        ((ObjectNode) before.get("session").get("settings")).remove("speakerTracks");
        assertThat(validate(EventType.SESSION_STARTED, before)).as("events from before the setting").isEmpty();
        assertThat(JSON.treeToValue(before, SessionStarted.class).session().settings().speakerTracks()).isFalse();

        ObjectNode on = started.deepCopy();
        ((ObjectNode) on.get("session").get("settings")).put("speakerTracks", true);
        assertThat(validate(EventType.SESSION_STARTED, on)).isEmpty();
        assertThat(JSON.treeToValue(on, SessionStarted.class).session().settings().speakerTracks()).isTrue();

        ObjectNode wrongType = started.deepCopy();
        ((ObjectNode) wrongType.get("session").get("settings")).put("speakerTracks", "yes");
        assertThat(validate(EventType.SESSION_STARTED, wrongType)).isNotEmpty();
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
                Arrays.stream(EventType.values()).map(EventType::typeName).toArray(String[]::new));

        for (EventType type : EventType.values()) {
            JsonNode message = messages.path(key(type));
            List<String> addresses = doc.path("channels").properties().stream()
                    .filter(c -> c.getValue().path("messages").has(key(type)))
                    .map(c -> c.getValue().path("address").asText()).toList();
            // the ordered aggregate topic and the topic named like the event (ADR 0006), nothing else
            assertThat(addresses).as("channels carrying " + type).containsExactlyInAnyOrder(type.topic(),
                    TypeTopics.of(type));
            assertThat(doc.path("components").path("schemas").path(message.path("payload").path("$ref").asText()
                    .replace("#/components/schemas/", "")).path("$ref").asText())
                    .isEqualTo("../schemas/" + type.typeName() + ".json");
            JsonNode example = message.path("examples").get(0);
            assertThat(example.path("headers").path("ce_type").asText()).isEqualTo(type.typeName());
            assertThat(validate(type, JSON.valueToTree(example.path("payload")))).as("example of " + type).isEmpty();
        }
    }
}
