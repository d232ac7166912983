package io.livestage.bench.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The measured part the scenarios share: a warm-up over their targets until the JIT settles, the knee of a target
 * over a sweep of rates, A B rounds of several targets at one rate. Every window's CPU is measured and its load kept
 * for the errors table.
 */
public final class Sweep {
    /** One window of a target at a rate. */
    @FunctionalInterface
    public interface Load {
        LoadResult run(String label, double rate, Duration window);
    }

    public final double jitThreshold;
    public final Duration warmupWindow;
    public final Duration warmupCap;
    public final List<LoadResult> loads = new ArrayList<>();
    /** The steps of the last {@link #knee}. */
    public List<Knee.Step> steps = List.of();
    private Cpu cpu;

    /** Reads {@code --jit-threshold} (0.05), {@code --warmup-window} and {@code --warmup-cap}. */
    public Sweep(Knobs k, String window, String cap) {
        jitThreshold = k.decimal("jit-threshold", 0.05);
        warmupWindow = k.duration("warmup-window", window);
        warmupCap = k.duration("warmup-cap", cap);
    }

    /** The processes measured in every step from now on. */
    public Sweep measuring(Cpu cpu) {
        this.cpu = cpu;
        return this;
    }

    public List<String> names() {
        return cpu.procs().stream().map(Cpu.Proc::name).toList();
    }

    /** An open-loop target. */
    public static Load open(OpenLoop.Op op, int backlog, Duration drain) {
        return (label, rate, window) -> OpenLoop.run(label, rate, window, backlog, drain, op);
    }

    /** Each target in turn at {@code rate} (an equal share of each window) until the JIT of {@code servers} settles. */
    public Warmup.Outcome warmup(Report report, String prefix, Cpu servers, double rate, Map<String, Load> targets) {
        Warmup.Outcome warm = Warmup.run(servers, jitThreshold, warmupWindow, warmupCap, w -> targets.forEach(
                (name, load) -> load.run("warm-up " + name, rate, w.dividedBy(targets.size()))));
        report.put(prefix + "warmup", warm.summary()).put(prefix + "warmup_table", Warmup.table(warm));
        return warm;
    }

    /** One window with the CPU of every measured process around it. */
    public Knee.Step step(String label, Load load, double rate, Duration window) {
        Cpu.Sample before = cpu.sample();
        LoadResult result = load.run(label, rate, window);
        Knee.Step step = new Knee.Step(rate, result, Cpu.between(before, cpu.sample()));
        loads.add(step.load());
        return step;
    }

    /** The knee of one target over {@code rates}: puts {@code <key>_sweep} and {@code <key>_knee} (no key: none). */
    public Knee.Step knee(Report report, String key, Load load, List<Double> rates, double goalMillis, Duration step,
            String unit) {
        String prefix = key.isEmpty() ? "" : key + "_";
        steps = Knee.sweep(rates, goalMillis, rate -> step(key.isEmpty() ? unit : key, load, rate, step));
        Knee.Step knee = Knee.headline(steps, goalMillis).orElse(null);
        report.put(prefix + "sweep", table(steps, names(), goalMillis)).put(prefix + "knee", describe(knee, unit));
        return knee;
    }

    /** "N unit/s (p99 x ms)", or that no step met the goal. */
    public static String describe(Knee.Step knee, String unit) {
        return knee == null ? "no step met the goal" : Table.f(knee.offered(), 0) + " " + unit + "/s (p99 "
                + Table.f(knee.load().p99Millis(), 2) + " ms)";
    }

    /** Half the knee's rate, or half the lowest rate when no step met the goal. */
    public static double half(Knee.Step knee, List<Double> rates) {
        return (knee == null ? rates.getFirst() : knee.offered()) / 2;
    }

    /** The offered rate of the knee for a RESULT line, 0 when none. */
    public static String rate(Knee.Step knee) {
        return knee == null ? "0" : Table.plain(knee.offered(), 0);
    }

    /** {@code count} rounds of every target in turn at {@code rate}; each round maps target to its step. */
    public List<Map<String, Knee.Step>> rounds(int count, double rate, Duration window, Map<String, Load> targets) {
        List<Map<String, Knee.Step>> rounds = new ArrayList<>();
        for (int r = 1; r <= count; r++) {
            Map<String, Knee.Step> round = new LinkedHashMap<>();
            targets.forEach((name, load) -> round.put(name, step(name + " round", load, rate, window)));
            rounds.add(round);
            Log.info("round %d/%d at %.1f/s: %s", r, count, rate, round.entrySet().stream().map(e -> e.getKey()
                    + " p99 " + Table.f(e.getValue().load().p99Millis(), 2) + " ms").toList());
        }
        return rounds;
    }

    /** One row per round and target; {@code servers} names the process whose CPU is each target's cost. */
    public static Table roundsTable(List<Map<String, Knee.Step>> rounds, Map<String, String> servers, String op) {
        Table table = new Table("round", "target", "achieved /s", "p50 ms", "p99 ms", "errors",
                "server CPU µs/" + op + " (JIT)", "harness CPU µs/" + op);
        for (int r = 0; r < rounds.size(); r++) {
            for (Map.Entry<String, Knee.Step> e : rounds.get(r).entrySet()) {
                Knee.Step s = e.getValue();
                Cpu.Usage u = s.cpu().get(servers.get(e.getKey()));
                table.row(r + 1, e.getKey(), Table.f(s.load().achieved(), 1), Table.f(s.load().p50Millis(), 2),
                        Table.f(s.load().p99Millis(), 2), s.load().errors(), u == null ? "–"
                                : Table.f(u.microsPer(s.load().ok()), 1) + " (" + Table.pct(u.jitShare()) + ")",
                        Table.f(s.cpuMicrosPerOp("harness"), 1));
            }
        }
        return table;
    }

    /** A figure of every round, as median and spread. */
    public static Stats over(List<Map<String, Knee.Step>> rounds, ToDoubleFunction<Map<String, Knee.Step>> figure) {
        return Stats.of(rounds.stream().map(figure::applyAsDouble).toList());
    }

    /** The errors by cause of every window since the last call. */
    public Table errors() {
        Table table = errors(loads);
        loads.clear();
        return table;
    }

    /** One row per step: offered, achieved, p50, p99, p99.9, max, errors, CPU µs per op of each process, JIT share. */
    public static Table table(List<Knee.Step> steps, List<String> procs, double goalMillis) {
        List<String> header = new ArrayList<>(List.of("offered /s", "achieved /s", "p50 ms", "p99 ms", "p99.9 ms",
                "max ms", "errors"));
        procs.forEach(p -> header.add(p + " CPU µs/op (JIT)"));
        header.add("goal p99 ≤ " + Table.f(goalMillis, 0) + " ms");
        Table table = new Table(header.toArray(String[]::new));
        for (Knee.Step s : steps) {
            LoadResult l = s.load();
            List<Object> row = new ArrayList<>(List.of(Table.f(s.offered(), 0), Table.f(l.achieved(), 0),
                    Table.f(l.p50Millis(), 2), Table.f(l.p99Millis(), 2), Table.f(l.p999Millis(), 2),
                    Table.f(l.maxMillis(), 1), l.errors()));
            procs.forEach(p -> {
                Cpu.Usage u = s.cpu().get(p);
                row.add(u == null ? "n/a" : Table.f(u.microsPer(l.ok()), 1) + " (" + Table.pct(u.jitShare()) + ")");
            });
            row.add(s.meets(goalMillis) ? "met" : "missed");
            table.row(row.toArray());
        }
        return table;
    }

    /** Errors by cause over several results. */
    public static Table errors(List<LoadResult> results) {
        Table table = new Table("window", "cause", "count");
        for (LoadResult r : results) {
            for (Map.Entry<String, Long> e : r.errorsByCause().entrySet()) {
                table.row(r.label() + " @ " + Table.f(r.offered(), 0) + "/s", e.getKey(), e.getValue());
            }
        }
        return table;
    }
}
