package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.http.HttpMethod;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Http;
import io.livestage.bench.core.Jfr;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Steps;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run gateway}: {@code GET /api/sessions/{id}} straight to session-service, through the gateway, and
 * through a plain vertx-http-proxy hop ({@link Floors}, its own JVM, the gateway's library, event-loop count and
 * upstream client settings) in front of the same session-service: a knee sweep of each, then A B rounds at half the
 * gateway's knee for the latency the gateway adds and its CPU per request against the hop's, with a JFR profile of the
 * gateway over the rounds.
 */
public final class GatewayScenario implements Scenario {
    private static final String UNUSED_UPSTREAM = "http://127.0.0.1:9";
    private static final List<String> TARGETS = List.of("direct", "gateway", "hop");

    private final boolean anonymous;
    private final List<Double> rates;
    private final Duration step;
    private final double goalMillis;
    private final int connections;
    private final double jitThreshold;
    private final double warmupRate;
    private final Duration warmupWindow;
    private final Duration warmupCap;
    private final int rounds;
    private final Duration roundWindow;
    private final boolean profile;
    private final Map<String, String> gatewayEnv = new LinkedHashMap<>();
    private final int users;
    private final Duration timeout;

    public GatewayScenario(Knobs k) {
        String auth = k.string("auth", "bearer");
        Knobs.require(auth.equals("bearer") || auth.equals("anonymous"), "auth is bearer or anonymous");
        anonymous = auth.equals("anonymous");
        rates = k.decimals("rates", "250,500,1000,1500,2000,3000,4000,6000");
        step = k.duration("step", "8s");
        goalMillis = k.decimal("goal-ms", 10);
        connections = k.integer("connections", 64);
        jitThreshold = k.decimal("jit-threshold", 0.05);
        warmupRate = k.decimal("warmup-rate", 500);
        warmupWindow = k.duration("warmup-window", "5s");
        warmupCap = k.duration("warmup-cap", "120s");
        rounds = k.integer("rounds", 5);
        roundWindow = k.duration("round-window", "5s");
        profile = k.flag("profile", true);
        for (String entry : k.string("gateway-env", "").split(",")) {
            if (!entry.isBlank()) {
                int eq = entry.indexOf('=');
                Knobs.require(eq > 0, "gateway-env entries are NAME=value, was '" + entry + "'");
                gatewayEnv.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        // The rate limiter runs (its cost is measured) but with quotas the load never reaches: the load comes from one
        // address and a few users, which real traffic does not.
        String quota = k.string("gateway-quota", "1000000000");
        if (!quota.equals("none")) {
            gatewayEnv.putIfAbsent("LIVESTAGE_GATEWAY_RATE_LIMIT_USER_LIMIT", quota);
            gatewayEnv.putIfAbsent("LIVESTAGE_GATEWAY_RATE_LIMIT_IP_LIMIT", quota);
        }
        users = k.integer("users", 20);
        timeout = k.duration("request-timeout", "10s");
        Knobs.require(users > 0 && rounds > 0 && connections > 0, "rounds and connections must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(240).plus(warmupCap).plus(step.plusSeconds(2).multipliedBy(3L * rates.size()))
                .plus(roundWindow.plusSeconds(2).multipliedBy(3L * rounds)).plusSeconds(profile ? 60 : 0);
    }

    @Override
    public Report run(Run run) throws Exception {
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess gateway = run.service("gateway", b -> b.env("SESSION_SERVICE_URL", session.url())
                .env("TOKEN_SERVICE_URL", UNUSED_UPSTREAM).env("CHAT_SERVICE_URL", UNUSED_UPSTREAM).env(gatewayEnv));
        Peer hop = run.own(Peer.jvm(Floors.class, List.of("proxy", Integer.toString(session.port()), "shared"),
                run.dir().resolve("proxy-hop.log")));
        run.describe("gateway: SESSION_SERVICE_URL = session-service" + (gatewayEnv.isEmpty() ? ""
                : ", " + gatewayEnv) + ", its defaults otherwise (Quarkus: 2 × cores event loops)");
        run.describe("the peer: a plain vertx-http-proxy hop (io.livestage.bench.Floors proxy) in its own JVM (-Xmx512m) in "
                + "front of the same session-service, as a Vert.x user writes one: the gateway's vertx-http-proxy "
                + "version, 2 × cores HTTP server instances, one shared upstream client (keep-alive, TCP_NODELAY, a "
                + "pool of 200), NIO; no router, auth, CORS, metrics; pid " + hop.pid());
        Map<String, Integer> ports = Map.of("direct", session.port(), "gateway", gateway.port(), "hop", hop.port);
        List<Cpu.Proc> procs = new ArrayList<>(List.of(new Cpu.Proc("gateway", gateway.pid()),
                new Cpu.Proc("hop", hop.pid()), new Cpu.Proc("session-service", session.pid())));
        run.postgresProc(session.database()).ifPresent(procs::add);
        procs.add(Cpu.Proc.self("harness"));
        Cpu cpu = new Cpu(procs);
        List<String> names = procs.stream().map(Cpu.Proc::name).toList();

        String host = TestTokens.token("bench-gateway-host");
        try (Http http = new Http(1, connections, timeout)) {
            String id = http.json(HttpMethod.POST, session.port(), "/api/sessions", host,
                    "{\"title\":\"Gateway bench\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\"}").getString("id");
            String path = "/api/sessions/" + id;
            List<String> bearers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                bearers.add(anonymous ? null : TestTokens.token(String.format("bench-user-%03d", i)));
            }
            for (String target : TARGETS) {
                http.json(HttpMethod.GET, ports.get(target), path, bearers.getFirst(), null); // fails if one is not up
            }
            Map<String, OpenLoop.Op> ops = new LinkedHashMap<>();
            TARGETS.forEach(t -> ops.put(t, seq -> http.call(HttpMethod.GET, ports.get(t), path,
                    bearers.get((int) (seq % users)), null).thenApply(b -> t)));
            Warmup.Outcome warm = Warmup.run(new Cpu(procs.subList(0, 3)), jitThreshold, warmupWindow, warmupCap, w -> {
                for (String t : TARGETS) {
                    OpenLoop.run("warm-up " + t, warmupRate, w.dividedBy(3), connections * 4, timeout, ops.get(t));
                }
            });
            Report report = Report.load("gateway");
            Map<String, Knee.Step> knees = new LinkedHashMap<>();
            List<LoadResult> loads = new ArrayList<>();
            for (String t : TARGETS) {
                List<Knee.Step> steps = Knee.sweep(rates, goalMillis, rate -> Steps.measured(cpu, rate,
                        () -> OpenLoop.run(t, rate, step, connections * 4, timeout, ops.get(t))));
                steps.forEach(s -> loads.add(s.load()));
                Knee.Step knee = Knee.headline(steps, goalMillis).orElse(null);
                knees.put(t, knee);
                report.put(t + "_sweep", Steps.sweep(steps, names, goalMillis)).put(t + "_knee", knee == null
                        ? "no step met the goal" : Table.f(knee.offered(), 0) + " requests/s (p99 "
                                + Table.f(knee.load().p99Millis(), 2) + " ms)");
            }
            Knee.Step gatewayKnee = knees.get("gateway");
            double half = (gatewayKnee == null ? rates.getFirst() : gatewayKnee.offered()) / 2;
            Jfr jfr = new Jfr("gateway", gateway.pid(), run.dir().resolve("gateway.jfr"));
            boolean recording = profile && jfr.start();
            Table roundsTable = new Table("round", "target", "p50 ms", "p99 ms", "gateway or hop CPU µs/request",
                    "session-service CPU µs/request", "harness CPU µs/request");
            List<Double> added = new ArrayList<>();
            List<Double> gatewayCpu = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Map<String, Knee.Step> round = new LinkedHashMap<>();
                for (String t : TARGETS) {
                    Knee.Step s = Steps.measured(cpu, half, () -> OpenLoop.run(t + " round", half, roundWindow,
                            connections * 4, timeout, ops.get(t)));
                    round.put(t, s);
                    loads.add(s.load());
                    roundsTable.row(r, t, Table.f(s.load().p50Millis(), 2), Table.f(s.load().p99Millis(), 2),
                            t.equals("direct") ? "–" : Table.f(s.cpuMicrosPerOp(t), 1),
                            Table.f(s.cpuMicrosPerOp("session-service"), 1), Table.f(s.cpuMicrosPerOp("harness"), 1));
                }
                added.add(round.get("gateway").load().p99Millis() - round.get("direct").load().p99Millis());
                gatewayCpu.add(round.get("gateway").cpuMicrosPerOp("gateway"));
                ratios.add(gatewayCpu.getLast() / round.get("hop").cpuMicrosPerOp("hop"));
                Log.info("round %d/%d: gateway adds %.2f ms at p99, CPU %.0f µs/request, %.2f × the hop's", r, rounds,
                        added.getLast(), gatewayCpu.getLast(), ratios.getLast());
            }
            List<Jfr.Frame> frames = recording ? jfr.stopAndTop(15) : List.of();
            Stats addedStats = Stats.of(added);
            Stats cpuStats = Stats.of(gatewayCpu);
            Stats ratio = Stats.of(ratios);
            report.put("path", anonymous ? "`GET /api/sessions/{id}` without a token"
                    : "`GET /api/sessions/{id}` with the RS256 bearer of one of " + users + " users in turn")
                    .put("warmup", warm.summary()).put("warmup_table", Warmup.table(warm))
                    .put("goal_ms", Table.f(goalMillis, 0)).put("half_rate", Table.f(half, 0))
                    .put("rounds", roundsTable).put("added", addedStats.format("%.2f"))
                    .put("gateway_cpu", cpuStats.format("%.0f")).put("ratio", ratio.format("%.2f"))
                    .put("profile", frames.isEmpty() ? "(not recorded: --profile=false or jcmd failed)"
                            : Jfr.table(frames).markdown())
                    .put("errors", Steps.errors(loads));
            report.result("gateway_rps", gatewayKnee == null ? "0" : Table.plain(gatewayKnee.offered(), 0))
                    .result("added_p99_ms", Table.plain(addedStats.median(), 2))
                    .result("cpu_us_per_request", Table.plain(cpuStats.median(), 0))
                    .result("cpu_ratio_vs_hop", Table.plain(ratio.median(), 2));
            return report;
        }
    }
}
