package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import io.livestage.testing.oidc.TestTokens;

/**
 * tokens: {@code TokenMinter} against the LiveKit SDK in JMH, then token-service's {@code POST /api/tokens} over HTTP
 * (each token a synchronous join at session-service and an audit row), side by side with session-service's join
 * alone and a loopback floor. See bench/README.md.
 */
public final class TokensBenchmark {
    /** Timer names in {@link ServerTimes}. */
    static final String TOKEN_SERVER = "token-service: POST /api/tokens";
    static final String JOIN_CLIENT = "token-service: its REST call to session-service's join";
    static final String JOIN_SERVER = "session-service: POST /api/sessions/{ref}/join";

    private final TokensSettings settings;

    public TokensBenchmark(TokensSettings settings) {
        this.settings = settings;
    }

    public TokensReport run() throws Exception {
        long runStart = System.nanoTime();
        String loadAtStart = Harness.loadAverage();
        List<String> notes = new ArrayList<>();
        MintJmh.Outcome jmh = null;
        if (settings.jmhForks() > 0) {
            // First, on a quiet machine: nothing else of the run is started yet.
            jmh = MintJmh.run(settings, settings.stack().repoRoot().resolve("bench/target/tokens"));
        } else {
            notes.add("JMH skipped (--jmh-forks=0).");
        }
        TokensReport.Endpoint endpoint = null;
        if (!settings.duration().isZero()) {
            endpoint = endpoint(notes);
        } else {
            notes.add("Endpoint skipped (--duration=0).");
        }
        notes.add("Whole run took " + Harness.seconds(Duration.ofNanos(System.nanoTime() - runStart)) + " s"
                + (jmh != null ? ", JMH " + Harness.seconds(jmh.took()) + " s of it" : "")
                + (endpoint != null ? ", including the start-up of Kafka, PostgreSQL and both services." : "."));
        String load = loadAtStart.isBlank() ? "" : loadAtStart + " before the run, " + Harness.loadAverage() + " after";
        return new TokensReport(Harness.machine(), settings, jmh, endpoint, notes, load);
    }

    private TokensReport.Endpoint endpoint(List<String> notes) throws Exception {
        try (LiveStack stack = LiveStack.start("tokens", settings.stack(), notes)) {
            Http http = new Http(settings.requestTimeout());
            int sessionPort = stack.sessionService.port();
            int tokenPort = stack.tokenService.port();

            int hostCount = Math.max(1, Math.min(10, settings.sessions()));
            List<String> hostBearers = new ArrayList<>();
            for (int i = 1; i <= hostCount; i++) {
                hostBearers.add(TestTokens.token(String.format("bench-host-%02d", i)));
            }
            Harness.log("creating and starting " + settings.sessions() + " live VIDEO sessions");
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < settings.sessions(); i++) {
                String bearer = hostBearers.get(i % hostCount);
                String id = http.postOk(sessionPort, "/api/sessions", bearer, "{\"title\":\"Tokens bench " + i
                        + "\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\",\"settings\":{\"maxParticipants\":100000}}",
                        "POST /api/sessions").getString("id");
                http.postOk(sessionPort, "/api/sessions/" + id + "/start", bearer, null, "POST /api/sessions/{id}/start");
                sessions.add(id);
            }
            for (String id : sessions) {
                stack.livekit.awaitCall("CreateRoom", call -> id.equals(call.room()), Duration.ofSeconds(60));
            }
            Harness.log("sessions live; token-service created their rooms at the LiveKit stub");

            long signStart = System.nanoTime();
            List<String> users = new ArrayList<>();
            List<String> bearers = new ArrayList<>();
            for (int i = 1; i <= settings.users(); i++) {
                String user = String.format("bench-user-%05d", i);
                users.add(user);
                bearers.add(TestTokens.token(user));
            }
            Harness.log("signed " + settings.users() + " RS256 bearer tokens in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signStart) + " ms");
            // One real answer, from a user outside the pool: the floor answers with a body of the same size.
            JsonObject sample = http.postOk(tokenPort, "/api/tokens", TestTokens.token("bench-sample-user"),
                    "{\"session\":\"" + sessions.getFirst() + "\"}", "POST /api/tokens");
            String floorBody = sample.encode();

            TokenRequests requests = new TokenRequests(bearers, users, sessions, settings.firstJoinShare(), 42);
            return drive(stack, requests, floorBody, notes);
        }
    }

    private TokensReport.Endpoint drive(LiveStack stack, TokenRequests requests, String floorBody, List<String> notes)
            throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(settings.clientThreads())
                .setWorkerPoolSize(2).setInternalBlockingPoolSize(2));
        FloorServer floor = FloorServer.start(1, floorBody);
        try {
            int connections = settings.connections();
            ClosedLoop toToken = new ClosedLoop(vertx, Harness.client(vertx, connections),
                    stack.tokenService.port(), requests.tokens(), settings.requestTimeout(),
                    (request, body) -> requests.succeeded(request));
            ClosedLoop toJoin = new ClosedLoop(vertx, Harness.client(vertx, connections),
                    stack.sessionService.port(), requests.joins(), settings.requestTimeout(),
                    (request, body) -> requests.succeeded(request));
            ClosedLoop toFloor = new ClosedLoop(vertx, Harness.client(vertx, connections), floor.port(),
                    requests.floor(), settings.requestTimeout(), null);

            stack.analyze();
            if (!settings.warmup().isZero()) {
                Harness.log("warm-up: " + Harness.seconds(settings.warmup()) + " s of POST /api/tokens");
                ClosedLoop.Result warm = await(toToken.run("warm-up", connections, settings.clientThreads(),
                        settings.warmup(), settings.maxRequests()));
                Harness.log(String.format("warm-up: %.0f ok/s, %d errors", warm.okPerSecond(), warm.errors()));
                if (warm.errors() > 0) {
                    notes.add("Warm-up (not measured): " + warm.errors() + " errors " + errorsOf(warm));
                }
                if (!settings.joinDuration().isZero()) {
                    Duration joinWarmup = Harness.min(settings.warmup().dividedBy(3), Duration.ofSeconds(10));
                    Harness.log("warm-up: " + Harness.seconds(joinWarmup) + " s of session-service's join alone");
                    await(toJoin.run("warm-up join", connections, settings.clientThreads(), joinWarmup,
                            settings.maxRequests()));
                }
                if (!settings.floorDuration().isZero()) {
                    Duration floorWarmup = Harness.min(settings.warmup(), Duration.ofSeconds(5));
                    Harness.log("warm-up: " + Harness.seconds(floorWarmup) + " s against the loopback floor");
                    await(toFloor.run("warm-up floor", connections, settings.clientThreads(), floorWarmup,
                            settings.maxRequests()));
                }
            }
            stack.analyze();

            CpuMeter tokenCpu = stack.cpuMeter();
            CpuMeter joinCpu = stack.cpuMeter();
            ServerTimes times = new ServerTimes()
                    .add(new ServerTimes.Timer(TOKEN_SERVER, stack.tokenService.port(), "http_server_requests_seconds",
                            "uri=\"/api/tokens\""))
                    .add(new ServerTimes.Timer(JOIN_CLIENT, stack.tokenService.port(), "http_client_requests_seconds",
                            "/join\""))
                    .add(new ServerTimes.Timer(JOIN_SERVER, stack.sessionService.port(), "http_server_requests_seconds",
                            "/join\""));
            Window token = new Window("token-service");
            Window join = new Window("session-service join alone");
            Window floorWindow = new Window("floor");
            Map<String, Long> errors = new LinkedHashMap<>();
            List<TokensReport.Round> rounds = new ArrayList<>();
            Duration tokenWindow = settings.duration().dividedBy(settings.rounds());
            Duration joinWindow = settings.joinDuration().dividedBy(settings.rounds());
            Duration floorDuration = settings.floorDuration().dividedBy(settings.rounds());
            for (int round = 1; round <= settings.rounds(); round++) {
                String prefix = "round " + round + "/" + settings.rounds() + ": ";
                Harness.log(prefix + Harness.seconds(tokenWindow) + " s POST /api/tokens");
                tokenCpu.begin();
                times.begin();
                ClosedLoop.Result t = await(toToken.run("token-service", connections, settings.clientThreads(),
                        tokenWindow, settings.maxRequests()));
                times.end();
                tokenCpu.end();
                token.add(t, errors);
                double joinRps = 0;
                if (!joinWindow.isZero()) {
                    Harness.log(prefix + Harness.seconds(joinWindow) + " s session-service join alone");
                    joinCpu.begin();
                    ClosedLoop.Result j = await(toJoin.run("join", connections, settings.clientThreads(), joinWindow,
                            settings.maxRequests()));
                    joinCpu.end();
                    join.add(j, errors);
                    joinRps = j.okPerSecond();
                }
                double floorRps = 0;
                if (!floorDuration.isZero()) {
                    Harness.log(prefix + Harness.seconds(floorDuration) + " s loopback floor");
                    ClosedLoop.Result f = await(toFloor.run("floor", connections, settings.clientThreads(),
                            floorDuration, settings.maxRequests()));
                    floorWindow.add(f, errors);
                    floorRps = f.okPerSecond();
                }
                Harness.log(String.format("round %d: tokens %.0f ok/s (%d errors), join alone %.0f ok/s, floor %.0f ok/s",
                        round, t.okPerSecond(), t.errors(), joinRps, floorRps));
                rounds.add(new TokensReport.Round(round, t.okPerSecond(), joinRps, floorRps));
            }

            Window tokenOne = new Window("token-service, 1 connection");
            Window joinOne = new Window("session-service join alone, 1 connection");
            if (!settings.latencyDuration().isZero()) {
                Harness.log(Harness.seconds(settings.latencyDuration()) + " s POST /api/tokens on 1 connection");
                tokenOne.add(await(toToken.run("token-1", 1, 1, settings.latencyDuration(), settings.maxRequests())),
                        errors);
                if (!settings.joinDuration().isZero()) {
                    Harness.log(Harness.seconds(settings.latencyDuration()) + " s join alone on 1 connection");
                    joinOne.add(await(toJoin.run("join-1", 1, 1, settings.latencyDuration(), settings.maxRequests())),
                            errors);
                }
            }

            List<Report.Line> lines = new ArrayList<>();
            token.lines(lines, List.of(TokenRequests.TOKEN_FIRST, TokenRequests.TOKEN_REJOIN), "POST /api/tokens, all");
            tokenOne.lines(lines, List.of(TokenRequests.TOKEN_FIRST, TokenRequests.TOKEN_REJOIN),
                    "POST /api/tokens, all");
            join.lines(lines, List.of(TokenRequests.JOIN_FIRST, TokenRequests.JOIN_REJOIN), "join, all");
            joinOne.lines(lines, List.of(TokenRequests.JOIN_FIRST, TokenRequests.JOIN_REJOIN), "join, all");
            floorWindow.lines(lines, List.of(), "all (token requests)");

            if (requests.exhausted() > 0) {
                notes.add(requests.exhausted() + " requests meant as first joins found no (user, session) pair left and "
                        + "were sent as rejoins; raise --users or --sessions.");
            }
            notes.add("Pairs joined for the first time over the run: " + requests.joinedPairs() + " of "
                    + requests.pairs() + " (" + settings.users() + " users × " + settings.sessions() + " sessions).");
            return new TokensReport.Endpoint(rounds, lines, errors, token.rps(), join.rps(), floorWindow.rps(),
                    token.all(), tokenCpu.usage().orElse(null), joinCpu.usage().orElse(null), times,
                    tokenOne.rps() > 0 ? tokenOne.all() : null, joinOne.rps() > 0 ? joinOne.all() : null,
                    stack.describe(), floorBody.length());
        } finally {
            floor.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Accumulates the windows of one target: histograms and error counts per operation, ok and time. */
    private static final class Window {
        final String target;
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        final Map<String, Long> errorCounts = new LinkedHashMap<>();
        long ok;
        long nanos;

        Window(String target) {
            this.target = target;
        }

        void add(ClosedLoop.Result result, Map<String, Long> errors) {
            ok += result.ok();
            nanos += result.elapsed().toNanos();
            result.stats().forEach((op, stats) -> {
                histograms.computeIfAbsent(op, o -> new Histogram(OpStats.HIGHEST_MICROS, 3)).add(stats.histogram());
                errorCounts.merge(op, stats.errors(), Long::sum);
                stats.errorsByCause().forEach((cause, n) -> errors.merge(target + " | " + op + " | " + cause, n,
                        Long::sum));
            });
        }

        double rps() {
            return nanos == 0 ? 0 : ok / (nanos / 1e9);
        }

        Histogram all() {
            Histogram all = new Histogram(OpStats.HIGHEST_MICROS, 3);
            histograms.values().forEach(all::add);
            return all;
        }

        /** A line per operation in {@code ops} (in that order), then one for all of them. */
        void lines(List<Report.Line> lines, List<String> ops, String allLabel) {
            if (nanos == 0) {
                return;
            }
            double seconds = nanos / 1e9;
            for (String op : ops) {
                Histogram h = histograms.getOrDefault(op, new Histogram(OpStats.HIGHEST_MICROS, 3));
                lines.add(new Report.Line(target, op, h.getTotalCount(), errorCounts.getOrDefault(op, 0L),
                        h.getTotalCount() / seconds, h));
            }
            Histogram all = all();
            long allErrors = errorCounts.values().stream().mapToLong(Long::longValue).sum();
            lines.add(new Report.Line(target, allLabel, all.getTotalCount(), allErrors, all.getTotalCount() / seconds,
                    all));
        }
    }

    private static String errorsOf(ClosedLoop.Result result) {
        Map<String, Long> byCause = new LinkedHashMap<>();
        result.stats().forEach((op, s) -> s.errorsByCause().forEach((cause, n) -> byCause.put(op + " " + cause, n)));
        return byCause.toString();
    }

    private ClosedLoop.Result await(CompletableFuture<ClosedLoop.Result> window) throws Exception {
        return Harness.await(window, settings.budget());
    }
}
