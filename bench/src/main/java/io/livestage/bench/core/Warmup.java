package io.livestage.bench.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Warm-up until the JIT has settled: load in windows of {@code window}, each with the CPU of the watched processes; it
 * ends after the first window in which every watched process spent less than {@code threshold} of its CPU in its C1/C2
 * compiler threads, or at {@code cap} (then {@link Outcome#settled()} is false and the report says so).
 */
public final class Warmup {

    public record Window(int index, Map<String, Cpu.Usage> cpu) {
        double maxJitShare() {
            return cpu.values().stream().mapToDouble(Cpu.Usage::jitShare).max().orElse(0);
        }
    }

    public record Outcome(List<Window> windows, boolean settled, double threshold, Duration window) {
        public String summary() {
            return (settled ? "settled" : "NOT settled (cap reached)") + " after " + windows.size() + " window(s) of "
                    + window.toMillis() / 1000.0 + " s (threshold: JIT < " + Table.pct(threshold)
                    + " of each watched process's CPU)";
        }
    }

    private Warmup() {
    }

    public static Outcome run(Cpu cpu, double threshold, Duration window, Duration cap, Consumer<Duration> load) {
        List<Window> windows = new ArrayList<>();
        long end = System.nanoTime() + cap.toNanos();
        while (true) {
            Cpu.Sample a = cpu.sample();
            load.accept(window);
            Window w = new Window(windows.size() + 1, Cpu.between(a, cpu.sample()));
            windows.add(w);
            Log.info("warm-up window %d: JIT share %s", w.index(), shares(w));
            if (settled(w, threshold)) {
                return new Outcome(windows, true, threshold, window);
            }
            if (System.nanoTime() + window.toNanos() > end) {
                return new Outcome(windows, false, threshold, window);
            }
        }
    }

    static boolean settled(Window w, double threshold) {
        return w.maxJitShare() < threshold;
    }

    private static String shares(Window w) {
        StringBuilder s = new StringBuilder();
        w.cpu().forEach((name, u) -> s.append(s.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(Table.pct(u.jitShare())));
        return s.toString();
    }

    /** One row per window, one column per process: its cores used and the JIT share. */
    public static Table table(Outcome outcome) {
        List<String> procs = outcome.windows().isEmpty() ? List.of()
                : List.copyOf(outcome.windows().getFirst().cpu().keySet());
        List<String> header = new ArrayList<>(List.of("window"));
        procs.forEach(p -> header.add(p + ": cores, JIT share"));
        Table table = new Table(header.toArray(String[]::new));
        for (Window w : outcome.windows()) {
            List<Object> row = new ArrayList<>(List.of(w.index()));
            procs.forEach(p -> {
                Cpu.Usage u = w.cpu().get(p);
                row.add(Table.f(u.cores(), 2) + ", " + Table.pct(u.jitShare()));
            });
            table.row(row.toArray());
        }
        return table;
    }
}
