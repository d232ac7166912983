package io.livestage.chat.room;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;

import io.livestage.chat.config.ChatConfig;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.repository.ChatRepository.RoomRow;
import io.livestage.chat.service.TokenBucket;
import io.livestage.chat.ws.ChatConnection;
import io.livestage.chat.ws.LoopWriters;

/**
 * The rooms with sockets on this instance. A room exists while it has a socket; its state comes from the database
 * when it opens and from the Kafka feed after that, always keeping the newest view by sequence.
 */
@ApplicationScoped
public class RoomRegistry {
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    /** Bounded; a bucket idle for longer than the window has refilled, so evicting it changes nothing. */
    private final Cache<String, TokenBucket> messageBuckets;
    private final RecentViews recent = new RecentViews(20_000, 2_000);
    private final ChatRepository repository;
    private final ChatConfig config;
    private final LoopWriters writers;

    public RoomRegistry(ChatRepository repository, ChatConfig config, LoopWriters writers) {
        this.repository = repository;
        this.config = config;
        this.writers = writers;
        Duration idle = config.rateLimit().window().compareTo(Duration.ofMinutes(1)) > 0 ? config.rateLimit().window()
                : Duration.ofMinutes(1);
        this.messageBuckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(idle).build();
    }

    public Room room(String sessionId) {
        return rooms.get(sessionId);
    }

    public Collection<Room> rooms() {
        return rooms.values();
    }

    /** Adds an admitted socket to its room, loading the room's state on first use. */
    public Uni<Room> attach(ChatConnection c, RoomRow row) {
        Room room = rooms.compute(c.sessionId(), (id, existing) -> {
            Room r = existing == null ? new Room(id, writers) : existing;
            r.add(c);
            return r;
        });
        room.session(row.session());
        room.session(recent.session(c.sessionId()));
        room.settings(row.settings());
        if (room.loaded()) {
            return Uni.createFrom().item(room);
        }
        return repository.stageMembers(UUID.fromString(c.sessionId())).map(members -> {
            members.forEach(room::member);
            recent.members(c.sessionId()).forEach(room::member);
            room.markLoaded();
            return room;
        });
    }

    /** Removes a socket; returns true if it was attached. The room goes when its last socket does. */
    public boolean detach(ChatConnection c) {
        boolean[] removed = new boolean[1];
        rooms.computeIfPresent(c.sessionId(), (id, room) -> {
            removed[0] = room.remove(c);
            return room.size() == 0 ? null : room;
        });
        return removed[0];
    }

    /** Forgets a room whose session is over (its sockets are being closed). */
    public void drop(Room room) {
        room.markClosed();
        rooms.remove(room.sessionId(), room);
    }

    /** Keeps the newest session view the feed has seen, for a room that opens before the projection wrote it. */
    public void rememberSession(SessionView view) {
        recent.session(view);
    }

    /** Keeps the newest member view the feed has seen, for a room that opens before the projection wrote it. */
    public void rememberMember(String sessionId, MemberView view) {
        recent.member(sessionId, view);
    }

    MemberView recentMember(String sessionId, String userId) {
        return recent.member(sessionId, userId);
    }

    /** The per-user message bucket in a room on this instance, shared by the user's sockets. */
    TokenBucket messageBucket(String sessionId, String userId) {
        int messages = config.rateLimit().messages();
        double perSecond = messages / (double) Math.max(1, config.rateLimit().window().toMillis()) * 1000d;
        return messageBuckets.get(sessionId + '\u0000' + userId,
                k -> new TokenBucket(messages, perSecond, System.nanoTime()));
    }
}
