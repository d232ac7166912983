package io.livestage.bench.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoreTest {

    @Test
    void knobsComeFromArgumentsThenEnvironmentThenDefaults() {
        Knobs knobs = new Knobs(List.of("--rate=300", "--step=500ms"), Map.of("BENCH_GOAL_MS", "7", "BENCH_RATE", "1"));
        assertThat(knobs.decimal("rate", 10)).isEqualTo(300);
        assertThat(knobs.duration("step", "10s")).isEqualTo(Duration.ofMillis(500));
        assertThat(knobs.decimal("goal-ms", 10)).isEqualTo(7);
        assertThat(knobs.integer("rounds", 5)).isEqualTo(5);
        assertThat(knobs.decimals("rates", "100,200")).containsExactly(100.0, 200.0);
        assertThat(knobs.optional("token-service-jar")).isNull();
        knobs.finish();
        assertThat(knobs.used()).containsEntry("rate", "300").containsEntry("rounds", "5")
                .doesNotContainKey("token-service-jar");
    }

    @Test
    void unknownOrMalformedKnobsAreRefused() {
        Knobs typo = new Knobs(List.of("--rounds=3", "--raets=1"), Map.of());
        typo.integer("rounds", 5);
        assertThatThrownBy(typo::finish).isInstanceOf(Knobs.BadKnob.class).hasMessageContaining("raets");
        assertThatThrownBy(() -> new Knobs(List.of("rate=1"), Map.of())).isInstanceOf(Knobs.BadKnob.class);
        assertThatThrownBy(() -> new Knobs(List.of("--rounds=many"), Map.of()).integer("rounds", 5))
                .isInstanceOf(Knobs.BadKnob.class);
        assertThatThrownBy(() -> new Knobs(List.of("--step=soon"), Map.of()).duration("step", "1s"))
                .isInstanceOf(Knobs.BadKnob.class);
    }

    @Test
    void durationsTakeUnits() {
        assertThat(Knobs.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Knobs.parseDuration("2.5")).isEqualTo(Duration.ofMillis(2500));
        assertThat(Knobs.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Knobs.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    private static Knee.Step step(double offered, double achieved, long p99Micros, long errors) {
        Histogram h = LoadResult.histogram();
        for (int i = 0; i < 98; i++) {
            h.recordValue(1000);
        }
        h.recordValue(p99Micros);
        h.recordValue(p99Micros);
        long ok = Math.round(achieved * 10);
        return new Knee.Step(offered, new LoadResult("t", offered, 10, ok, errors, h, Map.of(), Map.of(), 0),
                Map.of("svc", new Cpu.Usage("svc", 10, 2, 0.1)));
    }

    @Test
    void theKneeIsTheHighestStepThatMeetsTheGoal() {
        List<Knee.Step> steps = List.of(step(100, 100, 2_000, 0), step(200, 199, 4_000, 0), step(400, 398, 30_000, 0),
                step(800, 500, 900_000, 0));
        assertThat(Knee.headline(steps, 10).orElseThrow().offered()).isEqualTo(200);
        assertThat(steps.get(1).cpuMicrosPerOp("svc")).isEqualTo(2e6 / 1990, org.assertj.core.data.Offset.offset(0.01));
        // errors, or not keeping up with the offered rate, miss the goal whatever the p99
        assertThat(step(300, 300, 1_000, 1).meets(10)).isFalse();
        assertThat(step(300, 200, 1_000, 0).meets(10)).isFalse();
        assertThat(Knee.headline(List.of(step(100, 100, 50_000, 0)), 10)).isEmpty();
    }

    @Test
    void theSweepStopsAfterTwoMissesInARow() {
        List<Double> rates = List.of(100.0, 200.0, 400.0, 800.0, 1600.0);
        List<Knee.Step> run = Knee.sweep(rates, 10, rate -> rate <= 200 ? step(rate, rate, 1_000, 0)
                : step(rate, rate / 2, 99_000, 0));
        assertThat(run).extracting(Knee.Step::offered).containsExactly(100.0, 200.0, 400.0, 800.0);
    }

    @Test
    void aSweepPutsTheKneeOfATargetAndComparesTargetsInRounds() {
        Sweep sweep = new Sweep(new Knobs(List.of(), Map.of()), "1s", "2s")
                .measuring(new Cpu(List.of(Cpu.Proc.self("harness"))));
        Sweep.Load load = (label, rate, window) -> step(rate, rate, rate <= 200 ? 1_000 : 90_000, 0).load();
        Report report = new Report("t", "{{a_sweep}}\n{{a_knee}}");
        Knee.Step knee = sweep.knee(report, "a", load, List.of(100.0, 200.0, 400.0, 800.0, 1600.0), 10,
                Duration.ofMillis(1), "requests");
        assertThat(knee.offered()).isEqualTo(200);
        assertThat(sweep.steps).hasSize(4);
        assertThat(report.result("x", "1").render()).contains("200 requests/s (p99 1.00 ms)");
        assertThat(Sweep.half(knee, List.of(100.0))).isEqualTo(100);
        assertThat(Sweep.half(null, List.of(100.0))).isEqualTo(50);
        assertThat(Sweep.rate(null)).isEqualTo("0");
        List<Map<String, Knee.Step>> rounds = sweep.rounds(2, 50, Duration.ofMillis(1), Map.of("a", load));
        assertThat(Sweep.over(rounds, r -> r.get("a").offered()).median()).isEqualTo(50);
        assertThat(Sweep.roundsTable(rounds, Map.of("a", "harness"), "request").markdown()).contains("| 2 | a | 50.0 |");
        assertThat(sweep.loads).hasSize(6);
        assertThat(sweep.errors().isEmpty()).isTrue();
        assertThat(sweep.loads).isEmpty();
    }

    @Test
    void statsGiveTheMedianAndTheSpread() {
        Stats odd = Stats.of(List.of(3.0, 1.0, 2.0, 10.0, 4.0));
        assertThat(odd.median()).isEqualTo(3.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(10.0);
        assertThat(odd.format("%.1f")).isEqualTo("3.0 (1.0–10.0, n = 5)");
        assertThat(Stats.of(List.of(1.0, 2.0, Double.NaN, 4.0, 5.0)).median()).isEqualTo(3.0);
        assertThat(Stats.of(List.of()).n()).isZero();
    }

    @Test
    void theRendererFillsEveryPlaceholderAndEndsWithTheResultLine() {
        Report report = new Report("t", "# T\n\n{{a}} and {{b}}\n\n{{table}}\n")
                .put("a", 1).put("b", "two").put("table", new Table("x", "y").row(1, "a|b"))
                .result("rps", "10").result("p99_ms", "2.50");
        String md = report.render();
        assertThat(md).contains("1 and two").contains("| x | y |\n|---|---|\n| 1 | a\\|b |");
        assertThat(md.lines().toList().getLast()).isEqualTo("RESULT rps=10 p99_ms=2.50");
        Histogram h = LoadResult.histogram();
        h.recordValue(1_500);
        assertThat(Table.latencies("path").latency("a", h).markdown())
                .endsWith("| a | 1 | 1.500 | 1.500 | 1.500 | 1.500 | 1.500 |");
    }

    @Test
    void aMissingOrUnusedValueIsABug() {
        assertThatThrownBy(() -> new Report("t", "{{a}} {{b}}").put("a", 1).result("x", "1").render())
                .hasMessageContaining("[b]");
        assertThatThrownBy(() -> new Report("t", "{{a}}").put("a", 1).put("c", 2).result("x", "1").render())
                .hasMessageContaining("[c]");
        assertThatThrownBy(() -> new Report("t", "{{a}}").put("a", 1).render()).hasMessageContaining("RESULT");
    }

    @Test
    void readsPrometheusSamplesByLabels() {
        String metrics = """
                http_server_requests_seconds_count{method="POST",status="200",uri="/api/tokens"} 3.0
                http_server_requests_seconds_count{method="POST",status="403",uri="/api/tokens"} 2.0
                http_server_requests_seconds_count{method="GET",status="200",uri="/q/health"} 9.0
                http_server_requests_seconds_sum{method="POST",status="200",uri="/api/tokens"} 0.5
                """;
        String count = "http_server_requests_seconds_count";
        assertThat(Metrics.sample(metrics, count, "uri=\"/api/tokens\"")).isEqualTo(5.0);
        assertThat(Metrics.sample(metrics, "http_server_requests_seconds_sum", "uri=\"/api/tokens\"")).isEqualTo(0.5);
        assertThat(Metrics.sample(metrics, count, "status=\"403\"")).isEqualTo(2.0);
        assertThat(Metrics.sample(metrics, "nothing_count")).isZero();
    }

    @Test
    void everyScenarioTemplateIsOnTheClassPath() {
        for (String name : List.of("tokens", "session-api", "chat-fanout", "gateway", "stage", "webhooks", "streaming")) {
            assertThat(Report.class.getResource("/reports/" + name + ".md")).as(name).isNotNull();
        }
    }

    @Test
    void procStatLinesAreReadAfterTheCommand() {
        String line = "1234 (C2 CompilerThre) S 1 2 3 4 5 6 7 8 9 10 250 40 3 1 20 0 1 0 100 200 300";
        assertThat(Cpu.comm(line)).isEqualTo("C2 CompilerThre");
        assertThat(Cpu.isCompilerThread(Cpu.comm(line))).isTrue();
        assertThat(Cpu.isCompilerThread("vert.x-eventloo")).isFalse();
        assertThat(Cpu.parse(line)).containsExactly(250, 40, 3, 1);
        // a command with spaces and parentheses
        assertThat(Cpu.parse("99 (a) b) R 1 2 3 4 5 6 7 8 9 10 7 8 0 0 20")).containsExactly(7, 8, 0, 0);
    }

    @Test
    void cpuUsageIsPerOperationWithTheJitShare() {
        Cpu.Sample a = new Cpu.Sample(0, Map.of("svc", 100L), Map.of("svc", Map.of(1L, 10L, 2L, 5L)));
        Cpu.Sample b = new Cpu.Sample(2_000_000_000L, Map.of("svc", 300L), Map.of("svc", Map.of(1L, 30L, 3L, 20L)));
        Cpu.Usage u = Cpu.between(a, b).get("svc");
        assertThat(u.cpuSeconds()).isEqualTo(2.0);
        assertThat(u.cores()).isEqualTo(1.0);
        assertThat(u.jitSeconds()).isEqualTo(0.4); // thread 1: +20, thread 3 (new): +20, thread 2 retired
        assertThat(u.jitShare()).isEqualTo(0.2);
        assertThat(u.microsPer(1000)).isEqualTo(2000);
        assertThat(u.microsPerWithoutJit(1000)).isEqualTo(1600, org.assertj.core.data.Offset.offset(1e-6));
        Cpu.Usage total = Cpu.total(List.of(Map.of("svc", u), Map.of(), Map.of("svc", u)), "svc");
        assertThat(total.seconds()).isEqualTo(4.0);
        assertThat(total.cores()).isEqualTo(1.0);
        assertThat(total.jitShare()).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void ownCpuIsReadFromProc() {
        Cpu cpu = new Cpu(List.of(Cpu.Proc.self("me")));
        Cpu.Sample a = cpu.sample();
        long x = 0;
        long end = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < end) {
            x += System.nanoTime() % 7;
        }
        Cpu.Usage u = Cpu.between(a, cpu.sample()).get("me");
        assertThat(x).isPositive();
        assertThat(u.cpuSeconds()).isGreaterThan(0.05);
    }

    @Test
    void warmUpEndsWhenTheJitShareIsBelowTheThresholdOrAtTheCap() {
        Warmup.Window hot = new Warmup.Window(1, Map.of("svc", new Cpu.Usage("svc", 1, 1, 0.3)));
        Warmup.Window cold = new Warmup.Window(2, Map.of("svc", new Cpu.Usage("svc", 1, 1, 0.01)));
        assertThat(Warmup.settled(hot, 0.05)).isFalse();
        assertThat(Warmup.settled(cold, 0.05)).isTrue();
        Warmup.Outcome capped = Warmup.run(new Cpu(List.of()), -1, Duration.ofMillis(10), Duration.ofMillis(35), w -> {
            try {
                Thread.sleep(w.toMillis());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(capped.settled()).isFalse();
        assertThat(capped.windows()).as("10 ms windows within a 35 ms cap, sleeps overshooting on a busy machine")
                .hasSizeBetween(2, 4);
        assertThat(Warmup.table(capped).markdown()).startsWith("| window |");
    }

    @Test
    void theOpenLoopSendsOnScheduleAndCountsFailuresByCause() {
        LoadResult r = OpenLoop.run("t", 1000, Duration.ofMillis(200), 100, Duration.ofSeconds(1), seq ->
                seq % 10 == 0 ? java.util.concurrent.CompletableFuture.failedFuture(new OpenLoop.Failure("HTTP 500"))
                        : java.util.concurrent.CompletableFuture.completedFuture(seq % 2 == 0 ? "even" : "odd"));
        assertThat(r.ok() + r.errors()).isEqualTo(200);
        assertThat(r.errors()).isEqualTo(20);
        assertThat(r.errorsByCause()).containsEntry("HTTP 500", 20L);
        assertThat(r.byLabel()).containsKeys("even", "odd");
        assertThat(r.achieved()).isEqualTo(900, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void aFullBacklogIsAnErrorNotAWait() {
        LoadResult r = OpenLoop.run("t", 1000, Duration.ofMillis(50), 5, Duration.ofMillis(10),
                seq -> new java.util.concurrent.CompletableFuture<>());
        assertThat(r.ok()).isZero();
        assertThat(r.errorsByCause().keySet()).anyMatch(c -> c.contains("backlog"));
        assertThat(r.errorsByCause().keySet()).anyMatch(c -> c.contains("no answer"));
        assertThat(r.errors()).isEqualTo(50);
    }

    @Test
    void httpErrorsGroupByPathTemplate() {
        assertThat(Http.template("/api/sessions/7f7eecb8-e3e8-4a0b-bccf-86713b5eadeb/start?x=1"))
                .isEqualTo("/api/sessions/{id}/start");
    }

    private static List<SseParser.Event> parse(String stream, int chunk) {
        List<SseParser.Event> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return events;
    }

    @Test
    void sseEventsSurviveAnySplitIntoChunks() {
        String stream = "\uFEFF: comment\r\nevent: stream\r\nid: 7\r\ndata: {\"version\":7}\r\n\r\n"
                + "event:stream\rid:8\rdata:{\"a\":1,\r\rdata: \"ü\":2}\r\r"
                + "data: plain\n\n";
        List<SseParser.Event> expected = List.of(new SseParser.Event("stream", "7", "{\"version\":7}"),
                new SseParser.Event("stream", "8", "{\"a\":1,"), new SseParser.Event("message", "8", "\"ü\":2}"),
                new SseParser.Event("message", "8", "plain"));
        for (int chunk = 1; chunk <= stream.length() + 1; chunk++) {
            assertThat(parse(stream, chunk)).as("chunks of %d bytes", chunk).isEqualTo(expected);
        }
    }

    @Test
    void sseDataLinesJoinAndEventsWithoutDataAreNotDispatched() {
        assertThat(parse("data: a\ndata:  b\ndata\n\nevent: stream\nid: 3\n\nretry: 10\ndata:c\n\ndata: unterminated",
                4)).containsExactly(new SseParser.Event("message", "", "a\n b\n"),
                        new SseParser.Event("message", "3", "c"));
    }
}
