package io.livestage.session;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionKind;

/**
 * One user in one session; a rejoin reuses the record. Speaking time accrues while the role is on stage and the
 * participant is present: closed periods in {@link #speakingSeconds}, the open one from {@link #publishingSince}.
 */
@Entity
@Table(name = "participants")
public class Participant extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "session_id", nullable = false)
    public UUID sessionId;
    @Column(nullable = false)
    public String identity;
    @Column(name = "user_id", nullable = false)
    public String userId;
    @Column(nullable = false)
    public String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ParticipantRole role;
    @Column(name = "joined_at", nullable = false)
    public Instant joinedAt;
    @Column(name = "left_at")
    public Instant leftAt;
    @Column(name = "audio_muted", nullable = false)
    public boolean audioMuted;
    @Column(name = "video_muted", nullable = false)
    public boolean videoMuted;
    @Column(name = "speaking_seconds", nullable = false)
    public long speakingSeconds;
    @Column(name = "publishing_since")
    public Instant publishingSince;
    @Column(name = "removed_at")
    public Instant removedAt;
    @Column(name = "removed_by")
    public String removedBy;
    /** LiveKit's view: the last participant_joined, and the last leave not followed by a rejoin (null when connected). */
    @Column(name = "connected_at")
    public Instant connectedAt;
    @Column(name = "disconnected_at")
    public Instant disconnectedAt;
    @Version
    public long version;

    public boolean isPresent() {
        return leftAt == null && removedAt == null;
    }

    public boolean isRemoved() {
        return removedAt != null;
    }

    /** Changes the role and opens or closes the speaking period to match. */
    public void changeRole(ParticipantRole newRole, Instant now) {
        role = newRole;
        if (newRole.onStage() && isPresent()) {
            startSpeaking(now);
        } else {
            stopSpeaking(now);
        }
    }

    public void arrive(Instant now) {
        leftAt = null;
        if (role.onStage()) {
            startSpeaking(now);
        }
    }

    public void depart(Instant now) {
        stopSpeaking(now);
        leftAt = now;
        disconnectedAt = null;
    }

    /** A participant_joined older than the last leave LiveKit reported (webhooks can arrive out of order). */
    public boolean isStaleConnect(Instant at) {
        return disconnectedAt != null && at.isBefore(disconnectedAt);
    }

    /** A participant_left older than the last join LiveKit reported. */
    public boolean isStaleDisconnect(Instant at) {
        return connectedAt != null && at.isBefore(connectedAt);
    }

    /** LiveKit saw the participant connect: present again, speaking resumes on stage. */
    public void connect(Instant at) {
        connectedAt = at;
        disconnectedAt = null;
        arrive(at);
    }

    /** LiveKit saw the connection go: speaking stops now; the participant stays present until the grace ends. */
    public void disconnect(Instant at) {
        stopSpeaking(at);
        disconnectedAt = at;
    }

    private void startSpeaking(Instant now) {
        if (publishingSince == null) {
            publishingSince = now;
        }
    }

    private void stopSpeaking(Instant now) {
        if (publishingSince != null) {
            speakingSeconds += Math.max(0, Duration.between(publishingSince, now).toSeconds());
            publishingSince = null;
        }
    }

    /** Speaking time including the period still open at {@code now}. */
    public long speakingSecondsAt(Instant now) {
        long open = publishingSince == null ? 0 : Math.max(0, Duration.between(publishingSince, now).toSeconds());
        return speakingSeconds + open;
    }

    public ParticipantSnapshot snapshot(SessionKind kind, Instant now) {
        return new ParticipantSnapshot(identity, userId, name, role, kind, audioMuted, videoMuted, joinedAt, leftAt,
                speakingSecondsAt(now));
    }
}
