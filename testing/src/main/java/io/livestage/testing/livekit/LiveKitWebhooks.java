package io.livestage.testing.livekit;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * Webhook events as LiveKit emits them (livekit pkg/service/ioservice.go, pkg/telemetry), each with a fresh unique
 * {@code id} ({@code EV_...}) and {@code createdAt} (Unix seconds), ready for {@link LiveKitStub#sendWebhook}. Take
 * rooms and participants from the stub ({@link LiveKitStub#room}, {@link LiveKitStub#join}, {@link LiveKitStub#leave})
 * so the ids match what the API answers.
 */
public final class LiveKitWebhooks {

    public static final String ROOM_STARTED = "room_started";
    public static final String ROOM_FINISHED = "room_finished";
    public static final String PARTICIPANT_JOINED = "participant_joined";
    public static final String PARTICIPANT_LEFT = "participant_left";
    public static final String PARTICIPANT_CONNECTION_ABORTED = "participant_connection_aborted";
    public static final String TRACK_PUBLISHED = "track_published";
    public static final String TRACK_UNPUBLISHED = "track_unpublished";
    public static final String EGRESS_STARTED = "egress_started";
    public static final String EGRESS_UPDATED = "egress_updated";
    public static final String EGRESS_ENDED = "egress_ended";
    public static final String INGRESS_STARTED = "ingress_started";
    public static final String INGRESS_ENDED = "ingress_ended";

    private LiveKitWebhooks() {
    }

    /** An event builder with only {@code event}, a unique {@code id} and {@code createdAt} = now. */
    public static WebhookEvent.Builder event(String name) {
        return WebhookEvent.newBuilder()
                .setEvent(name)
                .setId(Ids.next(Ids.WEBHOOK_EVENT))
                .setCreatedAt(Instant.now().getEpochSecond());
    }

    public static WebhookEvent roomStarted(Room room) {
        return event(ROOM_STARTED).setRoom(room).build();
    }

    public static WebhookEvent roomFinished(Room room) {
        return event(ROOM_FINISHED).setRoom(room).build();
    }

    /** {@code participant_joined}; the participant's state is ACTIVE, as LiveKit reports it. */
    public static WebhookEvent participantJoined(Room room, ParticipantInfo participant) {
        return event(PARTICIPANT_JOINED).setRoom(room)
                .setParticipant(participant.toBuilder().setState(ParticipantInfo.State.ACTIVE)).build();
    }

    /** {@code participant_left} for a client that hung up (reason CLIENT_INITIATED). */
    public static WebhookEvent participantLeft(Room room, ParticipantInfo participant) {
        return participantLeft(room, participant, DisconnectReason.CLIENT_INITIATED);
    }

    /** {@code participant_left}; the participant's state is DISCONNECTED with the given reason. */
    public static WebhookEvent participantLeft(Room room, ParticipantInfo participant, DisconnectReason reason) {
        return event(PARTICIPANT_LEFT).setRoom(room)
                .setParticipant(participant.toBuilder().setState(ParticipantInfo.State.DISCONNECTED)
                        .setDisconnectReason(reason))
                .build();
    }

    public static WebhookEvent trackPublished(Room room, ParticipantInfo participant, TrackInfo track) {
        return event(TRACK_PUBLISHED).setRoom(room).setParticipant(participant).setTrack(track).build();
    }

    public static WebhookEvent trackUnpublished(Room room, ParticipantInfo participant, TrackInfo track) {
        return event(TRACK_UNPUBLISHED).setRoom(room).setParticipant(participant).setTrack(track).build();
    }

    /** {@code egress_started} (LiveKit sends only {@code egressInfo}, no room). */
    public static WebhookEvent egressStarted(EgressInfo egress) {
        return event(EGRESS_STARTED).setEgressInfo(egress).build();
    }

    /** {@code egress_updated} (status ACTIVE or ENDING). */
    public static WebhookEvent egressUpdated(EgressInfo egress) {
        return event(EGRESS_UPDATED).setEgressInfo(egress).build();
    }

    /** {@code egress_ended} (status COMPLETE, FAILED, ABORTED or LIMIT_REACHED). */
    public static WebhookEvent egressEnded(EgressInfo egress) {
        return event(EGRESS_ENDED).setEgressInfo(egress).build();
    }

    /**
     * An EgressInfo with a fresh {@code egress_id} ({@code EG_...}) for the room in the given status, timestamps in
     * Unix nanoseconds like LiveKit's: {@code started_at} unless STARTING, {@code ended_at} for COMPLETE, FAILED,
     * ABORTED and LIMIT_REACHED, {@code updated_at} always; FAILED gets an {@code error}.
     */
    public static EgressInfo egress(Room room, EgressStatus status) {
        return egress(room, Ids.next(Ids.EGRESS), status);
    }

    /** {@link #egress(Room, EgressStatus)} for a known egress id (to follow one egress through its statuses). */
    public static EgressInfo egress(Room room, String egressId, EgressStatus status) {
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        EgressInfo.Builder egress = EgressInfo.newBuilder()
                .setEgressId(egressId)
                .setRoomId(room.getSid())
                .setRoomName(room.getName())
                .setStatus(status)
                .setUpdatedAt(now);
        if (status != EgressStatus.EGRESS_STARTING) {
            egress.setStartedAt(now);
        }
        switch (status) {
            case EGRESS_COMPLETE, EGRESS_ABORTED, EGRESS_LIMIT_REACHED -> egress.setEndedAt(now);
            case EGRESS_FAILED -> egress.setEndedAt(now).setError("egress failed (LiveKit stub)");
            default -> {
            }
        }
        return egress.build();
    }

    /** The exact body LiveKit would post for the event ({@link LiveKitJson#webhook}). */
    public static String body(WebhookEvent event) {
        return LiveKitJson.webhook(event);
    }
}
