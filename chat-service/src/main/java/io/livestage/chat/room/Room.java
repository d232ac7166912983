package io.livestage.chat.room;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.netty.channel.EventLoop;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.LoopWriter;
import io.livestage.chat.ws.LoopWriters;
import io.livestage.chat.ws.OutboundFrame;

/**
 * A session's room on this instance: its open sockets, grouped by the event loop that owns them (each socket's Netty
 * channel loop), and the room state the sockets need (session view, chat settings, members on stage). A frame for the
 * room is encoded once into one shared buffer and handed to each loop's {@link LoopWriter} once, which writes it to
 * that loop's sockets of the room in its next batch — one task per loop and batch, never one per socket.
 */
public final class Room {
    private final String sessionId;
    private final LoopWriters writers;
    private final Map<EventLoop, LoopGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, ChatConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, MemberView> members = new ConcurrentHashMap<>();
    private final AtomicLong lastPresenceViewers = new AtomicLong(-1);
    private final AtomicLong lastPresenceGuests = new AtomicLong(-1);
    private volatile SessionView session;
    private volatile ChatSettings settings = ChatSettings.DEFAULTS;
    private volatile boolean loaded;
    private volatile boolean closed;

    private record LoopGroup(LoopWriter writer, Set<ChatConnection> connections) {
    }

    Room(String sessionId, LoopWriters writers) {
        this.sessionId = sessionId;
        this.writers = writers;
    }

    public String sessionId() {
        return sessionId;
    }

    void add(ChatConnection c) {
        connections.put(c.id(), c);
        groups.computeIfAbsent(c.eventLoop(), loop -> new LoopGroup(writers.of(c), ConcurrentHashMap.newKeySet()))
                .connections().add(c);
    }

    boolean remove(ChatConnection c) {
        boolean removed = connections.remove(c.id()) != null;
        LoopGroup group = groups.get(c.eventLoop());
        if (group != null) {
            group.connections().remove(c);
        }
        return removed;
    }

    public int size() {
        return connections.size();
    }

    public Iterable<ChatConnection> connections() {
        return connections.values();
    }

    /** Writes {@code frame} to every authenticated socket of the room. */
    public void broadcast(String frame) {
        broadcast(frame, c -> true);
    }

    /** Writes {@code frame} to every authenticated socket of the room that {@code to} accepts (tested on its loop). */
    public void broadcast(String frame, Predicate<ChatConnection> to) {
        OutboundFrame encoded = null;
        try {
            for (LoopGroup group : groups.values()) {
                Set<ChatConnection> sockets = group.connections();
                if (sockets.isEmpty()) {
                    continue;
                }
                if (encoded == null) {
                    encoded = OutboundFrame.text(frame);
                }
                OutboundFrame shared = encoded;
                group.writer().write(shared, batch -> {
                    for (ChatConnection c : sockets) {
                        if (c.authenticated() && to.test(c)) {
                            batch.write(c.writer(), shared);
                        }
                    }
                });
            }
        } finally {
            if (encoded != null) {
                encoded.release();
            }
        }
    }

    public void toModerators(String frame) {
        broadcast(frame, ChatConnection::moderator);
    }

    /** Runs {@code action} on each socket of {@code userId} in the room, on the socket's own event loop. */
    public void forUser(String userId, Consumer<ChatConnection> action) {
        if (userId != null) {
            forEach(c -> userId.equals(c.userId()), action);
        }
    }

    /**
     * Runs {@code action} on each socket of the room that {@code which} accepts, on the socket's own event loop, in
     * order with the room's frames queued for that loop before and after it.
     */
    public void forEach(Predicate<ChatConnection> which, Consumer<ChatConnection> action) {
        for (LoopGroup group : groups.values()) {
            for (ChatConnection c : group.connections()) {
                if (which.test(c)) {
                    group.writer().run(() -> action.accept(c));
                }
            }
        }
    }

    /** The room's sockets by the event loop that writes to them (a snapshot, for diagnostics and tests). */
    public Map<EventLoop, Collection<ChatConnection>> socketsByLoop() {
        Map<EventLoop, Collection<ChatConnection>> out = new LinkedHashMap<>();
        groups.forEach((loop, group) -> {
            if (!group.connections().isEmpty()) {
                out.put(loop, List.copyOf(group.connections()));
            }
        });
        return out;
    }

    public void toUser(String userId, String frame) {
        broadcast(frame, c -> userId.equals(c.userId()));
    }

    public SessionView session() {
        return session;
    }

    /** Keeps the newest view (by sequence); returns true when {@code view} was newer. */
    public synchronized boolean session(SessionView view) {
        if (view == null || (session != null && session.seq() >= view.seq())) {
            return false;
        }
        session = view;
        return true;
    }

    public ChatSettings settings() {
        return settings;
    }

    public void settings(ChatSettings settings) {
        this.settings = settings;
    }

    public synchronized boolean member(MemberView view) {
        MemberView current = members.get(view.userId());
        if (current != null && current.seq() >= view.seq()) {
            return false;
        }
        members.put(view.userId(), view);
        return true;
    }

    public MemberView member(String userId) {
        return members.get(userId);
    }

    /** Guests on stage now, as far as session-service's events tell. */
    public long guests() {
        return members.values().stream().filter(m -> m.onStage() && "GUEST".equals(m.role())).count();
    }

    /** True when the presence differs from what was last sent, and remembers it as sent. */
    boolean presenceChanged(long viewers, long guests) {
        boolean changed = lastPresenceViewers.getAndSet(viewers) != viewers;
        changed |= lastPresenceGuests.getAndSet(guests) != guests;
        return changed;
    }

    boolean loaded() {
        return loaded;
    }

    void markLoaded() {
        loaded = true;
    }

    public boolean closed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }
}
