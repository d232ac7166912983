package io.livestage.chat.room;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.vertx.core.Context;

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.ws.ChatConnection;

/**
 * A session's room on this instance: its open sockets, grouped by the event loop that owns them, and the room state
 * the sockets need (session view, chat settings, members on stage). A frame for the room is handed to each event loop
 * once and written there to that loop's sockets — one task per loop and message, not one per socket.
 */
public final class Room {
    private final String sessionId;
    private final Map<Thread, LoopGroup> groups = new ConcurrentHashMap<>();
    private final Map<String, ChatConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, MemberView> members = new ConcurrentHashMap<>();
    private final AtomicLong lastPresenceViewers = new AtomicLong(-1);
    private final AtomicLong lastPresenceGuests = new AtomicLong(-1);
    private volatile SessionView session;
    private volatile ChatSettings settings = ChatSettings.DEFAULTS;
    private volatile boolean loaded;
    private volatile boolean closed;

    private record LoopGroup(Context context, Set<ChatConnection> connections) {
    }

    Room(String sessionId) {
        this.sessionId = sessionId;
    }

    public String sessionId() {
        return sessionId;
    }

    void add(ChatConnection c) {
        connections.put(c.id(), c);
        groups.computeIfAbsent(c.eventLoop(), loop -> new LoopGroup(c.context(), ConcurrentHashMap.newKeySet()))
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

    public void broadcast(String frame, Predicate<ChatConnection> to) {
        for (LoopGroup group : groups.values()) {
            if (!group.connections().isEmpty()) {
                group.context().runOnContext(ignored -> {
                    for (ChatConnection c : group.connections()) {
                        if (c.authenticated() && to.test(c)) {
                            c.send(frame);
                        }
                    }
                });
            }
        }
    }

    public void toModerators(String frame) {
        broadcast(frame, ChatConnection::moderator);
    }

    /** Runs {@code action} on each socket of {@code userId} in the room, on the socket's own event loop. */
    public void forUser(String userId, Consumer<ChatConnection> action) {
        if (userId == null) {
            return;
        }
        for (ChatConnection c : connections()) {
            if (userId.equals(c.userId())) {
                c.context().runOnContext(ignored -> action.accept(c));
            }
        }
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
