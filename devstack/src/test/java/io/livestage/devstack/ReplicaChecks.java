package io.livestage.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import io.livestage.events.Topics;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What two instances of every service must get right, checked on the running {@code --replicas=2} stack of
 * {@link FullStackTest}: everything a client does goes through the gateway (which balances over both instances), and
 * sockets are opened on each instance on purpose. The last two checks kill an instance with SIGKILL (no goodbye to
 * Kafka or PostgreSQL), as a crashed pod would.
 */
final class ReplicaChecks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final DevStack stack;
    private final LiveKitStub livekit;
    private final String gateway;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ReplicaChecks(DevStack stack, LiveKitStub livekit) {
        this.stack = stack;
        this.livekit = livekit;
        this.gateway = "http://127.0.0.1:" + instance("gateway", 1).port();
    }

    ServiceProcess instance(String service, int index) {
        return stack.services().stream()
                .filter(s -> s.spec().name().equals(service) && s.instance().index() == index)
                .findFirst().orElseThrow(() -> new AssertionError(service + " #" + index + " is not running"));
    }

    String token(String user) {
        return KeycloakNode.passwordGrant(stack.config().keycloakPort(), user, user);
    }

    /** A live session of alice's, created and started through the gateway; its id. */
    String liveSession(String title, String settings) throws Exception {
        JsonNode created = call("POST", "/api/sessions", token("alice"),
                "{\"title\":\"" + title + "\",\"kind\":\"AUDIO\"" + (settings == null ? "" : ",\"settings\":" + settings) + "}", 201);
        String id = created.path("id").asText();
        call("POST", "/api/sessions/" + id + "/start", token("alice"), null, 200);
        return id;
    }

    /**
     * Every instance serves: both instances of every service are ready, and the gateway spreads requests over them
     * (each session-service instance answers some of 20 GETs through the gateway, seen in its request counter).
     */
    void bothInstancesServeBehindTheGateway() throws Exception {
        for (ServiceProcess s : stack.services()) {
            assertThat(s.process().isAlive()).as(s.name() + " alive").isTrue();
            assertThat(status("http://127.0.0.1:" + s.port() + "/q/health/ready")).as(s.name() + " ready").isEqualTo(200);
        }
        String alice = token("alice");
        double before1 = handled(instance("session-service", 1));
        double before2 = handled(instance("session-service", 2));
        for (int i = 0; i < 20; i++) {
            call("GET", "/api/sessions?host=me", alice, null, 200);
        }
        assertThat(handled(instance("session-service", 1)) - before1).as("requests session-service #1 served").isGreaterThan(0);
        assertThat(handled(instance("session-service", 2)) - before2).as("requests session-service #2 served").isGreaterThan(0);
    }

    /** A message sent on one chat-service instance reaches a socket on the other (fan-out through Kafka, ADR 0003). */
    void chatCrossesInstances() throws Exception {
        String id = liveSession("Across instances", null);
        Room one = Room.open(http, instance("chat-service", 1), id, token("alice"));
        Room two = Room.open(http, instance("chat-service", 2), id, token("bob"));
        try {
            String acked = one.send("hello from instance one");
            two.awaitMessages(Set.of(acked));
            String back = two.send("and back from instance two");
            one.awaitMessages(Set.of(acked, back));
        } finally {
            one.close();
            two.close();
        }
    }

    /**
     * token-service's LiveKit enforcer: both instances are members of the one consumer group {@code token-service},
     * the session topic's partitions split between them, and a session start creates its LiveKit room exactly once.
     */
    void tokenEnforcerRunsInOneConsumerGroup() throws Exception {
        ConsumerGroupDescription group = awaitGroup("token-service", 2);
        assertPartitionsSplit(group, Topics.SESSION);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(liveSession("Enforced " + i, null));
        }
        for (String id : ids) {
            livekit.awaitCall("CreateRoom", c -> id.equals(c.json().path("name").asText()), WAIT);
        }
        // both instances had the time to act on each start; only one did
        Thread.sleep(3000);
        for (String id : ids) {
            assertThat(livekit.calls("CreateRoom").stream().filter(c -> id.equals(c.json().path("name").asText())))
                    .as("CreateRoom calls for the room of session " + id).hasSize(1);
        }
    }

    /**
     * recording-service's reconcile loop runs on both instances (every 2 s in this stack) and neither starts a second
     * egress for a recording the other started.
     */
    void recordingReconcileDoesNotDoubleStart() throws Exception {
        String id = liveSession("Recorded twice?", "{\"recordingEnabled\":true}");
        RecordedCall first = livekit.awaitCall("StartRoomCompositeEgress",
                c -> c.status() == 200 && id.equals(c.json().path("room_name").asText()), WAIT);
        assertThat(first).isNotNull();
        // several reconcile rounds of both instances
        Thread.sleep(8000);
        List<RecordedCall> started = livekit.calls("StartRoomCompositeEgress").stream()
                .filter(c -> c.status() == 200 && id.equals(c.json().path("room_name").asText())).toList();
        JsonNode recordings = call("GET", "/api/sessions/" + id + "/recordings", token("alice"), null, 200);
        int outputs = 0;
        for (JsonNode recording : recordings.isArray() ? recordings : recordings.path("items")) {
            outputs += Math.max(1, recording.path("outputs").size());
        }
        assertThat(outputs).as("outputs of the session's recordings: " + recordings).isPositive();
        assertThat(started).as("egresses started for session " + id + " (one per output)").hasSize(outputs);
    }

    /**
     * The outbox relay's leadership moves when its holder dies: messages acknowledged by chat-service #1 (stored with
     * their outbox rows) are all delivered to a socket on #2 although #1 is killed right after the last
     * acknowledgement, before it could be sure to have published them.
     */
    void outboxLeadershipMovesWhenAnInstanceIsKilled() throws Exception {
        String id = liveSession("Hand-over", null);
        Room one = Room.open(http, instance("chat-service", 1), id, token("alice"));
        Room two = Room.open(http, instance("chat-service", 2), id, token("bob"));
        try {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                texts.add("burst " + i);
            }
            Set<String> acked = new LinkedHashSet<>();
            for (String clientId : one.sendAll(texts)) {
                acked.add(one.ack(clientId));
            }
            kill(instance("chat-service", 1));
            two.awaitMessages(acked);
        } finally {
            one.close();
            two.close();
        }
        // the gateway keeps serving the room channel from the survivor
        Room again = Room.openThroughGateway(http, gateway, id, token("carol"));
        again.close();
    }

    /**
     * analytics-service's Kafka Streams: both instances share the application's partitions; one is killed, the
     * survivor takes its tasks over (session timeout 10 s) and answers every session's statistics.
     */
    void analyticsRebalancesWhenAnInstanceIsKilled() throws Exception {
        ConsumerGroupDescription group = awaitGroup("analytics-service", 2);
        assertThat(instances(group)).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(liveSession("Counted " + i, null));
        }
        String alice = token("alice");
        for (String id : ids) {
            awaitStatus("/api/sessions/" + id + "/analytics", alice, 200);
        }
        kill(instance("analytics-service", 2));
        awaitGroup("analytics-service", 1);
        for (String id : ids) {
            awaitStatus("/api/sessions/" + id + "/analytics", alice, 200);
        }
        // and it keeps counting: a session ended after the hand-over gets its final statistics
        String late = ids.get(0);
        call("POST", "/api/sessions/" + late + "/end", alice, null, 200);
        await("final statistics of " + late + " (recorded after the final delay)", () -> {
            try {
                JsonNode stats = call("GET", "/api/sessions/" + late + "/analytics", alice, null, 200);
                return !stats.path("live").asBoolean(true) && stats.path("revision").asInt() >= 1;
            } catch (Exception e) {
                return false;
            }
        });
    }

    // ---- helpers

    private static void kill(ServiceProcess process) throws InterruptedException {
        ProcessHandle.of(process.process().pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(process.process().waitFor(Duration.ofSeconds(20))).as(process.name() + " killed").isTrue();
    }

    private ConsumerGroupDescription awaitGroup(String groupId, int members) throws Exception {
        Admin admin = stack.kafka().admin();
        long deadline = System.nanoTime() + WAIT.toNanos();
        ConsumerGroupDescription group = null;
        while (System.nanoTime() < deadline) {
            try {
                group = admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId);
                if (instances(group) == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return group;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // the group may not exist yet
            }
            Thread.sleep(500);
        }
        return fail("consumer group " + groupId + " did not settle with " + members + " members holding partitions: "
                + (group == null ? "no group" : group.members()));
    }

    /**
     * The service instances in a group: a Kafka Streams application joins with one member per stream thread (client id
     * {@code <app>-<process uuid>-StreamThread-<n>-consumer}), counted once per process; a plain consumer per member.
     */
    private static long instances(ConsumerGroupDescription group) {
        return group.members().stream()
                .map(m -> m.clientId().contains("-StreamThread-") ? m.clientId().replaceFirst("-StreamThread-.*", "") : m.consumerId())
                .distinct().count();
    }

    private static void assertPartitionsSplit(ConsumerGroupDescription group, String topic) {
        Set<Integer> seen = new HashSet<>();
        for (MemberDescription member : group.members()) {
            List<Integer> mine = member.assignment().topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).toList();
            assertThat(mine).as(member.consumerId() + "'s partitions of " + topic).isNotEmpty();
            for (int p : mine) {
                assertThat(seen.add(p)).as("partition " + p + " of " + topic + " held by two members").isTrue();
            }
        }
        assertThat(seen).as("partitions of " + topic).hasSize(Topics.PARTITIONS);
    }

    /** {@code http_server_requests_seconds_count} summed over the instance's API routes. */
    private double handled(ServiceProcess instance) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + instance.port() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("http_server_requests_seconds_count{") && line.contains("uri=\"/api/sessions\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void awaitStatus(String path, String token, int expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int last;
        String body;
        do {
            HttpResponse<String> r = send("GET", path, token, null);
            last = r.statusCode();
            body = r.body();
            if (last == expected) {
                return;
            }
            Thread.sleep(300);
        } while (System.nanoTime() < deadline);
        fail("GET " + path + " answered " + last + " (wanted " + expected + "): " + body);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(300);
        }
    }

    private JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, token, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A room channel socket (ADR 0003) on top of {@link FrameSocket}: authenticated and welcomed; chat by ids. */
    static final class Room {
        private final FrameSocket socket;
        private int sent;

        private Room(FrameSocket socket) {
            this.socket = socket;
        }

        static Room open(HttpClient http, ServiceProcess chat, String sessionId, String token) throws Exception {
            return connect(http, "ws://127.0.0.1:" + chat.port() + "/ws/sessions/" + sessionId, token, chat.name());
        }

        static Room openThroughGateway(HttpClient http, String gateway, String sessionId, String token) throws Exception {
            return connect(http, gateway.replace("http://", "ws://") + "/ws/sessions/" + sessionId, token, "gateway");
        }

        private static Room connect(HttpClient http, String url, String token, String where) throws Exception {
            Room room = new Room(FrameSocket.open(http, URI.create(url), "a room socket on " + where));
            room.socket.send("{\"type\":\"auth\",\"v\":1,\"token\":\"" + token + "\"}");
            room.socket.await("welcome", f -> f.path("type").asText().equals("welcome"));
            return room;
        }

        /** Sends chat messages without waiting; their client ids, in order. */
        List<String> sendAll(List<String> texts) throws Exception {
            List<String> clientIds = new ArrayList<>();
            for (String text : texts) {
                String clientId = "c" + System.nanoTime() + "-" + (sent++);
                socket.send("{\"type\":\"chat.send\",\"v\":1,\"clientMessageId\":\"" + clientId + "\",\"text\":\"" + text
                        + "\"}");
                clientIds.add(clientId);
            }
            return clientIds;
        }

        /** The message id acknowledged (stored) for a client id; an error frame for it fails. */
        String ack(String clientId) throws InterruptedException {
            JsonNode frame = socket.await("chat.ack of " + clientId, f -> clientId.equals(f.path("clientMessageId").asText())
                    && (f.path("type").asText().equals("chat.ack") || f.path("type").asText().equals("error")));
            assertThat(frame.path("type").asText()).as(frame.toString()).isEqualTo("chat.ack");
            return frame.path("id").asText();
        }

        /** Sends one message and waits for its acknowledgement: its message id. */
        String send(String text) throws Exception {
            return ack(sendAll(List.of(text)).get(0));
        }

        void awaitMessages(Set<String> ids) throws InterruptedException {
            for (String id : ids) {
                socket.await("chat.message " + id, f -> f.path("type").asText().equals("chat.message")
                        && id.equals(f.path("message").path("messageId").asText()));
            }
        }

        void close() {
            socket.abort();
        }
    }
}
