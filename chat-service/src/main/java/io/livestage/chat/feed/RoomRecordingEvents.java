package io.livestage.chat.feed;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.livestage.chat.ws.Frames;
import io.livestage.events.RecordingEvent;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;

/**
 * What recording-service's events do to a room here. Everyone in the room learns that it is being recorded (a
 * {@code recording} frame with {@code event: recording.started}, once per output); only the hosts and cohosts get the
 * {@code recording.ready} frame with the file's download link, or {@code recording.failed} with LiveKit's reason.
 * Pure, like {@link RoomSessionEvents}.
 */
@ApplicationScoped
public class RoomRecordingEvents {
    private final Frames frames;

    public RoomRecordingEvents(Frames frames) {
        this.frames = frames;
    }

    public List<RoomUpdate> onRecording(RecordingEvent event) {
        return switch (event) {
            case RecordingStarted started -> List.of(new RoomUpdate.ToRoom(frames.recordingStarted(started)));
            case RecordingCompleted completed -> List.of(new RoomUpdate.ToModerators(frames.recordingReady(completed,
                    downloadUrl(completed))));
            case RecordingFailed failed -> List.of(new RoomUpdate.ToModerators(frames.recordingFailed(failed)));
        };
    }

    /** recording-service's file endpoint, relative to the gateway (it checks who may download). */
    static String downloadUrl(RecordingCompleted completed) {
        return "/api/sessions/" + completed.sessionId() + "/recordings/" + completed.recordingId() + "/files/"
                + completed.format().name().toLowerCase(Locale.ROOT);
    }
}
