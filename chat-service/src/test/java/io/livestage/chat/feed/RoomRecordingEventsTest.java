package io.livestage.chat.feed;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.recording.RecordingTrigger;

import static org.assertj.core.api.Assertions.assertThat;

/** recording-service's events as a room's sockets get them: everyone learns of the start, moderators of the rest. */
class RoomRecordingEventsTest {
    private static final String SESSION = "0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00";
    private static final String RECORDING = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09";
    private static final Instant AT = Instant.parse("2026-11-21T18:00:02Z");

    private final RoomRecordingEvents events = new RoomRecordingEvents(FrameJson.FRAMES);

    @Test
    void everyoneIsToldTheRoomIsBeingRecorded() {
        List<RoomUpdate> updates = events.onRecording(new RecordingStarted(RECORDING, SESSION, "EG_a",
                RecordingFormat.MP3, RecordingTrigger.AUTO, AT));
        assertThat(updates).singleElement().isInstanceOf(RoomUpdate.ToRoom.class);
        JsonNode frame = FrameJson.read(((RoomUpdate.ToRoom) updates.get(0)).frame());
        assertThat(frame.path("type").asText()).isEqualTo("recording");
        assertThat(frame.path("event").asText()).isEqualTo("recording.started");
        assertThat(frame.path("recordingId").asText()).isEqualTo(RECORDING);
        assertThat(frame.path("format").asText()).isEqualTo("MP3");
        assertThat(frame.path("trigger").asText()).isEqualTo("AUTO");
        assertThat(frame.path("startedAt").asText()).isEqualTo("2026-11-21T18:00:02Z");
    }

    @Test
    void theReadyFileAndItsDownloadLinkGoToModeratorsOnly() {
        List<RoomUpdate> updates = events.onRecording(new RecordingCompleted(RECORDING, SESSION, "EG_a",
                RecordingFormat.MP4, "video/mp4", "/out/x.mp4", 28_720_000, 1_795_000, AT, AT.plusSeconds(1795)));
        assertThat(updates).singleElement().isInstanceOf(RoomUpdate.ToModerators.class);
        JsonNode frame = FrameJson.read(((RoomUpdate.ToModerators) updates.get(0)).frame());
        assertThat(frame.path("event").asText()).isEqualTo("recording.ready");
        assertThat(frame.path("format").asText()).isEqualTo("MP4");
        assertThat(frame.path("durationMillis").asLong()).isEqualTo(1_795_000);
        assertThat(frame.path("sizeBytes").asLong()).isEqualTo(28_720_000);
        assertThat(frame.path("downloadUrl").asText())
                .isEqualTo("/api/sessions/" + SESSION + "/recordings/" + RECORDING + "/files/mp4");
        assertThat(frame.has("location")).as("the storage path stays inside recording-service").isFalse();
    }

    @Test
    void aFailureAndItsReasonGoToModeratorsOnly() {
        List<RoomUpdate> updates = events.onRecording(new RecordingFailed(RECORDING, SESSION, "EG_a",
                RecordingFormat.MP3, "egress EG_a ended EGRESS_FAILED: no tracks", "EGRESS_FAILED", AT));
        assertThat(updates).singleElement().isInstanceOf(RoomUpdate.ToModerators.class);
        JsonNode frame = FrameJson.read(((RoomUpdate.ToModerators) updates.get(0)).frame());
        assertThat(frame.path("event").asText()).isEqualTo("recording.failed");
        assertThat(frame.path("reason").asText()).isEqualTo("egress EG_a ended EGRESS_FAILED: no tracks");
    }
}
