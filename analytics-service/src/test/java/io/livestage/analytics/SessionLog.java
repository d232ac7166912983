package io.livestage.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;

/**
 * One session's events as session-service and chat-service publish them (CloudEvents with per-topic, per-session
 * sequences), built by hand for the analytics tests.
 */
public final class SessionLog {
    private static final CloudEventCodec CODEC = new CloudEventCodec();

    public final String session = UUID.randomUUID().toString();
    public final String host;
    public final Instant startedAt;
    private long sessionSeq;
    private long chatSeq;

    public SessionLog(String host, Instant startedAt) {
        this.host = host;
        this.startedAt = startedAt;
    }

    private SessionSnapshot snapshot(SessionStatus status, Instant endedAt) {
        return new SessionSnapshot(session, session.substring(0, 8), "Analytics test", null, host, "space-1",
                SessionKind.AUDIO, SessionVisibility.PUBLIC, status, null, startedAt, endedAt,
                startedAt.minusSeconds(600), new SessionSettings(100, true, true, 6, true, true, false, false, false,
                        false, false));
    }

    private <T> ProducerRecord<String, byte[]> event(String topic, long seq, Instant at, T data) {
        EventType type = EventType.forPayload(data.getClass());
        CloudEvent<T> event = new CloudEvent<>(UUID.randomUUID().toString(), type.typeName(), "/livestage/test",
                session, at, seq, null, type.schemaUri(), data);
        return CODEC.encode(topic, event);
    }

    public ProducerRecord<String, byte[]> started() {
        return event(Topics.SESSION, ++sessionSeq, startedAt, new SessionStarted(snapshot(SessionStatus.ACTIVE, null)));
    }

    public ProducerRecord<String, byte[]> ended(Instant endedAt) {
        return event(Topics.SESSION, ++sessionSeq, endedAt, new SessionEnded(snapshot(SessionStatus.ENDED, endedAt),
                endedAt.getEpochSecond() - startedAt.getEpochSecond()));
    }

    public ParticipantSnapshot participant(String user, ParticipantRole role, boolean audioMuted, long speaking) {
        return new ParticipantSnapshot(user, user, "Name " + user, role, SessionKind.AUDIO, audioMuted, true,
                startedAt, null, speaking);
    }

    public ProducerRecord<String, byte[]> roleChanged(String user, ParticipantRole role, Instant at) {
        return event(Topics.SESSION, ++sessionSeq, at, new ParticipantRoleChanged(participant(user, role, true, 0),
                ParticipantRole.VIEWER, host));
    }

    public ProducerRecord<String, byte[]> microphone(String user, boolean muted, long speaking, Instant at) {
        return event(Topics.SESSION, ++sessionSeq, at,
                new ParticipantMediaChanged(participant(user, ParticipantRole.GUEST, muted, speaking), "MICROPHONE"));
    }

    /** A raised hand and, when {@code approveAt} is not null, its approval: two records. */
    public List<ProducerRecord<String, byte[]>> hand(String user, Instant at, Instant approveAt) {
        String request = UUID.randomUUID().toString();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(event(Topics.SESSION, ++sessionSeq, at, new GuestRequested(new StageRequestSnapshot(request, user,
                user, "Name " + user, StageRequestStatus.PENDING, 0, 0, at, null, null), 1)));
        if (approveAt != null) {
            records.add(event(Topics.SESSION, ++sessionSeq, approveAt, new GuestApproved(new StageRequestSnapshot(
                    request, user, user, "Name " + user, StageRequestStatus.APPROVED, 0, 0, at, approveAt, host),
                    participant(user, ParticipantRole.GUEST, true, 0), false)));
        }
        return records;
    }

    public ProducerRecord<String, byte[]> joined(String connection, String user, ParticipantRole role, String device,
            String region, Instant at) {
        return event(Topics.CHAT, ++chatSeq, at, new ViewerPresence(session, connection,
                ViewerPresence.PresenceChange.JOINED, user, user == null, role, device, region, at, null));
    }

    public ProducerRecord<String, byte[]> left(String connection, String user, ParticipantRole role, String device,
            String region, Instant joinedAt, Instant at) {
        return event(Topics.CHAT, ++chatSeq, at, new ViewerPresence(session, connection,
                ViewerPresence.PresenceChange.LEFT, user, user == null, role, device, region, at,
                at.getEpochSecond() - joinedAt.getEpochSecond()));
    }

    public ProducerRecord<String, byte[]> message(String user, Instant at) {
        long seq = ++chatSeq;
        return event(Topics.CHAT, seq, at, new ChatMessagePosted(UUID.randomUUID().toString(), seq, session,
                new ChatAuthor(user, "Name " + user, ParticipantRole.VIEWER), "hello", null, at));
    }

    public ProducerRecord<String, byte[]> reactions(Instant windowStart, Map<String, Long> counts) {
        return event(Topics.CHAT, ++chatSeq, windowStart.plusMillis(250), new ChatReactionBurst(session, windowStart,
                windowStart.plusMillis(250), counts, counts.values().stream().mapToLong(Long::longValue).sum()));
    }
}
