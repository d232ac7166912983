package io.livestage.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Markdown of sweeps and rounds, shared by every scenario. */
public final class Steps {
    private Steps() {
    }

    /** One row per step: offered, achieved, p50, p99, p99.9, max, errors, CPU µs per op of each process, JIT share. */
    public static Table sweep(List<Knee.Step> steps, List<String> procs, double goalMillis) {
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

    /** Runs a load step with the CPU of every process measured around it. */
    public static Knee.Step measured(Cpu cpu, double rate, java.util.function.Supplier<LoadResult> load) {
        Cpu.Sample a = cpu.sample();
        LoadResult result = load.get();
        return new Knee.Step(rate, result, Cpu.between(a, cpu.sample()));
    }
}
