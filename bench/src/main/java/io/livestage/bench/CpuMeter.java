package io.livestage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during the measured windows: the service process, the harness JVM, the embedded
 * PostgreSQL (its postmaster and backends), and everything else on the machine (other people's builds included),
 * from {@code /proc/stat} and {@link ProcessHandle.Info#totalCpuDuration()}. On a shared machine this tells whether
 * a slow figure was the code's or the neighbours'. Linux only; elsewhere it reports nothing.
 */
public final class CpuMeter {
    /** One thread of the service: Linux thread id, name (as /proc shows it: 15 characters at most), cores used. */
    public record ThreadUsage(long tid, String name, double cores) {
    }

    /** Cores' worth of CPU (CPU seconds per wall second) used by each part over the accumulated windows. */
    public record Usage(double wallSeconds, double service, double harness, double postgres, double machineBusy,
            int cores, List<ThreadUsage> busiestServiceThreads) {
        public double others() {
            return Math.max(0, machineBusy - service - harness - postgres);
        }

        public double idle() {
            return Math.max(0, cores - machineBusy);
        }
    }

    private final ProcessHandle service;
    private final ProcessHandle postgres;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private Snapshot start;
    private double wall;
    private double serviceCpu;
    private double harnessCpu;
    private double postgresCpu;
    private double busyFraction;
    private final Map<Long, Double> threadSeconds = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();
    /** USER_HZ: the unit of the tick counts in /proc/<pid>/task/<tid>/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * @param service  the service process (its children count with it)
     * @param postgres the PostgreSQL postmaster, whose backends count with it; null when PostgreSQL is not ours to
     *                 measure (an external server then counts as "everything else")
     */
    public CpuMeter(ProcessHandle service, ProcessHandle postgres) {
        this.service = service;
        this.postgres = postgres;
    }

    /** The postmaster of a PostgreSQL started with {@code -p port} on this machine (the embedded one), if any. */
    public static Optional<ProcessHandle> postmaster(int port) {
        String portArgument = Integer.toString(port);
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                    .filter(p -> {
                        String[] args = p.info().arguments().orElse(new String[0]);
                        for (int i = 0; i + 1 < args.length; i++) {
                            if (args[i].equals("-p") && args[i + 1].equals(portArgument)) {
                                return true;
                            }
                        }
                        return false;
                    })
                    .findFirst();
        }
    }

    private record Snapshot(long nanos, double service, double harness, Map<Long, Double> postgres, long[] machine,
            Map<Long, Double> threads, Map<Long, String> names) {
    }

    public synchronized void begin() {
        start = snapshot();
    }

    public synchronized void end() {
        if (start == null) {
            return;
        }
        Snapshot now = snapshot();
        double seconds = (now.nanos - start.nanos) / 1e9;
        wall += seconds;
        serviceCpu += now.service - start.service;
        harnessCpu += now.harness - start.harness;
        for (Map.Entry<Long, Double> e : now.postgres.entrySet()) {
            postgresCpu += e.getValue() - start.postgres.getOrDefault(e.getKey(), 0.0);
        }
        if (start.machine != null && now.machine != null) {
            long total = now.machine[0] - start.machine[0];
            long idle = now.machine[1] - start.machine[1];
            if (total > 0) {
                busyFraction += (1.0 - idle / (double) total) * seconds;
            }
        }
        for (Map.Entry<Long, Double> e : now.threads.entrySet()) {
            Double before = start.threads.get(e.getKey());
            if (before != null) {
                threadSeconds.merge(e.getKey(), e.getValue() - before, Double::sum);
                threadNames.put(e.getKey(), now.names.get(e.getKey()));
            }
        }
        start = null;
    }

    /** Averages over every begin/end pair so far; empty when nothing was measured. */
    public synchronized Optional<Usage> usage() {
        if (wall <= 0) {
            return Optional.empty();
        }
        List<ThreadUsage> busiest = threadSeconds.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                .limit(6)
                .map(e -> new ThreadUsage(e.getKey(), threadNames.get(e.getKey()), e.getValue() / wall))
                .toList();
        return Optional.of(new Usage(wall, serviceCpu / wall, harnessCpu / wall, postgresCpu / wall,
                busyFraction / wall * cores, cores, busiest));
    }

    private Snapshot snapshot() {
        Map<Long, Double> postgresCpu = new HashMap<>();
        if (postgres != null) {
            postgresCpu.put(postgres.pid(), cpu(postgres));
            try (Stream<ProcessHandle> children = postgres.descendants()) {
                children.forEach(p -> postgresCpu.put(p.pid(), cpu(p)));
            }
        }
        Map<Long, Double> threads = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        threads(service.pid(), threads, names);
        return new Snapshot(System.nanoTime(), cpu(service) + descendantsCpu(service), cpu(ProcessHandle.current()),
                postgresCpu, machine(), threads, names);
    }

    /** CPU seconds of each thread of {@code pid} from /proc/PID/task; nothing off Linux. */
    private static void threads(long pid, Map<Long, Double> seconds, Map<Long, String> names) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after ") ": state(0) ... utime(11) stime(12)
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    long tid = Long.parseLong(task.getFileName().toString());
                    seconds.put(tid, ticks / TICKS_PER_SECOND);
                    names.put(tid, name);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between list and read
                }
            });
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
    }

    private static double descendantsCpu(ProcessHandle process) {
        try (Stream<ProcessHandle> children = process.descendants()) {
            return children.mapToDouble(CpuMeter::cpu).sum();
        }
    }

    private static double cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }

    /** {total, idle} jiffies of all CPUs, or null off Linux. */
    private static long[] machine() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
            return new long[] { total, idle };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
