package io.livestage.bench.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.livestage.testing.service.ServiceProcess;

/**
 * CPU time of processes from {@code /proc} (Linux; elsewhere every figure is 0): the whole process ({@code
 * /proc/<pid>/stat} utime + stime, plus the reaped children's cutime + cstime and the live descendants', which is how
 * PostgreSQL's backends count; the harness itself without them, {@link Proc#self}), and the JIT's share: the threads named {@code C1 CompilerThre…} / {@code C2
 * CompilerThre…} under {@code /proc/<pid>/task}, summed per thread id so that a compiler thread the JVM starts or
 * retires between two samples does not skew the difference (the part of a retired thread's time since the last sample
 * is lost, so the JIT share errs low).
 */
public final class Cpu {
    /** USER_HZ, the unit of the tick counts in /proc; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * A process to watch, by name; with its live descendants and reaped children ({@code descendants}: a server such
     * as PostgreSQL) or alone.
     */
    public record Proc(String name, long pid, boolean descendants) {
        public Proc(String name, long pid) {
            this(name, pid, true);
        }

        public static Proc of(ServiceProcess service) {
            return new Proc(service.name(), service.pid());
        }

        /**
         * This JVM alone: the services and the broker of a run are its child processes, each
         * measured in its own row, so counting descendants here would count them twice.
         */
        public static Proc self(String name) {
            return new Proc(name, ProcessHandle.current().pid(), false);
        }
    }

    /** The counters of a set of processes at one instant. */
    public record Sample(long nanos, Map<String, Long> ticks, Map<String, Map<Long, Long>> jitTicks) {
    }

    /** What one process used between two samples. */
    public record Usage(String name, double seconds, double cpuSeconds, double jitSeconds) {
        /** Cores used on average. */
        public double cores() {
            return seconds <= 0 ? 0 : cpuSeconds / seconds;
        }

        /** Share of the process's CPU spent by the JIT compiler threads (0..1). */
        public double jitShare() {
            return cpuSeconds <= 0 ? 0 : Math.min(1, jitSeconds / cpuSeconds);
        }

        /** µs of CPU per operation. */
        public double microsPer(long operations) {
            return operations <= 0 ? Double.NaN : cpuSeconds * 1e6 / operations;
        }

        /** µs of CPU per operation, without the JIT's compiler threads. */
        public double microsPerWithoutJit(long operations) {
            return operations <= 0 ? Double.NaN : (cpuSeconds - jitSeconds) * 1e6 / operations;
        }
    }

    private final List<Proc> procs;

    public Cpu(List<Proc> procs) {
        this.procs = List.copyOf(procs);
    }

    public List<Proc> procs() {
        return procs;
    }

    public Sample sample() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        Map<String, Map<Long, Long>> jit = new LinkedHashMap<>();
        for (Proc proc : procs) {
            ticks.put(proc.name(), proc.descendants() ? processTicks(proc.pid()) : ownTicks(proc.pid()));
            jit.put(proc.name(), compilerThreadTicks(proc.pid()));
        }
        return new Sample(System.nanoTime(), ticks, jit);
    }

    /** Usage per process between two samples of this meter, in the order of the processes. */
    public static Map<String, Usage> between(Sample a, Sample b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : b.ticks().entrySet()) {
            String name = e.getKey();
            long cpu = e.getValue() - a.ticks().getOrDefault(name, 0L);
            long jit = 0;
            Map<Long, Long> before = a.jitTicks().getOrDefault(name, Map.of());
            for (Map.Entry<Long, Long> thread : b.jitTicks().getOrDefault(name, Map.of()).entrySet()) {
                jit += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
            }
            usage.put(name, new Usage(name, seconds, Math.max(0, cpu) / TICKS_PER_SECOND, jit / TICKS_PER_SECOND));
        }
        return usage;
    }

    /** One process's usage summed over several intervals. */
    public static Usage total(List<Map<String, Usage>> intervals, String name) {
        double seconds = 0;
        double cpu = 0;
        double jit = 0;
        for (Map<String, Usage> interval : intervals) {
            Usage u = interval.get(name);
            if (u != null) {
                seconds += u.seconds();
                cpu += u.cpuSeconds();
                jit += u.jitSeconds();
            }
        }
        return new Usage(name, seconds, cpu, jit);
    }

    /** utime + stime of the process alone (no children). */
    static long ownTicks(long pid) {
        long[] own = statTicks(Path.of("/proc", Long.toString(pid), "stat"));
        return own[0] + own[1];
    }

    static long processTicks(long pid) {
        long[] own = statTicks(Path.of("/proc", Long.toString(pid), "stat"));
        long total = own[0] + own[1] + own[2] + own[3];
        try (Stream<ProcessHandle> descendants = ProcessHandle.of(pid).map(ProcessHandle::descendants)
                .orElse(Stream.empty())) {
            for (ProcessHandle child : (Iterable<ProcessHandle>) descendants::iterator) {
                long[] t = statTicks(Path.of("/proc", Long.toString(child.pid()), "stat"));
                total += t[0] + t[1];
            }
        }
        return total;
    }

    static Map<Long, Long> compilerThreadTicks(long pid) {
        Map<Long, Long> ticks = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return ticks;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(task -> {
                String line = read(task.resolve("stat"));
                if (line != null && isCompilerThread(comm(line))) {
                    long[] t = parse(line);
                    ticks.put(Long.parseLong(task.getFileName().toString()), t[0] + t[1]);
                }
            });
        } catch (IOException | RuntimeException e) {
            // the process ended: nothing to count
        }
        return ticks;
    }

    /** HotSpot's compiler threads: "C1 CompilerThread0", "C2 CompilerThread1" (15 characters in /proc). */
    static boolean isCompilerThread(String comm) {
        return comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
    }

    static String comm(String statLine) {
        int open = statLine.indexOf('(');
        int close = statLine.lastIndexOf(')');
        return open < 0 || close < open ? "" : statLine.substring(open + 1, close);
    }

    /** utime, stime, cutime, cstime of one /proc stat line (fields 14-17); zeros if unreadable. */
    static long[] parse(String statLine) {
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                Long.parseLong(fields[14])};
    }

    private static long[] statTicks(Path stat) {
        String line = read(stat);
        try {
            return line == null ? new long[4] : parse(line);
        } catch (RuntimeException e) {
            return new long[4];
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
