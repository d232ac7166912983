package io.livestage.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

import static io.livestage.bench.Report.fixed;
import static io.livestage.bench.Report.ms;
import static io.livestage.bench.Report.percentileMs;
import static io.livestage.bench.Report.trim1;

/**
 * The tokens results: a console summary and {@code docs/benchmarks/tokens.md}, whose last line is
 * {@code RESULT ratio_vs_sdk=<n> endpoint_rps=<n> endpoint_p99_ms=<n>}.
 */
public final class TokensReport {
    public static final double GOAL_RATIO = 2;
    public static final double GOAL_RPS = 20_000;
    public static final double GOAL_P99_MS = 10;

    /** One A-B round: tokens, then join alone, then the floor. */
    public record Round(int number, double tokenRps, double joinRps, double floorRps) {
    }

    /** What the HTTP part measured. */
    public record Endpoint(List<Round> rounds, List<Report.Line> lines, Map<String, Long> errors, double tokenRps,
            double joinRps, double floorRps, Histogram tokenAll, CpuMeter.Usage tokenCpu, CpuMeter.Usage joinCpu,
            ServerTimes times, Histogram tokenUnloaded, Histogram joinUnloaded, String stack, int floorBodyBytes) {
        long tokenErrors() {
            return lines.stream().filter(l -> l.target().equals("token-service")).filter(l -> l.op().endsWith("all"))
                    .mapToLong(Report.Line::errors).sum();
        }
    }

    private final Report.Machine machine;
    private final TokensSettings settings;
    private final MintJmh.Outcome jmh;
    private final Endpoint endpoint;
    private final List<String> notes;
    private final String loadAverage;

    public TokensReport(Report.Machine machine, TokensSettings settings, MintJmh.Outcome jmh, Endpoint endpoint,
            List<String> notes, String loadAverage) {
        this.machine = machine;
        this.settings = settings;
        this.jmh = jmh;
        this.endpoint = endpoint;
        this.notes = List.copyOf(notes);
        this.loadAverage = loadAverage == null ? "" : loadAverage;
    }

    public double ratio() {
        return jmh == null ? Double.NaN : jmh.ratio();
    }

    public double endpointRps() {
        return endpoint == null ? Double.NaN : endpoint.tokenRps();
    }

    public double endpointP99Ms() {
        return endpoint == null ? Double.NaN : percentileMs(endpoint.tokenAll(), 99);
    }

    public String resultLine() {
        return "RESULT ratio_vs_sdk=" + Report.number(ratio()) + " endpoint_rps="
                + (Double.isNaN(endpointRps()) ? "n/a" : Long.toString(Math.round(endpointRps())))
                + " endpoint_p99_ms=" + Report.number(endpointP99Ms());
    }

    public Table goalsTable() {
        Table table = new Table("goal", "target", "measured", "met").textColumns(4);
        double ratio = ratio();
        table.row("TokenMinter ÷ SDK AccessToken.toJwt() (JMH, ops/s)", "≥ " + trim1(GOAL_RATIO) + "×",
                Double.isNaN(ratio) ? "n/a" : fixed(ratio) + "×", Double.isNaN(ratio) ? "not measured"
                        : ratio >= GOAL_RATIO ? "met" : "NOT met");
        double rps = endpointRps();
        table.row("POST /api/tokens throughput", "≥ " + trim1(GOAL_RPS) + " req/s",
                Double.isNaN(rps) ? "n/a" : trim1(rps) + " req/s", Double.isNaN(rps) ? "not measured"
                        : rps >= GOAL_RPS ? "met" : "NOT met");
        double p99 = endpointP99Ms();
        table.row("POST /api/tokens p99 (at that load)", "≤ " + trim1(GOAL_P99_MS) + " ms", Report.withUnit(p99, " ms"),
                Report.met(p99, GOAL_P99_MS));
        return table;
    }

    public Table jmhTable() {
        if (jmh == null) {
            return null;
        }
        Table table = new Table("benchmark", "ops/s", "± (99.9 %)", "iterations", "per round (ops/s)", "vs SDK")
                .textColumns(1);
        MintJmh.Score sdk = jmh.scores().get(MintJmh.SDK);
        jmh.scores().forEach((name, score) -> table.row(describe(name), grouped(score.mean()), grouped(score.error()),
                score.iterations(), String.join(" / ", score.perRound().stream().map(TokensReport::grouped).toList()),
                sdk == null ? "" : fixed(score.mean() / sdk.mean()) + "×"));
        return table;
    }

    private static String describe(String benchmark) {
        return switch (benchmark) {
            case MintJmh.MINTER -> "minter: TokenMinter.mint(...)";
            case MintJmh.SDK -> "sdk: new AccessToken + grants, toJwt()";
            case MintJmh.SDK_TO_JWT -> "sdkToJwtOnly: toJwt() of a prebuilt AccessToken";
            default -> benchmark;
        };
    }

    public Table roundsTable() {
        Table table = new Table("round", "POST /api/tokens ok/s", "join alone ok/s", "loopback floor ok/s",
                "tokens ÷ floor");
        for (Round round : endpoint.rounds()) {
            table.row(round.number(), trim1(round.tokenRps()), trim1(round.joinRps()), trim1(round.floorRps()),
                    round.floorRps() > 0 ? Report.percent(round.tokenRps() / round.floorRps()) : "-");
        }
        table.row("all", trim1(endpoint.tokenRps()), trim1(endpoint.joinRps()), trim1(endpoint.floorRps()),
                endpoint.floorRps() > 0 ? Report.percent(endpoint.tokenRps() / endpoint.floorRps()) : "-");
        return table;
    }

    public Table latencyTable() {
        Table table = new Table("target", "operation", "ok", "errors", "ok/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms")
                .textColumns(2);
        for (Report.Line line : endpoint.lines()) {
            Histogram h = line.histogram();
            table.row(line.target(), line.op(), line.ok(), line.errors(), trim1(line.rps()), ms(h, 50), ms(h, 99),
                    ms(h, 99.9), Report.maxMs(h));
        }
        return table;
    }

    /** CPU milliseconds per request of each part, from cores used ÷ requests per second. */
    public Table cpuPerRequestTable() {
        CpuMeter.Usage token = endpoint.tokenCpu();
        if (token == null || endpoint.tokenRps() <= 0) {
            return null;
        }
        CpuMeter.Usage join = endpoint.joinCpu();
        Table table = new Table("CPU ms per request", "per token (POST /api/tokens)", "per join alone");
        double tokenRps = endpoint.tokenRps();
        double joinRps = endpoint.joinRps();
        for (String service : token.services().keySet()) {
            table.row(service, fixed(token.services().get(service) / tokenRps * 1000),
                    join == null || joinRps <= 0 ? "-" : fixed(join.services().get(service) / joinRps * 1000));
        }
        table.row("embedded PostgreSQL", fixed(token.postgres() / tokenRps * 1000),
                join == null || joinRps <= 0 ? "-" : fixed(join.postgres() / joinRps * 1000));
        table.row("services + PostgreSQL", fixed(serverCpuMs(token, tokenRps)),
                join == null || joinRps <= 0 ? "-" : fixed(serverCpuMs(join, joinRps)));
        table.row("harness (client, Kafka broker, LiveKit stub)", fixed(token.harness() / tokenRps * 1000),
                join == null || joinRps <= 0 ? "-" : fixed(join.harness() / joinRps * 1000));
        return table;
    }

    private static double serverCpuMs(CpuMeter.Usage usage, double rps) {
        return (usage.service() + usage.postgres()) / rps * 1000;
    }

    public Table serverTimesTable() {
        ServerTimes times = endpoint.times();
        Table table = new Table("timer (the services' own Micrometer timers, token windows only)", "requests",
                "mean ms");
        for (String name : List.of(TokensBenchmark.TOKEN_SERVER, TokensBenchmark.JOIN_CLIENT,
                TokensBenchmark.JOIN_SERVER)) {
            table.row(name, Math.round(times.count(name)), Report.number(times.meanMs(name)));
        }
        return table;
    }

    /** Where the time and the CPU of a token go, in sentences computed from the figures. */
    List<String> analysis() {
        List<String> out = new ArrayList<>();
        CpuMeter.Usage token = endpoint.tokenCpu();
        double rps = endpoint.tokenRps();
        if (token != null && rps > 0) {
            double server = serverCpuMs(token, rps);
            double sessionMs = token.services().getOrDefault("session-service", 0.0) / rps * 1000;
            double tokenMs = token.services().getOrDefault("token-service", 0.0) / rps * 1000;
            double pgMs = token.postgres() / rps * 1000;
            out.add(String.format(Locale.ROOT, "CPU per token: %.2f ms across the two services and PostgreSQL "
                    + "(token-service %.2f ms, session-service %.2f ms, PostgreSQL %.2f ms), plus %.2f ms in the "
                    + "harness. On %d cores that alone caps the endpoint near %,.0f req/s even if nothing else ran; "
                    + "%,.0f req/s would need ≤ %.3f ms of CPU per token in all, about %.0f× less than now.",
                    server, tokenMs, sessionMs, pgMs, token.harness() / rps * 1000, token.cores(),
                    token.cores() / server * 1000, GOAL_RPS, token.cores() / GOAL_RPS * 1000,
                    server / (token.cores() / GOAL_RPS * 1000)));
            out.add(String.format(Locale.ROOT, "The machine was %.0f %% busy during the token windows (%.2f of %d "
                    + "cores idle): the closed loop saturates it, so the throughput above is a CPU limit, not a "
                    + "latency limit.", token.machineBusy() / token.cores() * 100, token.idle(), token.cores()));
            out.addAll(token.caveats());
        }
        ServerTimes times = endpoint.times();
        double tokenServer = times.meanMs(TokensBenchmark.TOKEN_SERVER);
        double joinClient = times.meanMs(TokensBenchmark.JOIN_CLIENT);
        double joinServer = times.meanMs(TokensBenchmark.JOIN_SERVER);
        if (!Double.isNaN(tokenServer) && !Double.isNaN(joinClient)) {
            out.add(String.format(Locale.ROOT, "Time inside token-service per token: %.2f ms on average (its own "
                    + "timer), of which %.2f ms (%.0f %%) waiting for session-service's join (%s ms of which "
                    + "session-service itself measured handling it; the rest is the REST client, the loopback "
                    + "connection and queueing for a CPU). The remaining %.2f ms are token-service's own work and "
                    + "waiting: the bearer's RS256 check, minting, the audit row in its own transaction, JSON.",
                    tokenServer, joinClient, joinClient / tokenServer * 100, Report.number(joinServer),
                    Math.max(0, tokenServer - joinClient)));
        }
        if (endpoint.joinRps() > 0 && rps > 0) {
            out.add(String.format(Locale.ROOT, "Component alone: session-service's join, called directly on the same "
                    + "connections and pairs, ran at %,.0f req/s against %,.0f req/s for whole tokens. At saturation "
                    + "the machine spends 1/throughput per request, so the synchronous join is about %.0f %% of what a "
                    + "token costs, token-service's own work (and its share of PostgreSQL) the other %.0f %%.",
                    endpoint.joinRps(), rps, Math.min(100, rps / endpoint.joinRps() * 100),
                    Math.max(0, 100 - rps / endpoint.joinRps() * 100)));
        }
        if (endpoint.tokenUnloaded() != null && endpoint.tokenUnloaded().getTotalCount() > 0) {
            double tokenP50 = percentileMs(endpoint.tokenUnloaded(), 50);
            double joinP50 = endpoint.joinUnloaded() == null ? Double.NaN : percentileMs(endpoint.joinUnloaded(), 50);
            out.add(String.format(Locale.ROOT, "Unloaded (1 connection): a token takes %.2f ms at p50%s. The p99 "
                    + "at %d connections is mostly queueing (Little's law: %d ÷ %,.0f req/s = %.1f ms mean in the "
                    + "system).", tokenP50, Double.isNaN(joinP50) ? ""
                            : String.format(Locale.ROOT, ", the join alone %.2f ms", joinP50),
                    settings.connections(), settings.connections(), rps, settings.connections() / rps * 1000));
        }
        return out;
    }

    public String console() {
        StringBuilder out = new StringBuilder("\n");
        if (jmh != null) {
            out.append(jmhTable().text()).append('\n');
        }
        if (endpoint != null) {
            out.append(roundsTable().text()).append('\n').append(latencyTable().text()).append('\n');
            Table cpu = cpuPerRequestTable();
            if (cpu != null) {
                out.append(cpu.text()).append('\n');
            }
            out.append(serverTimesTable().text()).append('\n');
            analysis().forEach(line -> out.append("where the time goes: ").append(line).append('\n'));
            if (!endpoint.errors().isEmpty()) {
                out.append("errors by cause: ").append(new TreeMap<>(endpoint.errors())).append('\n');
            }
        }
        out.append(goalsTable().text()).append('\n');
        if (!loadAverage.isBlank()) {
            out.append("load average: ").append(loadAverage).append('\n');
        }
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        out.append(resultLine()).append('\n');
        return out.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Benchmark: tokens\n\n");
        md.append("Written by `./bench/run tokens`; numbers from one run on a shared, noisy machine. Compare runs by the "
                + "ratios measured in the same run (minter ÷ SDK, tokens ÷ loopback floor), not by absolute figures.\n\n");
        md.append(Harness.machineSection(machine, loadAverage));
        md.append("## Method\n\n");
        method().forEach(line -> md.append("- ").append(line).append('\n'));
        md.append("\n## Goals\n\n").append(goalsTable().markdown());
        if (jmh != null) {
            md.append("\n## Minting: TokenMinter against the LiveKit SDK (JMH)\n\n").append(jmhTable().markdown());
            md.append("\nRatio minter ÷ SDK: **").append(fixed(jmh.ratio())).append("×** (per round: ")
                    .append(String.join(", ", jmh.ratioPerRound().stream().map(r -> fixed(r) + "×").toList()))
                    .append("). Throughput of one thread, ops/s; ± is JMH's 99.9 % confidence half-width over the "
                            + "measurement iterations of all forks.\n");
        }
        if (endpoint != null) {
            md.append("\n## POST /api/tokens against the join alone and the loopback floor (A B A B)\n\n")
                    .append(roundsTable().markdown());
            md.append("\n## Latency\n\nSuccessful (2xx) requests only; failures are counted in `errors` and listed "
                    + "below. ok/s is over the measured windows of that target. The \"1 connection\" lines are one "
                    + "request at a time, after the measured rounds: latency without queueing.\n\n")
                    .append(latencyTable().markdown());
            md.append("\n## Where the time goes\n\n");
            analysis().forEach(line -> md.append("- ").append(line).append('\n'));
            Table perRequest = cpuPerRequestTable();
            if (perRequest != null) {
                md.append("\n").append(perRequest.markdown());
            }
            md.append("\n").append(serverTimesTable().markdown());
            if (endpoint.tokenCpu() != null) {
                CpuMeter.Usage cpu = endpoint.tokenCpu();
                md.append("\nCPU seconds per wall second over the measured token windows (").append(fixed(cpu.wallSeconds()))
                        .append(" s), from /proc. On a shared machine, \"everything else\" is other people's work "
                                + "competing with this run.\n\n")
                        .append(cpu.table("the POST /api/tokens windows", "client, Kafka broker, LiveKit stub")
                                .markdown());
                for (String service : cpu.services().keySet()) {
                    Table threads = cpu.threadTable(service);
                    if (threads != null) {
                        md.append("\nBusiest threads of ").append(service)
                                .append(" (names as Linux keeps them, 15 characters):\n\n").append(threads.markdown());
                    }
                }
            }
            md.append("\n## Errors\n\n");
            if (endpoint.errors().isEmpty()) {
                md.append("None: every request got a 2xx response.\n");
            } else {
                Table table = new Table("where", "operation", "cause", "count").textColumns(3);
                new TreeMap<>(endpoint.errors()).forEach((key, count) -> {
                    String[] parts = key.split(" \\| ", 3);
                    table.row(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "", count);
                });
                md.append(table.markdown());
            }
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            notes.forEach(note -> md.append("- ").append(note).append('\n'));
        }
        md.append('\n').append(resultLine()).append('\n');
        return md.toString();
    }

    private List<String> method() {
        List<String> method = new ArrayList<>();
        if (jmh != null) {
            method.add("Minting (JMH " + jmh.jmhVersion() + ", run first, before anything else of the run starts): "
                    + "one token for a GUEST of a VIDEO session (identity rotating over 64 users, name, metadata "
                    + "{\"role\":\"GUEST\",\"sessionId\":…}, room, grants roomJoin/room/canPublish/canSubscribe/"
                    + "canPublishData/canPublishSources [camera, microphone], ttl 6 h, `now` read per token) by "
                    + "token-service's `TokenMinter.mint(...)` and by the official SDK (io.livekit:livekit-server): "
                    + "`new AccessToken(key, secret)`, identity, name, metadata, ttl, the same grants, `toJwt()`; also "
                    + "`toJwt()` alone on prebuilt AccessTokens. The " + jmh.claimsCheck());
            method.add("JMH settings: mode throughput, 1 thread, " + jmh.forks() + " fork(s) per benchmark run as "
                    + jmh.forks() + " rounds (minter, sdk, sdkToJwtOnly in each: A B A B), " + jmh.warmupIterations()
                    + " warm-up + " + jmh.iterations() + " measurement iterations of " + jmh.iterationTime().toMillis()
                    + " ms per fork, fork JVM options " + String.join(" ", jmh.jvmArgs()) + "; JMH part took "
                    + Harness.seconds(jmh.took()) + " s. bench depends on token-service's plain jar with every "
                    + "transitive dependency excluded, so the forks' classpath has TokenMinter without token-service's "
                    + "Quarkus runtime.");
        }
        if (endpoint != null) {
            method.add("Endpoint: " + settings.sessions() + " live VIDEO sessions (created and started by "
                    + Math.min(10, settings.sessions()) + " hosts; token-service created their rooms at the stub), "
                    + settings.users() + " users with their own RS256 bearer (TestTokens). Each request: a random user "
                    + "asks for a token to a random session, POST /api/tokens {\"session\": id}: token-service checks "
                    + "the bearer, calls session-service's POST /api/sessions/{id}/join synchronously (forwarding the "
                    + "bearer), mints, inserts the audit row, answers. " + Report.trim(settings.firstJoinShare() * 100)
                    + " % of requests are the first join of a (user, session) pair (session-service inserts the "
                    + "participant and a participant.joined outbox event), the rest rejoins of pairs already joined "
                    + "(session-service only reads). Any non-2xx or missing response is an error.");
            method.add("Load: closed loop, " + settings.connections() + " connections (HTTP/1.1 keep-alive pool of a "
                    + "Vert.x HttpClient on " + settings.clientThreads() + " event-loop thread(s)); each connection "
                    + "sends its next request as soon as the previous response is read. Latency = request sent → whole "
                    + "response read, HdrHistogram (µs, 3 digits). No schedule, so no coordinated-omission correction; "
                    + "throughput is what " + settings.connections() + " outstanding requests get.");
            method.add("Warm-up (not measured): " + Harness.seconds(settings.warmup()) + " s of tokens, then up to 10 s "
                    + "of joins alone and 5 s of the floor. ANALYZE on both databases before and after the warm-up (a "
                    + "fresh database has no statistics before autovacuum's first pass).");
            method.add("Measured: " + settings.rounds() + " rounds of " + Harness.seconds(settings.duration()
                    .dividedBy(settings.rounds())) + " s of tokens, " + Harness.seconds(settings.joinDuration()
                            .dividedBy(settings.rounds())) + " s of session-service's join alone (the component "
                    + "under the token endpoint, same bearer, name and pairs, straight to session-service) and "
                    + Harness.seconds(settings.floorDuration().dividedBy(settings.rounds())) + " s of the floor; then "
                    + Harness.seconds(settings.latencyDuration()) + " s each of tokens and joins on 1 connection; at "
                    + "most " + settings.maxRequests() + " requests per window.");
            method.add("Floor (peer): a plain Vert.x HttpServer on 127.0.0.1 in the harness JVM (1 event loop) "
                    + "answering every request with 200 and a real token response captured at set-up ("
                    + endpoint.floorBodyBytes() + " bytes), driven by the same client, bearers and connection count.");
            method.add("Where the time goes: CPU of each process over the token windows and the join windows (from "
                    + "/proc) divided by their throughput; the services' own Micrometer timers (http_server_requests / "
                    + "http_client_requests in /q/metrics), differenced over the token windows only.");
            method.add("Infrastructure, all on 127.0.0.1: " + endpoint.stack() + ". Client, floor server, stub and "
                    + "(by default) the Kafka broker share the harness JVM; everything shares the machine's cores.");
        }
        return method;
    }

    private static String grouped(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
