package io.livestage.bench.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.vertx.core.json.JsonObject;
import livekit.LivekitRoom.UpdateParticipantRequest;

import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpStats;
import io.livestage.devstack.DevIdentity;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;

/**
 * The scale run's load, open loop: session {@code i} starts at {@code i × ramp / sessions} (its host creates, starts
 * and joins it), its guests and viewers arrive evenly within its slot of the ramp (a LiveKit token through the API, the
 * stub told they connected as the SFU would, a chat socket); each guest raises a hand and the host approves it at once,
 * timed until the LiveKit stub receives UpdateParticipant for that identity.
 */
final class ScaleLoad {
    /** Where requests go: the gateway for all three, or each service's instances in turn. */
    record Targets(List<Integer> sessions, List<Integer> tokens, List<Integer> chat) {
        static int pick(List<Integer> ports, int n) {
            return ports.get(Math.floorMod(n, ports.size()));
        }
    }

    /** A live session: its id, its host's bearer and its chat room. */
    private record Session(int index, String id, String host, List<RoomSockets.Sock> room) {
    }

    final OpStats tokens = new OpStats("POST /api/tokens: sent → 2xx");
    final OpStats approvals = new OpStats("approve sent → UpdateParticipant at LiveKit");
    final OpStats api = new OpStats("session API (create, start, raise hand, approve): sent → 2xx");
    final LongAdder sessionsLive = new LongAdder();
    final LongAdder guestsJoined = new LongAdder();
    final LongAdder viewersJoined = new LongAdder();
    final LongAdder socketsReady = new LongAdder();
    final AtomicLong maxBehindNanos = new AtomicLong();
    final RoomSockets sockets;
    private final ScaleSettings settings;
    private final Targets targets;
    private final LiveKitStub livekit;
    private final DevIdentity identity;
    private final int socketCap;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Long> awaitingUpdate = new ConcurrentHashMap<>();
    // tens of thousands of entries each: not copy-on-write
    private final List<RoomSockets.Sock> senders = Collections.synchronizedList(new ArrayList<>());
    private final List<Future<?>> tasks = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    /** Every user's bearer token, minted (RS256) before the ramp so that signing does not compete with the stack. */
    private final Map<String, String> bearers = new ConcurrentHashMap<>();

    ScaleLoad(ScaleSettings settings, Targets targets, LiveKitStub livekit, DevIdentity identity, int socketCap) {
        this.settings = settings;
        this.targets = targets;
        this.livekit = livekit;
        this.identity = identity;
        this.socketCap = socketCap;
        this.sockets = new RoomSockets(Math.min(socketCap, settings.participants()), settings.requestTimeout().toMillis());
    }

    /**
     * Signs every host's, guest's and viewer's bearer token (a client holds its token before it asks for a LiveKit
     * one; RS256 signing is ~1 ms of CPU, which in the ramp would be the load client's, not the stack's).
     */
    void mintBearers() {
        long start = System.nanoTime();
        IntStream.range(0, settings.sessions()).parallel().forEach(i -> {
            bearer(hostOf(i));
            int participants = settings.guests() + settings.viewersOf(i);
            for (int j = 0; j < participants; j++) {
                bearer(userOf(i, j));
            }
        });
        Log.info("minted " + bearers.size() + " bearer tokens in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private String bearer(String user) {
        return bearers.computeIfAbsent(user, u -> identity.mint(u, Duration.ofHours(3)));
    }

    private static String hostOf(int session) {
        return String.format("scale-host-%04d", session);
    }

    private String userOf(int session, int j) {
        return String.format("scale-%04d-%s%02d", session, j < settings.guests() ? "g" : "v", j);
    }

    /** Ramp, hold, then up to the grace for the last deliveries and updates; returns the ramp's seconds. */
    long run() throws InterruptedException {
        Thread matcher = Thread.ofPlatform().daemon().name("scale-update-matcher").start(this::matchUpdates);
        long slot = settings.ramp().toNanos() / settings.sessions();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Log.info("ramp: " + settings.sessions() + " sessions, " + settings.participants() + " guests and viewers");
            for (int i = 0; i < settings.sessions(); i++) {
                int index = i;
                tasks.add(pool.submit(() -> session(pool, index, start + index * slot, slot)));
            }
            for (int i = 0; i < tasks.size(); i++) { // sessions add their participants before they finish
                try {
                    tasks.get(i).get();
                } catch (Exception e) {
                    api.failure("ramp: " + e.getClass().getSimpleName());
                }
            }
            long rampSeconds = (System.nanoTime() - start) / 1_000_000_000L;
            Log.info("ramp done in " + rampSeconds + " s: " + sessionsLive.sum() + " sessions live, " + guestsJoined.sum()
                    + " guests and " + viewersJoined.sum() + " viewers joined, " + socketsReady.sum() + " sockets ready");
            hold();
            long graceEnd = System.nanoTime() + settings.grace().toNanos();
            while ((sockets.pending() > 0 || !awaitingUpdate.isEmpty()) && System.nanoTime() < graceEnd) {
                Thread.sleep(50);
            }
            running = false;
            matcher.join(5_000);
            awaitingUpdate.forEach((who, sent) -> approvals.failure("no UpdateParticipant by the end of the grace"));
            sockets.missing();
            return rampSeconds;
        } finally {
            running = false;
        }
    }

    private void session(ExecutorService pool, int i, long at, long slot) {
        parkUntil(at);
        String host = bearer(hostOf(i));
        int port = Targets.pick(targets.sessions(), i);
        JsonObject created = post(api, "create", port, "/api/sessions", host, "{\"title\":\"Scale " + i
                + "\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\",\"settings\":{\"maxParticipants\":100000,"
                + "\"maxGuests\":20,\"allowGuests\":true,\"requireApproval\":true}}");
        String id = created == null ? null : created.getString("id");
        if (id == null || post(api, "start", port, "/api/sessions/" + id + "/start", host, null) == null) {
            api.failure("participants left out: their session did not start");
            return;
        }
        Session session = new Session(i, id, host, new CopyOnWriteArrayList<>());
        sessionsLive.increment();
        post(tokens, "host", Targets.pick(targets.tokens(), i), "/api/tokens", host, "{\"session\":\"" + id + "\"}");
        int participants = settings.guests() + settings.viewersOf(i);
        int withSocket = settings.socketsOf(i, socketCap);
        for (int j = 0; j < participants; j++) {
            int index = j;
            long arrival = at + (j + 1) * slot / (participants + 1);
            tasks.add(pool.submit(() -> participant(session, index, arrival, index < withSocket)));
        }
    }

    private void participant(Session session, int j, long arrival, boolean socket) {
        parkUntil(arrival);
        boolean guest = j < settings.guests();
        String user = userOf(session.index(), j);
        String bearer = bearer(user);
        int n = session.index() * 64 + j;
        if (post(tokens, guest ? "guest" : "viewer", Targets.pick(targets.tokens(), n), "/api/tokens", bearer,
                "{\"session\":\"" + session.id() + "\"}") == null) {
            return;
        }
        if (guest) {
            livekit.join(session.id(), user, LiveKitStub.microphoneTrack());
        } else {
            livekit.join(session.id(), user);
        }
        (guest ? guestsJoined : viewersJoined).increment();
        if (socket) {
            RoomSockets.Sock sock = sockets.open(session.room(), Targets.pick(targets.chat(), n), session.id(), bearer);
            if (sock.ready.completeOnTimeout(null, settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).join()
                    instanceof Boolean ready) {
                if (ready) {
                    socketsReady.increment();
                    if (guest) {
                        senders.add(sock);
                    }
                }
            } else {
                sock.closing = true;
                sockets.opened.failure("no welcome within " + settings.requestTimeout().toMillis() + " ms");
            }
        }
        String stage = "/api/sessions/" + session.id() + "/stage-requests";
        JsonObject raised = guest ? post(api, "raise hand", Targets.pick(targets.sessions(), n), stage, bearer, null) : null;
        if (raised != null) {
            awaitingUpdate.put(user, System.nanoTime());
            if (post(api, "approve", Targets.pick(targets.sessions(), n), stage + "/" + raised.getString("id")
                    + "/approve", session.host(), null) == null) {
                awaitingUpdate.remove(user);
            }
        }
    }

    /** The hold: message {@code k} at {@code start + k × interval / senders}, sender {@code k % senders}, open loop. */
    private void hold() {
        List<RoomSockets.Sock> from = new ArrayList<>(senders);
        Log.info("hold: " + settings.duration().toSeconds() + " s, " + from.size() + " guests chatting");
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        double gap = (double) settings.chatInterval().toNanos() / Math.max(1, from.size());
        for (long k = 0; !from.isEmpty() && start + k * gap < end; k++) {
            parkUntil(start + Math.round(k * gap));
            from.get((int) (k % from.size())).send("m" + k, "scale chat " + k);
        }
        parkUntil(end);
    }

    /** Matches the stub's UpdateParticipant calls to the approvals awaiting them, by identity, in the stub's order. */
    private void matchUpdates() {
        for (int seen = 0; running; LockSupport.parkNanos(20_000_000)) {
            List<RecordedCall> calls = livekit.callsSince(seen); // the new ones: a copy of them only, 50 times a second
            seen += calls.size();
            for (RecordedCall call : calls) {
                Long sent = call.method().equals("UpdateParticipant") ? awaitingUpdate.get(call.identity()) : null;
                if (sent == null || call.receivedNanos() < sent || !awaitingUpdate.remove(call.identity(), sent)) {
                    continue;
                }
                UpdateParticipantRequest request = call.request(UpdateParticipantRequest.class);
                if (!call.succeeded()) {
                    approvals.failure("UpdateParticipant answered " + call.status());
                } else if (request == null || !request.getPermission().getCanPublish()) {
                    approvals.failure("UpdateParticipant without canPublish");
                } else {
                    approvals.success(call.receivedNanos() - sent);
                }
            }
        }
    }

    /** A JSON POST timed into {@code stats}: the body on 2xx ({@code {}} when empty), else null and an error. */
    private JsonObject post(OpStats stats, String what, int port, String path, String bearer, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(settings.requestTimeout()).header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json").POST(json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build();
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                stats.failure(what + " " + response.statusCode());
                return null;
            }
            stats.success(System.nanoTime() - sent);
            return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
        } catch (HttpTimeoutException e) {
            stats.failure(what + " timeout");
        } catch (Exception e) {
            stats.failure(what + " " + e.getClass().getSimpleName());
        }
        return null;
    }

    /** Parks until {@code at} (nanoTime); how far behind schedule a step started is kept as the largest lag. */
    private void parkUntil(long at) {
        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
        maxBehindNanos.accumulateAndGet(System.nanoTime() - at, Math::max);
    }
}
