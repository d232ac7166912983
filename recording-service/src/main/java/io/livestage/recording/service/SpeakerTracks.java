package io.livestage.recording.service;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.recording.model.SessionInfo;

/**
 * The rules of per-speaker tracks, as pure functions: which LiveKit webhooks concern them and when a speaker's
 * microphone gets a track of its own in a recording. A speaker is a participant who publishes a microphone (LiveKit
 * only lets stage roles publish; token-service keeps the grants in step with the stage); egress and ingress
 * participants (LiveKit's own recorders and RTMP/WHIP inputs) are never speakers.
 */
public final class SpeakerTracks {
    static final String TRACK_PUBLISHED = "track_published";
    static final String TRACK_UNPUBLISHED = "track_unpublished";
    private static final Set<String> PARTICIPANT_GONE = Set.of("participant_left", "participant_connection_aborted");
    private static final Set<String> NOT_SPEAKERS = Set.of("EGRESS", "INGRESS");
    private static final String MICROPHONE = "MICROPHONE";

    /** What a webhook changes for the speaker tracks of session {@code session} (the LiveKit room). */
    public sealed interface Change {
        UUID session();
    }

    /** A speaker started publishing microphone track {@code trackSid}. */
    public record Published(UUID session, String trackSid, String identity, String name) implements Change {
    }

    /** Microphone track {@code trackSid} is no longer published: its track egress stops. */
    public record Unpublished(UUID session, String trackSid) implements Change {
    }

    /** Participant {@code identity} left the room: the track egresses of its microphones stop. */
    public record Left(UUID session, String identity) implements Change {
    }

    private SpeakerTracks() {
    }

    /** The change {@code webhook} makes, or empty when it does not concern speaker tracks. */
    public static Optional<Change> of(LiveKitWebhookReceived webhook) {
        UUID session = session(webhook);
        if (session == null || webhook.event() == null) {
            return Optional.empty();
        }
        LiveKitWebhookReceived.Participant participant = webhook.participant();
        LiveKitWebhookReceived.Track track = webhook.track();
        boolean microphone = track != null && MICROPHONE.equals(track.source()) && notBlank(track.sid());
        if (TRACK_PUBLISHED.equals(webhook.event())) {
            return microphone && speaker(participant)
                    ? Optional.of(new Published(session, track.sid(), participant.identity(), participant.name()))
                    : Optional.empty();
        }
        if (TRACK_UNPUBLISHED.equals(webhook.event())) {
            return microphone ? Optional.of(new Unpublished(session, track.sid())) : Optional.empty();
        }
        if (PARTICIPANT_GONE.contains(webhook.event()) && participant != null && notBlank(participant.identity())) {
            return Optional.of(new Left(session, participant.identity()));
        }
        return Optional.empty();
    }

    /**
     * Whether a speaker's published microphone is recorded on its own in {@code liveRecording} now: the session has
     * {@code speakerTracks} on, is live, and has a recording that is neither stopping nor ended.
     */
    public static boolean records(SessionInfo session, Optional<UUID> liveRecording) {
        return session != null && session.speakerTracks() && session.active() && liveRecording.isPresent();
    }

    /** A participant that may be a speaker: known, and not one of LiveKit's egress or ingress participants. */
    static boolean speaker(LiveKitWebhookReceived.Participant participant) {
        return participant != null && notBlank(participant.identity())
                && (participant.kind() == null || !NOT_SPEAKERS.contains(participant.kind()));
    }

    /** The session a webhook's room stands for (rooms are named by session id), or null. */
    static UUID session(LiveKitWebhookReceived webhook) {
        if (webhook.room() == null || webhook.room().name() == null) {
            return null;
        }
        try {
            return UUID.fromString(webhook.room().name());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean notBlank(String text) {
        return text != null && !text.isBlank();
    }
}
