package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.json.JsonObject;
import livekit.LivekitRoom;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.livestage.events.Topics;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.oidc.TestTokens;

/**
 * stage: how long a host's approval takes to reach LiveKit. Per approval, on one of a few live sessions: a new viewer
 * joins (session-service) and connects (the LiveKit stub), raises a hand, and at its scheduled time the host approves;
 * measured from sending the approve to the stub receiving UpdateParticipant for that viewer (same JVM clock). The
 * viewer then leaves, freeing the guest slot. See bench/README.md.
 */
public final class StageBenchmark {
    static final String GUEST_APPROVED = "guest.approved";
    private static final Duration EVENT_GRACE = Duration.ofSeconds(10);
    /** Ahead of its scheduled time by more than this, an approve counts as sent late (the lane fell behind). */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What happened to one approval (nanoTime values; 0 when it did not happen). */
    static final class Approval {
        final int index;
        final String identity;
        final String session;
        long scheduled;
        long sent;
        long responded;
        long update;
        boolean approveOk;
        boolean canPublish;
        String error;

        Approval(int index, String identity, String session) {
            this.index = index;
            this.identity = identity;
            this.session = session;
        }
    }

    private final StageSettings settings;

    public StageBenchmark(StageSettings settings) {
        this.settings = settings;
    }

    public StageReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        try (LiveStack stack = LiveStack.start("stage", settings.stack(), notes)) {
            Http http = new Http(settings.requestTimeout());
            int port = stack.sessionService.port();
            List<String> sessions = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            Harness.log("creating, starting and joining " + settings.sessions() + " live VIDEO sessions (one host each)");
            for (int i = 1; i <= settings.sessions(); i++) {
                String host = TestTokens.token(String.format("bench-stage-host-%02d", i));
                String id = http.postOk(port, "/api/sessions", host, "{\"title\":\"Stage bench " + i
                        + "\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\",\"settings\":{\"maxParticipants\":100000,"
                        + "\"maxGuests\":20,\"allowGuests\":true,\"requireApproval\":true}}", "POST /api/sessions")
                        .getString("id");
                http.postOk(port, "/api/sessions/" + id + "/start", host, null, "POST /api/sessions/{id}/start");
                http.postOk(port, "/api/sessions/" + id + "/join", host, "{\"name\":\"Host " + i + "\"}",
                        "host POST /api/sessions/{id}/join");
                sessions.add(id);
                hosts.add(host);
            }
            for (String id : sessions) {
                stack.livekit.awaitCall("CreateRoom", call -> id.equals(call.room()), Duration.ofSeconds(60));
            }
            Harness.log("sessions live; token-service created their rooms at the LiveKit stub");
            int total = settings.warmupApprovals() + settings.approvals();
            long signStart = System.nanoTime();
            List<String> viewers = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                viewers.add(TestTokens.token(String.format("bench-viewer-%05d", i + 1)));
            }
            Harness.log("signed " + total + " viewer bearer tokens in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signStart) + " ms");

            try (EventLatencyProbe probe = new EventLatencyProbe(stack.kafka.bootstrapServers(), Topics.SESSION,
                    GUEST_APPROVED, StageBenchmark::approvedIdentity, settings.pollTimeout())) {
                probe.awaitAssigned(Duration.ofSeconds(60));
                Driver driver = new Driver(http, port, stack.livekit, sessions, hosts, viewers, probe);
                stack.analyze();
                if (settings.warmupApprovals() > 0) {
                    Harness.log("warm-up: " + settings.warmupApprovals() + " approvals at " + Report.trim(settings
                            .warmupRate()) + "/s (" + Harness.seconds(StageSettings.phase(settings.warmupApprovals(),
                                    settings.warmupRate())) + " s)");
                    long warmStart = System.nanoTime();
                    List<Approval> warm = driver.phase(0, settings.warmupApprovals(), settings.warmupRate(), false);
                    Duration warmTook = Duration.ofNanos(System.nanoTime() - warmStart);
                    long failed = warm.stream().filter(a -> a.error != null).count();
                    Harness.log("warm-up: " + (warm.size() - failed) + " approvals reached LiveKit, " + failed
                            + " failed, in " + Harness.seconds(warmTook) + " s");
                    notes.add("Warm-up: " + settings.warmupApprovals() + " approvals scheduled at " + Report.trim(
                            settings.warmupRate()) + "/s took " + Harness.seconds(warmTook) + " s"
                            + (warmTook.compareTo(StageSettings.phase(settings.warmupApprovals(), settings.warmupRate())
                                    .multipliedBy(6).dividedBy(5)) > 0 ? " (lanes fall behind while the services are cold)."
                                            : "."));
                    if (failed > 0) {
                        notes.add("Warm-up (not measured): " + failed + " of " + warm.size() + " approvals failed "
                                + causes(warm));
                    }
                }
                stack.analyze();

                CpuMeter cpu = stack.cpuMeter();
                ServerTimes times = new ServerTimes()
                        .add(new ServerTimes.Timer(StageReport.APPROVE_SERVER, port, "http_server_requests_seconds",
                                "/approve\""))
                        .add(new ServerTimes.Timer(StageReport.UPDATE_CALL, stack.tokenService.port(),
                                "livestage_livekit_call_seconds", "method=\"UpdateParticipant\""));
                Harness.log("measured: " + settings.approvals() + " approvals at " + Report.trim(settings.rate())
                        + "/s (" + Harness.seconds(StageSettings.phase(settings.approvals(), settings.rate())) + " s)");
                cpu.begin();
                times.begin();
                long phaseStart = System.nanoTime();
                List<Approval> measured = driver.phase(settings.warmupApprovals(), settings.approvals(),
                        settings.rate(), true);
                Duration phaseTook = Duration.ofNanos(System.nanoTime() - phaseStart);
                times.end();
                cpu.end();
                long missingEvents = probe.awaitOutstanding(EVENT_GRACE);
                if (missingEvents > 0) {
                    notes.add(missingEvents + " measured guest.approved events were not polled by the harness's probe "
                            + "within " + EVENT_GRACE.toSeconds() + " s (their approve → event split is left out).");
                }
                String relayLag = Harness.outboxLag(Harness.metrics(port));
                if (relayLag != null) {
                    notes.add("session-service's outbox relay lag (commit → Kafka acknowledgement, "
                            + "livestage.outbox.lag over the whole run incl. set-up and warm-up, from /q/metrics): "
                            + relayLag);
                }
                notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart))
                        + " s including start-up of Kafka, PostgreSQL and both services; the measured phase "
                        + Harness.seconds(phaseTook) + " s.");
                String load = loadAtStart.isBlank() ? ""
                        : loadAtStart + " before the run, " + Harness.loadAverage() + " after";
                return new StageReport(Harness.machine(), settings, measured, probe::polledAt, cpu.usage().orElse(null), times,
                        stack.describe(), notes, load);
            }
        }
    }

    /** The identity of the participant a guest.approved event brought on stage. */
    static String approvedIdentity(ConsumerRecord<byte[], byte[]> record) {
        return new JsonObject(new String(record.value(), StandardCharsets.UTF_8)).getJsonObject("participant")
                .getString("identity");
    }

    static String causes(List<Approval> approvals) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        approvals.stream().filter(a -> a.error != null).forEach(a -> byCause.merge(a.error, 1L, Long::sum));
        return byCause.toString();
    }

    /**
     * Runs approvals on one lane per session, each lane one viewer at a time: leave (previous viewer), join, connect
     * at the stub, raise hand, wait for the scheduled time, approve, await UpdateParticipant. Approval {@code k} of a
     * phase is scheduled at {@code start + k / rate} (open loop; a lane that falls behind sends late, which is counted).
     */
    private final class Driver {
        private final Http http;
        private final int port;
        private final LiveKitStub livekit;
        private final List<String> sessions;
        private final List<String> hosts;
        private final List<String> viewers;
        private final EventLatencyProbe probe;
        private final Map<Integer, Approval> onStage = new ConcurrentHashMap<>();

        Driver(Http http, int port, LiveKitStub livekit, List<String> sessions, List<String> hosts,
                List<String> viewers, EventLatencyProbe probe) {
            this.http = http;
            this.port = port;
            this.livekit = livekit;
            this.sessions = sessions;
            this.hosts = hosts;
            this.viewers = viewers;
            this.probe = probe;
        }

        /** Approvals {@code first} .. {@code first + count - 1} of the run (viewer numbers) at {@code rate}. */
        List<Approval> phase(int first, int count, double rate, boolean measured) throws InterruptedException {
            int lanes = sessions.size();
            long interval = Math.round(1e9 / rate);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300); // time for the first preparations
            List<Approval> results = Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                int laneIndex = lane;
                threads.add(Thread.ofPlatform().name("bench-stage-lane-" + lane).start(() -> {
                    for (int k = laneIndex; k < count; k += lanes) {
                        Approval approval = new Approval(first + k, identity(first + k), sessions.get(laneIndex));
                        approval.scheduled = start + k * interval;
                        try {
                            approve(laneIndex, approval, measured);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            approval.error = "interrupted";
                            results.add(approval);
                            return;
                        } catch (Exception | AssertionError e) {
                            if (approval.error == null) {
                                approval.error = "failed: " + e.getClass().getSimpleName();
                            }
                        }
                        results.add(approval);
                    }
                    leave(laneIndex);
                }));
            }
            long bound = TimeUnit.NANOSECONDS.toMillis(count * interval) + settings.updateTimeout().toMillis() * 4
                    + settings.requestTimeout().toMillis() * 8 + 60_000;
            long deadline = System.currentTimeMillis() + bound;
            for (Thread thread : threads) {
                thread.join(Math.max(1, deadline - System.currentTimeMillis()));
                if (thread.isAlive()) {
                    thread.interrupt();
                }
            }
            List<Approval> sorted = new ArrayList<>(results);
            sorted.sort((a, b) -> Integer.compare(a.index, b.index));
            return sorted;
        }

        private String identity(int viewer) {
            return String.format("bench-viewer-%05d", viewer + 1);
        }

        private void approve(int lane, Approval approval, boolean measured) throws Exception {
            leave(lane);
            String session = approval.session;
            String viewer = viewers.get(approval.index);
            Http.Response joined = http.post(port, "/api/sessions/" + session + "/join", viewer,
                    "{\"name\":\"Viewer " + (approval.index + 1) + "\"}");
            if (!joined.ok()) {
                approval.error = "viewer join " + joined.status();
                return;
            }
            livekit.join(session, approval.identity);
            Http.Response raised = http.post(port, "/api/sessions/" + session + "/stage-requests", viewer, null);
            if (!raised.ok()) {
                approval.error = "raise hand " + raised.status();
                livekit.leave(session, approval.identity);
                return;
            }
            onStage.put(lane, approval);
            String request = raised.json().getString("id");
            long wait = approval.scheduled - System.nanoTime();
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                wait = approval.scheduled - System.nanoTime();
            }
            approval.sent = System.nanoTime();
            probe.expect(approval.identity, approval.sent, measured);
            Http.Response approved = http.post(port, "/api/sessions/" + session + "/stage-requests/" + request
                    + "/approve", hosts.get(lane), null);
            approval.responded = System.nanoTime();
            if (!approved.ok()) {
                approval.error = "approve " + approved.status();
                probe.forget(approval.identity);
                return;
            }
            approval.approveOk = true;
            probe.responded(approval.identity, approval.responded);
            RecordedCall update;
            try {
                update = livekit.awaitCall("UpdateParticipant", call -> approval.identity.equals(call.identity()),
                        settings.updateTimeout());
            } catch (AssertionError none) {
                approval.error = "no UpdateParticipant within " + settings.updateTimeout().toMillis() + " ms";
                return;
            }
            approval.update = update.receivedNanos();
            LivekitRoom.UpdateParticipantRequest sent = update.request(LivekitRoom.UpdateParticipantRequest.class);
            approval.canPublish = sent != null && sent.getPermission().getCanPublish();
            if (!update.succeeded()) {
                approval.error = "UpdateParticipant answered " + update.status();
            } else if (!approval.canPublish) {
                approval.error = "UpdateParticipant without canPublish";
            }
        }

        /** The lane's previous viewer leaves the session and LiveKit, freeing the guest slot. */
        private void leave(int lane) {
            Approval previous = onStage.remove(lane);
            if (previous == null) {
                return;
            }
            try {
                http.post(port, "/api/sessions/" + previous.session + "/leave", viewers.get(previous.index), null);
            } catch (Exception e) {
                // a viewer that cannot leave keeps a slot; the next approvals of the lane will say so (409)
            }
            try {
                livekit.leave(previous.session, previous.identity);
            } catch (IllegalArgumentException gone) {
                // not connected at the stub
            }
        }
    }
}
