package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.http.HttpMethod;
import livekit.LivekitRoom;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.RecordedCall;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run stage}: how long a host's approval of a raised hand takes to reach LiveKit (session-service →
 * outbox → Kafka → token-service → UpdateParticipant at the LiveKit stub).
 */
public final class StageScenario implements Scenario {
    private final int sessions;
    private final List<Double> rates;
    private final Duration step;
    private final double goalMillis;
    private final Sweep sweep;
    private final double warmupRate;
    private final Duration updateTimeout;
    private final Duration timeout;

    public StageScenario(Knobs k) {
        sessions = k.integer("sessions", 4);
        rates = k.decimals("rates", "2,5,10,20,30");
        step = k.duration("step", "20s");
        goalMillis = k.decimal("goal-ms", 100);
        sweep = new Sweep(k, "10s", "120s");
        warmupRate = k.decimal("warmup-rate", 20);
        updateTimeout = k.duration("update-timeout", "10s");
        timeout = k.duration("request-timeout", "10s");
        Knobs.require(sessions > 0, "sessions must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(300).plus(sweep.warmupCap).plus(step.plus(updateTimeout).plusSeconds(5)
                .multipliedBy(rates.size()));
    }

    @Override
    public Report run(Run run) throws Exception {
        LiveKitStub livekit = run.own(LiveKitStub.start());
        run.describe("LiveKit: the testing module's LiveKitStub (RoomService over Twirp, in-memory rooms) in the harness JVM");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> Run.livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        List<Cpu.Proc> procs = run.procs(session.database(), true, Cpu.Proc.of(session), Cpu.Proc.of(token));
        Cpu cpu = new Cpu(procs);

        Http http = run.own(new Http(1, 16, timeout));
        int port = session.port();
        List<String> ids = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= sessions; i++) {
            String host = TestTokens.token(String.format("bench-stage-host-%02d", i));
            String id = http.session(port, host, "{\"title\":\"Stage bench " + i + "\",\"kind\":\"VIDEO\","
                    + "\"visibility\":\"PUBLIC\",\"settings\":{\"maxParticipants\":100000,\"maxGuests\":20,"
                    + "\"allowGuests\":true,\"requireApproval\":true}}", true);
            http.json(HttpMethod.POST, port, "/api/sessions/" + id + "/join", host,
                    "{\"name\":\"Host " + i + "\"}");
            ids.add(id);
            hosts.add(host);
        }
        for (String id : ids) {
            livekit.awaitCall("CreateRoom", call -> id.equals(call.room()), Duration.ofSeconds(60));
        }
        Driver driver = new Driver(http, port, livekit, ids, hosts);
        Report report = Report.load("stage");
        Sweep.Load approvals = driver::phase;
        sweep.measuring(cpu).warmup(report, "", new Cpu(procs.subList(0, 2)), warmupRate, Map.of("approvals",
                approvals));
        Knee.Step knee = sweep.knee(report, "", approvals, rates, goalMillis, step, "approvals");
        Knee.Step headline = knee != null ? knee : sweep.steps.getFirst();
        report.put("sessions", sessions).put("goal_ms", Table.f(goalMillis, 0)).put("errors", sweep.errors());
        report.result("approve_rps", Sweep.rate(knee))
                .result("approve_p99_ms", Table.plain(headline.load().p99Millis(), 2));
        return report;
    }

    /** One lane per session; in a phase, approval k is due at start + k / rate. */
    private final class Driver {
        private final Http http;
        private final int port;
        private final LiveKitStub livekit;
        private final List<String> sessions;
        private final List<String> hosts;
        private final Map<Integer, String[]> onStage = new ConcurrentHashMap<>();
        private int nextViewer;

        Driver(Http http, int port, LiveKitStub livekit, List<String> sessions, List<String> hosts) {
            this.http = http;
            this.port = port;
            this.livekit = livekit;
            this.sessions = sessions;
            this.hosts = hosts;
        }

        LoadResult phase(String label, double rate, Duration length) {
            int count = Math.max(1, (int) Math.round(rate * length.toMillis() / 1000.0));
            int lanes = sessions.size();
            int firstViewer = nextViewer;
            nextViewer += count;
            long interval = Math.round(1e9 / rate);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            Histogram latency = LoadResult.histogram();
            Map<String, Long> errors = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            long[] late = new long[lanes];
            for (int lane = 0; lane < lanes; lane++) {
                int l = lane;
                threads.add(Thread.ofPlatform().name("bench-stage-lane-" + lane).start(() -> {
                    for (int k = l; k < count; k += lanes) {
                        long due = start + k * interval;
                        String error;
                        try {
                            error = approve(l, firstViewer + k, due, latency, late);
                        } catch (Exception | AssertionError e) {
                            error = "failed: " + e.getClass().getSimpleName();
                        }
                        if (error != null) {
                            errors.merge(error, 1L, Long::sum);
                        }
                    }
                    leave(l);
                }));
            }
            long deadline = System.currentTimeMillis() + length.toMillis() + updateTimeout.toMillis() * 4 + 60_000;
            for (Thread thread : threads) {
                try {
                    thread.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                thread.interrupt();
            }
            long failed = errors.values().stream().mapToLong(Long::longValue).sum();
            long lateSends = 0;
            for (long n : late) {
                lateSends += n;
            }
            Histogram copy;
            synchronized (latency) {
                copy = latency.copy();
            }
            return new LoadResult(label, rate, count / rate, copy.getTotalCount(), failed, copy, Map.of(),
                    new LinkedHashMap<>(errors), lateSends);
        }

        /** One approval; null when UpdateParticipant with canPublish reached the stub, else the error. */
        private String approve(int lane, int number, long due, Histogram latency, long[] late) throws Exception {
            leave(lane);
            String session = sessions.get(lane);
            String identity = String.format("bench-viewer-%05d", number + 1);
            String viewer = TestTokens.token(identity);
            int joined = http.status(HttpMethod.POST, port, "/api/sessions/" + session + "/join", viewer,
                    "{\"name\":\"Viewer " + (number + 1) + "\"}");
            if (joined != 200) {
                return "viewer join " + joined;
            }
            livekit.join(session, identity);
            onStage.put(lane, new String[] {session, identity, viewer});
            String request;
            try {
                request = http.call(HttpMethod.POST, port, "/api/sessions/" + session + "/stage-requests", viewer, null)
                        .toCompletableFuture().get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS).toJsonObject()
                        .getString("id");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return "raise hand: " + OpenLoop.cause(e);
            }
            long wait = due - System.nanoTime();
            if (wait < -TimeUnit.MILLISECONDS.toNanos(10)) {
                late[lane]++;
            }
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                wait = due - System.nanoTime();
            }
            int approved = http.status(HttpMethod.POST, port, "/api/sessions/" + session + "/stage-requests/" + request
                    + "/approve", hosts.get(lane), null);
            if (approved != 200) {
                return "approve " + approved;
            }
            RecordedCall update;
            try {
                update = livekit.awaitCall("UpdateParticipant", call -> identity.equals(call.identity()), updateTimeout);
            } catch (AssertionError none) {
                return "no UpdateParticipant within " + updateTimeout.toMillis() + " ms";
            }
            LivekitRoom.UpdateParticipantRequest sent = update.request(LivekitRoom.UpdateParticipantRequest.class);
            if (!update.succeeded() || sent == null || !sent.getPermission().getCanPublish()) {
                return "UpdateParticipant without canPublish";
            }
            synchronized (latency) {
                latency.recordValue(Math.max(1, (update.receivedNanos() - due) / 1000));
            }
            return null;
        }

        /** The lane's previous viewer leaves the session and LiveKit, freeing the guest slot. */
        private void leave(int lane) {
            String[] previous = onStage.remove(lane);
            if (previous == null) {
                return;
            }
            try {
                http.status(HttpMethod.POST, port, "/api/sessions/" + previous[0] + "/leave", previous[2], null);
            } catch (RuntimeException e) {
                // a viewer that cannot leave keeps a slot; the lane's next approvals will say so (409)
            }
            try {
                livekit.leave(previous[0], previous[1]);
            } catch (IllegalArgumentException gone) {
                // not connected at the stub
            }
        }
    }
}
