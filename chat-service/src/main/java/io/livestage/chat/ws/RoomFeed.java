package io.livestage.chat.ws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.livestage.chat.event.Snapshots;
import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;
import io.livestage.events.CloudEventHeaders;
import io.livestage.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every instance's view of what happens in every room: a Kafka consumer without a group, assigned to all partitions
 * of {@code livestage.chat}, {@code livestage.session} and the presence topic from their end, so each instance sees
 * every event once and delivers it to its own sockets. Chat messages are wrapped into a frame once per event and that
 * one string goes to every socket of the room; session, participant and stage events become system, stage and
 * {@code you} frames, and a session's end closes its sockets. Runs on its own thread; never on an event loop.
 */
@ApplicationScoped
public class RoomFeed implements Runnable {
    private static final Logger LOG = Logger.getLogger(RoomFeed.class);
    private static final List<String> TOPICS = List.of(Topics.CHAT, Topics.SESSION, PresenceBoard.TOPIC, Topics.TRANSCRIPT);
    private static final Map<String, Integer> ROLE_RANK = Map.of("VIEWER", 0, "GUEST", 1, "COHOST", 2, "HOST", 3);

    private final RoomRegistry rooms;
    private final PresenceBoard presence;
    private final Frames frames;
    private final ObjectMapper json;
    private final String bootstrapServers;
    private final Counter delivered;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean assigned;
    private volatile Instant lastPoll = Instant.EPOCH;

    public RoomFeed(RoomRegistry rooms, PresenceBoard presence, Frames frames, ObjectMapper json,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.rooms = rooms;
        this.presence = presence;
        this.frames = frames;
        this.json = json;
        this.bootstrapServers = bootstrapServers;
        this.delivered = Counter.builder("livestage.chat.feed.events").description("Events the room feed handled")
                .register(registry);
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "chat-service-feed-" + presence.instance());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        running = true;
        thread = new Thread(this, "chat-room-feed");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the feed is assigned to its topics and polled within the last few seconds. */
    public boolean healthy() {
        return running && assigned && Duration.between(lastPoll, Instant.now()).toSeconds() < 10;
    }

    @Override
    public void run() {
        Set<TopicPartition> assignment = new HashSet<>();
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    refreshAssignment(assignment);
                    nextRefresh = System.nanoTime() + Duration.ofSeconds(assignment.isEmpty() ? 1 : 5).toNanos();
                }
                if (assignment.isEmpty()) {
                    Thread.sleep(200);
                    continue;
                }
                var records = consumer.poll(Duration.ofMillis(100));
                lastPoll = Instant.now();
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        dispatch(record);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "room feed could not handle %s record at %s-%d@%d", header(record, CloudEventHeaders.TYPE),
                                record.topic(), record.partition(), record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.warn("room feed woken up unexpectedly", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("room feed stopped", e);
        } finally {
            running = false;
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Assigns every partition of the topics; partitions seen at start are read from their end, later ones from their start. */
    private void refreshAssignment(Set<TopicPartition> assignment) {
        boolean first = !assigned;
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (partitions != null) {
                partitions.forEach(p -> all.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        List<TopicPartition> added = all.stream().filter(p -> !assignment.contains(p)).toList();
        if (added.isEmpty()) {
            assigned = assigned || !assignment.isEmpty();
            return;
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition p : assignment) {
            positions.put(p, consumer.position(p));
        }
        assignment.addAll(added);
        consumer.assign(assignment);
        positions.forEach(consumer::seek);
        if (first) {
            consumer.seekToEnd(added);
        } else {
            consumer.seekToBeginning(added);
        }
        added.forEach(consumer::position);
        assigned = true;
        LOG.debugf("room feed assigned %d partitions (%d new)", assignment.size(), added.size());
    }

    void dispatch(ConsumerRecord<String, byte[]> record) {
        String sessionId = record.key();
        if (sessionId == null || record.value() == null) {
            return;
        }
        delivered.increment();
        if (PresenceBoard.TOPIC.equals(record.topic())) {
            presence.onRecord(sessionId, record.value());
            return;
        }
        String type = header(record, CloudEventHeaders.TYPE);
        if (type == null) {
            return;
        }
        if (Topics.TRANSCRIPT.equals(record.topic())) {
            Room room = rooms.room(sessionId);
            if (room != null && "transcript.segment".equals(type)) {
                // live captions: the event's data embedded byte for byte, one string for every socket of the room
                room.broadcast(Frames.caption(record.value()));
            }
            return;
        }
        if (Topics.CHAT.equals(record.topic())) {
            Room room = rooms.room(sessionId);
            if (room != null) {
                onChatEvent(room, type, record.value());
            }
            return;
        }
        String sequence = header(record, CloudEventHeaders.SEQUENCE);
        long seq = sequence == null ? 0 : Long.parseLong(sequence);
        onSessionEvent(sessionId, type, seq, readTree(record.value()));
    }

    private void onChatEvent(Room room, String type, byte[] value) {
        switch (type) {
            case "chat.message" -> room.broadcast(Frames.liveMessage(value));
            case "chat.reaction" -> {
                JsonNode burst = readTree(value);
                Map<String, Long> counts = new LinkedHashMap<>();
                burst.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
                long windowMs = Duration.between(Instant.parse(burst.path("windowStart").asText()),
                        Instant.parse(burst.path("windowEnd").asText())).toMillis();
                room.broadcast(frames.reactions(counts, burst.path("total").asLong(), windowMs));
            }
            case "chat.moderated" -> onModerated(room, readTree(value));
            default -> {
            }
        }
    }

    private void onModerated(Room room, JsonNode event) {
        String target = event.path("targetUserId").asText(null);
        switch (event.path("action").asText()) {
            case "MESSAGE_DELETED" -> room.broadcast(frames.deleted(event.path("messageId").asText(),
                    event.path("actorId").asText()));
            case "USER_TIMED_OUT" -> {
                Instant until = Instant.parse(event.path("until").asText());
                var error = frames.errorNode("timed_out", "a moderator timed you out");
                error.put("until", until.toString());
                String frame = frames.write(error);
                forUser(room, target, c -> {
                    c.timedOutUntil(until);
                    c.send(frame);
                    c.send(frames.youFrame(c));
                });
            }
            case "USER_BANNED" -> {
                String frame = frames.error("banned", "a moderator banned you from this chat");
                forUser(room, target, c -> {
                    c.banned(true);
                    c.send(frame);
                    c.send(frames.youFrame(c));
                });
            }
            case "USER_UNBANNED" -> forUser(room, target, c -> {
                c.banned(false);
                c.timedOutUntil(null);
                c.send(frames.youFrame(c));
            });
            case "SETTINGS_CHANGED" -> {
                JsonNode s = event.path("settings");
                ChatSettings settings = new ChatSettings(s.path("slowModeSeconds").asInt(),
                        s.path("signedInOnly").asBoolean(), s.path("reactionsOnly").asBoolean(), List.of());
                room.settings(settings);
                SessionView session = room.session();
                if (session != null) {
                    room.broadcast(frames.settingsFrame(session, settings));
                }
                if (settings.signedInOnly()) {
                    String frame = frames.error("signed_in_only", "this chat is now for signed-in users only");
                    for (ChatConnection c : room.connections()) {
                        if (c.anonymous()) {
                            c.context().runOnContext(ignored -> c.close(frame, 4401, "signed-in users only"));
                        }
                    }
                }
            }
            default -> {
            }
        }
    }

    private void onSessionEvent(String sessionId, String type, long seq, JsonNode data) {
        Room room = rooms.room(sessionId);
        if (type.startsWith("session.")) {
            SessionView view = Snapshots.session(type, data, seq);
            if (view == null) {
                return;
            }
            rooms.rememberSession(view);
            if (room == null) {
                return;
            }
            SessionView before = room.session();
            if (!room.session(view)) {
                return;
            }
            if (view.isOver()) {
                closeRoom(room, view);
            } else if ("session.started".equals(type)) {
                room.broadcast(frames.system("session.started", view.hostId(), null, "HOST", "The session started"));
            } else if (before != null && (before.enableChat() != view.enableChat()
                    || before.enableReactions() != view.enableReactions())) {
                room.broadcast(frames.settingsFrame(view, room.settings()));
            }
            return;
        }
        if (Snapshots.PARTICIPANT_EVENTS.contains(type)) {
            MemberView member = Snapshots.member(type, data, seq);
            if (member == null) {
                return;
            }
            rooms.rememberMember(sessionId, member);
            if (room == null || !room.member(member)) {
                return;
            }
            onParticipant(room, type, member, data);
            return;
        }
        if (room != null && type.startsWith("guest.")) {
            JsonNode position = data.get("position");
            room.toModerators(frames.stage(type, request(data), position == null ? null : position.asInt()));
        }
    }

    private void onParticipant(Room room, String type, MemberView member, JsonNode data) {
        String name = member.name() == null ? member.userId() : member.name();
        switch (type) {
            case "participant.joined" -> room.broadcast(frames.system(type, member.userId(), name, member.role(),
                    name + " joined"));
            case "participant.left" -> room.broadcast(frames.system(type, member.userId(), name, member.role(),
                    name + " left"));
            case "participant.role-changed" -> {
                String previous = data.path("previousRole").asText("VIEWER");
                boolean promoted = ROLE_RANK.getOrDefault(member.role(), 0) > ROLE_RANK.getOrDefault(previous, 0);
                String event = promoted ? "participant.promoted" : "participant.demoted";
                room.broadcast(frames.system(event, member.userId(), name, member.role(),
                        name + " is now " + member.role().toLowerCase()));
                updateRole(room, member);
            }
            case "guest.approved" -> {
                room.broadcast(frames.system(type, member.userId(), name, member.role(), name + " joined the stage"));
                room.toModerators(frames.stage(type, request(data), null));
                updateRole(room, member);
            }
            case "participant.unmute-requested" -> {
                String frame = frames.unmuteRequest(data.path("audio").asBoolean(), data.path("video").asBoolean(),
                        data.path("requestedBy").asText(null));
                forUser(room, member.userId(), c -> c.send(frame));
            }
            case "participant.removed" -> {
                room.broadcast(frames.system(type, member.userId(), name, member.role(), name + " was removed"));
                String frame = frames.error("removed", "a moderator removed you from this session");
                forUser(room, member.userId(), c -> c.close(frame, 4403, "removed from the session"));
            }
            default -> {
            }
        }
    }

    private void updateRole(Room room, MemberView member) {
        String role = member.userId().equals(room.session() == null ? null : room.session().hostId()) ? "HOST"
                : member.role();
        forUser(room, member.userId(), c -> {
            c.role(role);
            c.send(frames.youFrame(c));
        });
    }

    private void closeRoom(Room room, SessionView view) {
        rooms.drop(room);
        String frame = frames.ended(view.endedAt());
        for (ChatConnection c : room.connections()) {
            c.context().runOnContext(ignored -> c.close(frame, 1000, "session ended"));
        }
    }

    /** Runs {@code action} on each socket of {@code userId} in the room, on the socket's own event loop. */
    private static void forUser(Room room, String userId, java.util.function.Consumer<ChatConnection> action) {
        if (userId == null) {
            return;
        }
        for (ChatConnection c : room.connections()) {
            if (userId.equals(c.userId())) {
                c.context().runOnContext(ignored -> action.accept(c));
            }
        }
    }

    private static JsonNode request(JsonNode data) {
        JsonNode request = data.path("request");
        return request.isObject() ? request : data;
    }

    private JsonNode readTree(byte[] value) {
        try {
            return json.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return io.livestage.platform.kafka.RecordHeaders.text(record, name);
    }
}
