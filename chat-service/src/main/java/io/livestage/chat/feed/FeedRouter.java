package io.livestage.chat.feed;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.livestage.chat.event.Snapshots;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.room.PresenceBoard;
import io.livestage.chat.room.Room;
import io.livestage.chat.room.RoomRegistry;
import io.livestage.events.ChatEvent;
import io.livestage.events.CloudEvent;
import io.livestage.events.RecordingEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.Topics;
import io.livestage.events.TranscriptEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.session.SessionChange;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;

/**
 * Takes each record of the feed to where it belongs: presence counts to the board; a chat, transcript, recording or
 * session event, read as its topic's record, to the room of its session on this instance. Every instance also
 * remembers the newest session and member views, and a view applies to a room only when newer than the room's (by
 * sequence).
 */
@ApplicationScoped
public class FeedRouter {
    static final String CONSUMER = "chat-service.room-feed";

    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final RoomChatEvents chatEvents;
    private final RoomSessionEvents sessionEvents;
    private final RoomRecordingEvents recordingEvents;
    private final RoomUpdates updates;
    private final EventReader events;
    private final Counter delivered;

    public FeedRouter(RoomRegistry rooms, PresenceBoard presence, RoomChatEvents chatEvents,
            RoomSessionEvents sessionEvents, RoomRecordingEvents recordingEvents, RoomUpdates updates,
            EventReader events, MeterRegistry registry) {
        this.rooms = rooms;
        this.presence = presence;
        this.chatEvents = chatEvents;
        this.sessionEvents = sessionEvents;
        this.recordingEvents = recordingEvents;
        this.updates = updates;
        this.events = events;
        this.delivered = Counter.builder("livestage.chat.feed.events").description("Events the room feed handled")
                .register(registry);
    }

    void route(ConsumerRecord<String, byte[]> record) {
        String sessionId = record.key();
        if (sessionId == null || record.value() == null) {
            return;
        }
        delivered.increment();
        switch (record.topic()) {
            case PresenceBoard.TOPIC -> presence.onRecord(sessionId, record.value());
            case Topics.TRANSCRIPT -> {
                Room room = rooms.room(sessionId);
                if (room != null) {
                    events.read(CONSUMER, record, TranscriptEvent.class)
                            .ifPresent(e -> updates.apply(room, chatEvents.onTranscript(e.data())));
                }
            }
            case Topics.CHAT -> {
                Room room = rooms.room(sessionId);
                if (room != null) {
                    events.read(CONSUMER, record, ChatEvent.class)
                            .ifPresent(e -> updates.apply(room, chatEvents.onChat(e.data(), room.session())));
                }
            }
            case Topics.RECORDING -> {
                Room room = rooms.room(sessionId);
                if (room != null) {
                    events.read(CONSUMER, record, RecordingEvent.class)
                            .ifPresent(e -> updates.apply(room, recordingEvents.onRecording(e.data())));
                }
            }
            default -> events.read(CONSUMER, record, SessionEvent.class).ifPresent(e -> onSession(sessionId, e));
        }
    }

    private void onSession(String sessionId, CloudEvent<SessionEvent> event) {
        Room room = rooms.room(sessionId);
        long seq = event.sequence() == null ? 0 : event.sequence();
        switch (event.data()) {
            case SessionChange change -> {
                SessionView view = Snapshots.session(change, seq);
                if (view == null) {
                    return;
                }
                rooms.rememberSession(view);
                if (room == null) {
                    return;
                }
                SessionView before = room.session();
                if (room.session(view)) {
                    updates.apply(room, sessionEvents.onSessionChange(change, before, view, room.settings()));
                }
            }
            case ParticipantChange change -> {
                MemberView member = Snapshots.member(change, seq);
                if (member == null) {
                    return;
                }
                rooms.rememberMember(sessionId, member);
                if (room != null && room.member(member)) {
                    updates.apply(room, sessionEvents.onParticipant(event.type(), change, member, room.session()));
                }
            }
            case StageChange change -> {
                if (room != null) {
                    updates.apply(room, sessionEvents.onStage(event.type(), change));
                }
            }
        }
    }
}
