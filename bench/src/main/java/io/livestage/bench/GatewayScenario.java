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
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
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
    private final Sweep sweep;
    private final double warmupRate;
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
        sweep = new Sweep(k, "5s", "120s");
        warmupRate = k.decimal("warmup-rate", 500);
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
        return Duration.ofSeconds(240).plus(sweep.warmupCap).plus(step.plusSeconds(2).multipliedBy(3L * rates.size()))
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
        List<Cpu.Proc> procs = run.procs(session.database(), false, Cpu.Proc.of(gateway),
                new Cpu.Proc("hop", hop.pid()), Cpu.Proc.of(session));
        sweep.measuring(new Cpu(procs));

        String host = TestTokens.token("bench-gateway-host");
        try (Http http = new Http(1, connections, timeout)) {
            String path = "/api/sessions/" + http.session(session.port(), host,
                    "{\"title\":\"Gateway bench\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\"}", false);
            List<String> bearers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                bearers.add(anonymous ? null : TestTokens.token(String.format("bench-user-%03d", i)));
            }
            Map<String, Sweep.Load> targets = new LinkedHashMap<>();
            for (String t : TARGETS) {
                http.json(HttpMethod.GET, ports.get(t), path, bearers.getFirst(), null); // fails if one is not up
                targets.put(t, Sweep.open(seq -> http.call(HttpMethod.GET, ports.get(t), path,
                        bearers.get((int) (seq % users)), null).thenApply(b -> t), connections * 4, timeout));
            }
            Report report = Report.load("gateway");
            sweep.warmup(report, "", new Cpu(procs.subList(0, 3)), warmupRate, targets);
            Map<String, Knee.Step> knees = new LinkedHashMap<>();
            targets.forEach((t, load) -> knees.put(t, sweep.knee(report, t, load, rates, goalMillis, step,
                    "requests")));
            double half = Sweep.half(knees.get("gateway"), rates);
            Jfr jfr = new Jfr("gateway", gateway.pid(), run.dir().resolve("gateway.jfr"));
            boolean recording = profile && jfr.start();
            List<Map<String, Knee.Step>> rounds = sweep.rounds(this.rounds, half, roundWindow, targets);
            List<Jfr.Frame> frames = recording ? jfr.stopAndTop(15) : List.of();
            Stats added = Sweep.over(rounds, r -> r.get("gateway").load().p99Millis()
                    - r.get("direct").load().p99Millis());
            Stats gatewayCpu = Sweep.over(rounds, r -> r.get("gateway").cpuMicrosPerOp("gateway"));
            Stats ratio = Sweep.over(rounds, r -> r.get("gateway").cpuMicrosPerOp("gateway")
                    / r.get("hop").cpuMicrosPerOp("hop"));
            report.put("path", anonymous ? "`GET /api/sessions/{id}` without a token"
                    : "`GET /api/sessions/{id}` with the RS256 bearer of one of " + users + " users in turn")
                    .put("goal_ms", Table.f(goalMillis, 0)).put("half_rate", Table.f(half, 0))
                    .put("rounds", Sweep.roundsTable(rounds, Map.of("gateway", "gateway", "hop", "hop"), "request"))
                    .put("added", added.format("%.2f")).put("gateway_cpu", gatewayCpu.format("%.0f"))
                    .put("ratio", ratio.format("%.2f")).put("profile", frames.isEmpty()
                            ? "(not recorded: --profile=false or jcmd failed)" : Jfr.table(frames).markdown())
                    .put("errors", sweep.errors());
            report.result("gateway_rps", Sweep.rate(knees.get("gateway")))
                    .result("added_p99_ms", Table.plain(added.median(), 2))
                    .result("cpu_us_per_request", Table.plain(gatewayCpu.median(), 0))
                    .result("cpu_ratio_vs_hop", Table.plain(ratio.median(), 2));
            return report;
        }
    }
}
