package io.livestage.session.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.stage.StageRequestStatus;
import io.livestage.session.Invite;
import io.livestage.session.Participant;
import io.livestage.session.StageRequest;
import io.livestage.session.service.QueueEntry;

/** Request and response bodies of the participants, stage and invites API. */
final class StageDtos {
    private StageDtos() {
    }

    @Schema(description = "Joining a session: the display name others see.")
    record JoinRequest(@Schema(example = "Bob") @NotBlank @Size(max = 100) String name) {
    }

    record ParticipantResponse(String identity, String userId, String name, ParticipantRole role, boolean onStage,
            boolean audioMuted, boolean videoMuted, Instant joinedAt, Instant leftAt, long speakingSeconds) {
        static ParticipantResponse of(Participant p) {
            return new ParticipantResponse(p.identity, p.userId, p.name, p.role, p.role.onStage() && p.isPresent(),
                    p.audioMuted, p.videoMuted, p.joinedAt, p.leftAt, p.speakingSecondsAt(Instant.now()));
        }
    }

    @Schema(description = "The session as joined and the caller's participant record, whose role decides the LiveKit grants.")
    record JoinResponse(SessionResponse session, ParticipantResponse participant) {
    }

    record StageRequestResponse(String id, String identity, String userId, String name, StageRequestStatus status,
            int xp, long speakingSeconds, Instant requestedAt, Instant decidedAt, String decidedBy,
            @Schema(description = "1-based place in the queue while PENDING, 0 otherwise") int position) {
        static StageRequestResponse of(StageRequest r, int position) {
            return new StageRequestResponse(r.id.toString(), r.identity, r.userId, r.name, r.status, r.xp,
                    r.speakingSeconds, r.requestedAt, r.decidedAt, r.decidedBy,
                    r.status == StageRequestStatus.PENDING ? position : 0);
        }

        static StageRequestResponse of(QueueEntry entry) {
            return of(entry.request(), entry.position());
        }
    }

    @Schema(description = "The stage queue. Hosts and cohosts get every pending request in order; others get only 'mine'.")
    record QueueResponse(List<StageRequestResponse> items, StageRequestResponse mine) {
    }

    record RoleChange(@Schema(description = "COHOST, GUEST or VIEWER") @NotNull ParticipantRole role) {
    }

    record MuteRequest(@Schema(description = "Mute the microphone") Boolean audio,
            @Schema(description = "Mute the camera") Boolean video) {
    }

    record UnmuteRequest(@Schema(description = "Ask to unmute the microphone") Boolean audio,
            @Schema(description = "Ask to unmute the camera") Boolean video) {
    }

    record InviteResponse(String userId, String invitedBy, Instant invitedAt) {
        static InviteResponse of(Invite i) {
            return new InviteResponse(i.userId, i.invitedBy, i.invitedAt);
        }
    }
}
