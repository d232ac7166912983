package io.livestage.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.EventWatch;
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
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run session-api}: session-service's REST API under a create/get/list mix, an open-loop knee sweep;
 * then, at half the knee, {@code rounds} windows with {@code session.started} latency (POST /start sent → the event
 * polled from Kafka after the outbox relay published it).
 */
public final class SessionApiScenario implements Scenario {
    private static final int POOL = 10_000;

    private final int create;
    private final int get;
    private final int list;
    private final int hosts;
    private final int seed;
    private final List<Double> rates;
    private final Duration step;
    private final double goalMillis;
    private final int connections;
    private final Sweep sweep;
    private final double warmupRate;
    private final int rounds;
    private final Duration roundWindow;
    private final double eventRate;
    private final Duration timeout;

    public SessionApiScenario(Knobs k) {
        String[] mix = k.string("mix", "20,60,20").split(",");
        Knobs.require(mix.length == 3, "mix is create,get,list shares, e.g. 20,60,20");
        create = Integer.parseInt(mix[0].trim());
        get = Integer.parseInt(mix[1].trim());
        list = Integer.parseInt(mix[2].trim());
        Knobs.require(create > 0 && get >= 0 && list >= 0, "the mix needs creates");
        hosts = k.integer("hosts", 20);
        seed = k.integer("seed", 200);
        rates = k.decimals("rates", "250,500,1000,1500,2000,3000,4000,6000");
        step = k.duration("step", "10s");
        goalMillis = k.decimal("goal-ms", 20);
        connections = k.integer("connections", 64);
        sweep = new Sweep(k, "5s", "120s");
        warmupRate = k.decimal("warmup-rate", 500);
        rounds = k.integer("rounds", 5);
        roundWindow = k.duration("round-window", "6s");
        eventRate = k.decimal("event-rate", 50);
        timeout = k.duration("request-timeout", "10s");
        Knobs.require(hosts > 0 && rounds > 0 && connections > 0 && eventRate > 0, "hosts, rounds, connections and "
                + "event-rate must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(240).plus(sweep.warmupCap).plus(step.plusSeconds(2).multipliedBy(rates.size()))
                .plus(roundWindow.plusSeconds(12).multipliedBy(rounds));
    }

    @Override
    public Report run(Run run) throws Exception {
        ServiceProcess service = run.service("session-service", b -> b);
        List<Cpu.Proc> procs = run.procs(service.database(), true, Cpu.Proc.of(service));
        sweep.measuring(new Cpu(procs));
        List<String> bearers = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            bearers.add(TestTokens.token(String.format("bench-host-%02d", i)));
        }
        AtomicReferenceArray<String[]> pool = new AtomicReferenceArray<>(POOL);
        AtomicLong created = new AtomicLong();
        int port = service.port();
        try (Http http = new Http(1, connections, timeout);
                EventWatch started = new EventWatch(run.kafka().bootstrapServers(), Topics.SESSION,
                        EventType.SESSION_STARTED.typeName(), Duration.ofMillis(5))) {
            BiFunction<Long, String, CompletionStage<String>> createOne = (seq, bearer) -> http.call(HttpMethod.POST,
                    port, "/api/sessions", bearer, "{\"title\":\"Bench " + seq + "\",\"kind\":\"VIDEO\","
                            + "\"visibility\":\"PUBLIC\"}").thenApply(body -> {
                                JsonObject s = body.toJsonObject();
                                pool.set((int) (created.getAndIncrement() % POOL),
                                        new String[] {s.getString("id"), s.getString("slug")});
                                return "create";
                            });
            OpenLoop.Op mixOp = seq -> {
                SplittableRandom random = new SplittableRandom(seq * 0x9E3779B97F4A7C15L);
                String bearer = bearers.get(random.nextInt(hosts));
                int pick = random.nextInt(create + get + list);
                long known = Math.min(created.get(), POOL);
                if (pick < create || known == 0) {
                    return createOne.apply(seq, bearer);
                }
                if (pick < create + get) {
                    String[] s = pool.get(random.nextInt((int) known));
                    String path = random.nextBoolean() ? "/api/sessions/" + s[0] : "/api/sessions/by-slug/" + s[1];
                    return http.call(HttpMethod.GET, port, path, bearer, null).thenApply(b -> "get");
                }
                return http.call(HttpMethod.GET, port, "/api/sessions?limit=20", bearer, null).thenApply(b -> "list");
            };
            Duration drain = timeout;
            Log.info("seeding %d sessions", seed);
            LoadResult seeded = OpenLoop.run("seed", 100, Duration.ofMillis(seed * 10L + 1), connections, drain,
                    seq -> createOne.apply(seq, bearers.get((int) (seq % hosts))));
            if (seeded.ok() == 0) {
                throw new IllegalStateException("no session could be created: " + seeded.errorsByCause());
            }
            started.awaitAssigned(Duration.ofSeconds(60));
            Report report = Report.load("session-api");
            sweep.warmup(report, "", new Cpu(procs.subList(0, 1)), warmupRate, Map.of("mix", (label, rate, w) -> {
                CompletableFuture<LoadResult> events = CompletableFuture.supplyAsync(
                        () -> lifecycle(http, port, bearers, started, Math.min(eventRate, 20), w, drain, null));
                LoadResult mix = OpenLoop.run(label, rate, w, connections * 4, drain, mixOp);
                events.join();
                return mix;
            }));
            Sweep.Load requests = Sweep.open(mixOp, connections * 4, drain);
            Knee.Step knee = sweep.knee(report, "", requests, rates, goalMillis, step, "requests");
            List<Knee.Step> steps = sweep.steps;
            double half = Sweep.half(knee, rates);
            List<Knee.Step> halves = new ArrayList<>();
            List<Double> eventP99 = new ArrayList<>();
            Histogram events = LoadResult.histogram();
            List<LoadResult> eventLoads = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                Histogram round = new ConcurrentHistogram(LoadResult.HIGHEST_MICROS, 3);
                CompletableFuture<LoadResult> lifecycle = CompletableFuture.supplyAsync(
                        () -> lifecycle(http, port, bearers, started, eventRate, roundWindow, drain, round));
                halves.add(sweep.step("half the knee", requests, half, roundWindow));
                eventLoads.add(lifecycle.get(roundWindow.toMillis() + drain.toMillis() * 3, TimeUnit.MILLISECONDS));
                events.add(round);
                eventP99.add(LoadResult.percentileMillis(round, 99));
                Log.info("round %d/%d at %.0f/s: p99 %.2f ms, session.started p99 %.2f ms", r, rounds, half,
                        halves.getLast().load().p99Millis(), eventP99.getLast());
            }
            Stats cpuPerRequest = Stats.of(halves.stream().map(s -> s.cpuMicrosPerOp("session-service")).toList());
            Stats eventStats = Stats.of(eventP99);
            sweep.loads.addAll(eventLoads);
            double createP99 = knee == null ? Double.NaN
                    : LoadResult.percentileMillis(knee.load().byLabel().get("create"), 99);
            double kneeCpu = knee == null ? Double.NaN : knee.cpuMicrosPerOp("session-service");
            report.put("mix", create + " % create, " + get + " % get, " + list + " % list").put("hosts", hosts)
                    .put("seed", seeded.ok()).put("goal_ms", Table.f(goalMillis, 0)).put("per_op", perOp(steps))
                    .put("knee", knee == null ? "no step met the goal" : Table.f(knee.offered(), 0)
                            + " requests/s, session-service " + Table.f(kneeCpu, 0) + " µs CPU per request, create p99 "
                            + Table.f(createP99, 2) + " ms")
                    .put("half_rate", Table.f(half, 0)).put("half", Sweep.table(halves, sweep.names(), goalMillis))
                    .put("half_cpu", cpuPerRequest.format("%.0f")).put("event_rate", Table.f(eventRate, 0))
                    .put("event_p99", eventStats.format("%.2f"))
                    .put("event_all", "p50 " + Table.f(LoadResult.percentileMillis(events, 50), 2) + " ms, p99 "
                            + Table.f(LoadResult.percentileMillis(events, 99), 2) + " ms, max "
                            + Table.f(LoadResult.percentileMillis(events, 100), 2) + " ms over "
                            + events.getTotalCount() + " events")
                    .put("errors", sweep.errors());
            report.result("rps", Sweep.rate(knee))
                    .result("cpu_us_per_request", Table.plain(kneeCpu, 0))
                    .result("create_p99_ms", Table.plain(createP99, 2))
                    .result("event_p99_ms", Table.plain(eventStats.median(), 2));
            return report;
        }
    }

    /**
     * Open loop at {@code rate}: create a session, then POST /start; the latency recorded in {@code latency} (if any)
     * is from just before /start is sent to the poll that returned its session.started.
     */
    private LoadResult lifecycle(Http http, int port, List<String> bearers, EventWatch watch, double rate,
            Duration window, Duration drain, Histogram latency) {
        return OpenLoop.run("session.started", rate, window, 64, drain, seq -> {
            String bearer = bearers.get((int) (seq % bearers.size()));
            return http.call(HttpMethod.POST, port, "/api/sessions", bearer, "{\"title\":\"Lifecycle " + seq
                    + "\",\"kind\":\"VIDEO\",\"visibility\":\"PUBLIC\"}").thenCompose(body -> {
                        String id = body.toJsonObject().getString("id");
                        CompletableFuture<Long> seen = watch.expect(id);
                        long sent = System.nanoTime();
                        CompletionStage<?> start = http.call(HttpMethod.POST, port, "/api/sessions/" + id + "/start",
                                bearer, null);
                        return start.thenCompose(b -> seen.orTimeout(drain.toMillis(), TimeUnit.MILLISECONDS))
                                .thenApply(at -> {
                                    if (latency != null) {
                                        latency.recordValue(Math.max(1, (at - sent) / 1000));
                                    }
                                    return "start";
                                });
                    });
        });
    }

    /** p50/p99 per operation at each step. */
    private static Table perOp(List<Knee.Step> steps) {
        Table t = new Table("offered /s", "create p50 / p99 ms", "get p50 / p99 ms", "list p50 / p99 ms");
        for (Knee.Step s : steps) {
            List<Object> row = new ArrayList<>(List.of(Table.f(s.offered(), 0)));
            for (String op : List.of("create", "get", "list")) {
                Histogram h = s.load().byLabel().get(op);
                row.add(Table.f(LoadResult.percentileMillis(h, 50), 2) + " / "
                        + Table.f(LoadResult.percentileMillis(h, 99), 2));
            }
            t.row(row.toArray());
        }
        return t;
    }
}
