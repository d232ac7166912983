package io.livestage.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;

import io.vertx.core.http.HttpMethod;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run tokens}: minting (TokenMinter against the LiveKit SDK, {@link Minting}), then token-service's
 * {@code POST /api/tokens} with Kafka, PostgreSQL, session-service and the LiveKit stub: an open-loop knee sweep,
 * rounds at half the knee, and the removal bound (a host removes a participant at session-service → token-service
 * refuses that user a token).
 */
public final class TokensScenario implements Scenario {
    private final int mintRounds;
    private final Duration mintWindow;
    private final Sweep sweep;
    private final Duration mintWarmupCap;
    private final int sessions;
    private final int users;
    private final List<Double> rates;
    private final Duration step;
    private final double goalMillis;
    private final int connections;
    private final int clientThreads;
    private final double warmupRate;
    private final int rounds;
    private final Duration roundWindow;
    private final int removals;
    private final Duration removalPoll;
    private final Duration timeout;
    private final Duration settle;

    public TokensScenario(Knobs k) {
        mintRounds = k.integer("mint-rounds", 5);
        mintWindow = k.duration("mint-window", "2s");
        sweep = new Sweep(k, "5s", "120s");
        mintWarmupCap = k.duration("mint-warmup-cap", "60s");
        sessions = k.integer("sessions", 10);
        users = k.integer("users", 200);
        rates = k.decimals("rates", "250,500,1000,1500,2000,3000,4000,6000");
        step = k.duration("step", "10s");
        goalMillis = k.decimal("goal-ms", 10);
        connections = k.integer("connections", 64);
        clientThreads = k.integer("client-threads", 1);
        warmupRate = k.decimal("warmup-rate", 300);
        rounds = k.integer("rounds", 5);
        roundWindow = k.duration("round-window", "5s");
        removals = k.integer("removals", 20);
        removalPoll = k.duration("removal-poll", "2ms");
        timeout = k.duration("request-timeout", "10s");
        settle = k.duration("settle", "10s");
        Knobs.require(sessions > 0 && users > 0 && mintRounds > 0 && rounds > 0 && connections > 0,
                "sessions, users, rounds, mint-rounds and connections must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(240).plus(settle).plus(mintWarmupCap).plus(mintWindow.multipliedBy(2L * mintRounds))
                .plus(sweep.warmupCap).plus(step.plusSeconds(2).multipliedBy(rates.size()))
                .plus(roundWindow.plusSeconds(2).multipliedBy(rounds)).plus(Duration.ofSeconds(10L * removals));
    }

    @Override
    public Report run(Run run) throws Exception {
        Report report = Report.load("tokens");
        // Minting first, on a machine where nothing of the run is started yet.
        Minting.Outcome mint = new Minting().run(mintRounds, mintWindow, sweep.jitThreshold, mintWarmupCap);
        Stats ratio = Stats.of(mint.ratios());
        report.put("mint_claims", mint.claims()).put("mint_warmup", mint.warmup().summary())
                .put("mint_warmup_table", Warmup.table(mint.warmup())).put("mint_rounds", mint.table())
                .put("mint_ratio", ratio.format("%.2f"));

        LiveKitStub livekit = run.own(LiveKitStub.start());
        run.describe("LiveKit: the testing module's LiveKitStub (RoomService over Twirp) in the harness JVM");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> Run.livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        List<Cpu.Proc> procs = run.procs(session.database(), true, Cpu.Proc.of(token), Cpu.Proc.of(session));
        sweep.measuring(new Cpu(procs));
        Cpu services = new Cpu(procs.subList(0, 2));

        try (Http http = new Http(clientThreads, connections, timeout)) {
            List<String> sessionIds = new ArrayList<>();
            List<String> hostOf = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                String host = TestTokens.token(String.format("bench-host-%02d", i % 10));
                String id = http.session(session.port(), host, "{\"title\":\"Tokens bench " + i + "\",\"kind\":\"VIDEO\","
                        + "\"visibility\":\"PUBLIC\",\"settings\":{\"maxParticipants\":100000}}", true);
                sessionIds.add(id);
                hostOf.add(host);
            }
            for (String id : sessionIds) {
                awaitToken(http, token.port(), TestTokens.token("bench-probe"), id, Duration.ofSeconds(60));
            }
            Log.info("%d sessions live; token-service issues tokens for them", sessions);
            // sessions are announced before their audiences arrive: by then token-service knows them (its Kafka
            // consumers joined their groups at its start, a few seconds ago); earlier, it asks session-service
            Log.info("audiences arrive in %d s", settle.toSeconds());
            java.util.concurrent.locks.LockSupport.parkNanos(settle.toNanos());
            List<String> bearers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                bearers.add(TestTokens.token(String.format("bench-user-%05d", i)));
            }
            int pairs = users * sessions;
            int[] order = shuffled(pairs);
            OpenLoop.Op request = seq -> {
                int pair = order[(int) (seq % pairs)];
                return label(http.call(HttpMethod.POST, token.port(), "/api/tokens", bearers.get(pair / sessions),
                        "{\"session\":\"" + sessionIds.get(pair % sessions) + "\"}"));
            };
            Duration drain = timeout;
            // Every (user, session) pair joins once (first joins), then rejoins until the JIT settles: what is
            // measured afterwards are rejoins of admitted participants (a token refresh).
            Log.info("first joins: %d (user, session) pairs at %.0f/s", pairs, warmupRate);
            LoadResult joins = OpenLoop.run("first joins", warmupRate,
                    Duration.ofMillis(Math.round(pairs * 1000 / warmupRate) + 1), connections * 4, drain, request);
            if (joins.errors() > 0) {
                throw new IllegalStateException("first joins failed: " + joins.errorsByCause());
            }
            Sweep.Load tokens = Sweep.open(request, connections * 4, drain);
            sweep.warmup(report, "", services, warmupRate, Map.of("tokens", tokens));
            Knee.Step knee = sweep.knee(report, "", tokens, rates, goalMillis, step, "requests");
            double half = Sweep.half(knee, rates);
            List<Knee.Step> halves = sweep.rounds(rounds, half, roundWindow, Map.of("half the knee", tokens)).stream()
                    .map(r -> r.get("half the knee")).toList();
            Stats halfP99 = Stats.of(halves.stream().map(s -> s.load().p99Millis()).toList());
            Stats halfCpu = Stats.of(halves.stream().map(s -> s.cpuMicrosPerOp("token-service")).toList());
            List<Double> bounds = removalBounds(http, session.port(), token.port(), sessionIds, hostOf);
            Stats bound = Stats.of(bounds);
            report.put("half_rate", Table.f(half, 0)).put("half", Sweep.table(halves, sweep.names(), goalMillis))
                    .put("half_p99", halfP99.format("%.2f")).put("half_cpu", halfCpu.format("%.0f"))
                    .put("errors", sweep.errors()).put("removals", bounds.size()).put("removal", bound.format("%.1f"))
                    .put("goal_ms", Table.f(goalMillis, 0)).put("users", users).put("sessions", sessions);
            report.result("ratio_vs_sdk", Table.plain(ratio.median(), 2))
                    .result("endpoint_rps", Sweep.rate(knee))
                    .result("endpoint_p99_ms", knee == null ? "n/a" : Table.plain(knee.load().p99Millis(), 2))
                    .result("removal_bound_ms", Table.plain(bound.max(), 1));
            return report;
        }
    }

    /**
     * For each of {@code removals} fresh users: a token, then in the room (registered at session-service, as LiveKit's
     * participant_joined does), then the session's host sends DELETE /api/sessions/{id}/participants/{user}; from just
     * before that request, POST /api/tokens as the user every {@code removal-poll} until token-service answers 403.
     */
    private List<Double> removalBounds(Http http, int sessionPort, int tokenPort, List<String> sessionIds,
            List<String> hosts) {
        List<Double> bounds = new ArrayList<>();
        for (int k = 0; k < removals; k++) {
            String user = String.format("bench-removed-%03d", k);
            String bearer = TestTokens.token(user);
            int s = k % sessionIds.size();
            String id = sessionIds.get(s);
            String body = "{\"session\":\"" + id + "\"}";
            String identity = http.json(HttpMethod.POST, tokenPort, "/api/tokens", bearer, body).getString("identity");
            // in the room: what LiveKit's participant_joined registers at session-service (a token alone does not)
            http.json(HttpMethod.POST, sessionPort, "/api/sessions/" + id + "/join", bearer,
                    "{\"name\":\"" + user + "\"}");
            long start = System.nanoTime();
            http.json(HttpMethod.DELETE, sessionPort, "/api/sessions/" + id + "/participants/"
                    + java.net.URLEncoder.encode(identity, java.nio.charset.StandardCharsets.UTF_8), hosts.get(s), null);
            long deadline = start + Duration.ofSeconds(10).toNanos();
            int status;
            do {
                status = http.status(HttpMethod.POST, tokenPort, "/api/tokens", bearer, body);
                if (status == 403) {
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(removalPoll.toNanos());
            } while (System.nanoTime() < deadline);
            if (status != 403) {
                throw new IllegalStateException("token-service still issued a token (or answered " + status
                        + ") 10 s after " + user + " was removed from " + id);
            }
            bounds.add((System.nanoTime() - start) / 1e6);
        }
        Log.info("removal bound: %s", Stats.of(bounds).format("%.1f"));
        return bounds;
    }

    private static void awaitToken(Http http, int port, String bearer, String session, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status;
        while ((status = http.status(HttpMethod.POST, port, "/api/tokens", bearer,
                "{\"session\":\"" + session + "\"}")) != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no token for session " + session + " within " + timeout.toSeconds()
                        + " s (last status " + status + ")");
            }
            Thread.sleep(50);
        }
    }

    private static CompletionStage<String> label(CompletionStage<?> call) {
        return call.thenApply(body -> null);
    }

    private static int[] shuffled(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
