package io.livestage.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during the measured windows: each service process, the harness JVM, the embedded
 * PostgreSQL (its postmaster and backends), and everything else on the machine (other people's builds included),
 * from {@code /proc/stat} and {@link ProcessHandle.Info#totalCpuDuration()}. On a shared machine this tells whether
 * a slow figure was the code's or the neighbours'. Linux only; elsewhere it reports nothing.
 */
public final class CpuMeter {
    /** One thread of a service: Linux thread id, name (as /proc shows it: 15 characters at most), cores used. */
    public record ThreadUsage(long tid, String name, double cores) {
    }

    /** A process to measure, under the name the report gives it. */
    public record Part(String name, ProcessHandle handle) {
    }

    /**
     * Cores' worth of CPU (CPU seconds per wall second) used by each part over the accumulated windows; services and
     * their busiest threads by name, in the order given.
     */
    public record Usage(double wallSeconds, Map<String, Double> services, double harness, double postgres,
            double machineBusy, int cores, Map<String, List<ThreadUsage>> busiestThreads) {
        /** All services together. */
        public double service() {
            return services.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        public double others() {
            return Math.max(0, machineBusy - service() - harness - postgres);
        }

        public double idle() {
            return Math.max(0, cores - machineBusy);
        }

        /** Cores used by the busiest threads (of every service) whose name starts with {@code prefix}. */
        public double threads(String prefix) {
            return busiestThreads.values().stream().flatMap(List::stream).filter(t -> t.name().startsWith(prefix))
                    .mapToDouble(ThreadUsage::cores).sum();
        }

        /**
         * Sentences on what else took the CPU during the windows: JIT compilation still going on in the services,
         * other people's work on the machine. Empty when both are small.
         */
        public List<String> caveats() {
            List<String> out = new ArrayList<>();
            double jit = threads("C2 Compiler") + threads("C1 Compiler");
            if (jit >= 0.05) {
                out.add(String.format(Locale.ROOT, "The services' JIT compiler threads still used %.2f "
                        + "cores during the measured windows, despite the warm-up: part of the CPU above is "
                        + "compilation, not requests, and the figures are somewhat pessimistic.", jit));
            }
            if (others() >= 0.2) {
                out.add(String.format(Locale.ROOT, "Other work on the machine, not this run, took %.2f "
                        + "cores during the measured windows (a shared machine); it competes with the services and "
                        + "shows in the tails.", others()));
            }
            return out;
        }

        /** Each part's cores and share of the machine; {@code windows} names the measured windows. */
        public Table table(String windows, String harnessParts) {
            Table table = new Table("during " + windows, "cores used", "share of the machine");
            services.forEach((name, used) -> table.row(name + " (JVM)", Report.fixed(used), share(used)));
            table.row("harness JVM (" + harnessParts + ")", Report.fixed(harness), share(harness));
            table.row("embedded PostgreSQL (an external one counts below)", Report.fixed(postgres), share(postgres));
            table.row("everything else on the machine", Report.fixed(others()), share(others()));
            table.row("idle", Report.fixed(idle()), share(idle()));
            return table;
        }

        /** The busiest threads of one service, or null when none were measured. */
        public Table threadTable(String service) {
            List<ThreadUsage> threads = busiestThreads.getOrDefault(service, List.of());
            if (threads.isEmpty()) {
                return null;
            }
            Table table = new Table(service + " thread (tid, name)", "cores used");
            threads.forEach(t -> table.row(t.tid() + " " + t.name(), Report.fixed(t.cores())));
            return table;
        }

        private String share(double used) {
            return Report.percent(used / cores);
        }
    }

    /** USER_HZ: the unit of the tick counts in /proc/<pid>/task/<tid>/stat; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100;
    private static final int BUSIEST = 6;

    private final List<Part> services;
    private final ProcessHandle postgres;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private Snapshot start;
    private double wall;
    private final Map<String, Double> serviceCpu = new LinkedHashMap<>();
    private double harnessCpu;
    private double postgresCpu;
    private double busyFraction;
    /** Per service: CPU seconds per thread id over the windows. */
    private final Map<String, Map<Long, Double>> threadSeconds = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();

    /**
     * @param services the service processes (their children count with them)
     * @param postgres the PostgreSQL postmaster, whose backends count with it; null when PostgreSQL is not ours to
     *                 measure (an external server then counts as "everything else")
     */
    public CpuMeter(List<Part> services, ProcessHandle postgres) {
        this.services = List.copyOf(services);
        this.postgres = postgres;
        for (Part part : this.services) {
            serviceCpu.put(part.name(), 0.0);
            threadSeconds.put(part.name(), new HashMap<>());
        }
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

    /** Per service: process CPU seconds (with children), and CPU seconds and name of each thread. */
    private record ServiceSnapshot(double cpu, Map<Long, Double> threads, Map<Long, String> names) {
    }

    private record Snapshot(long nanos, Map<String, ServiceSnapshot> services, double harness,
            Map<Long, Double> postgres, long[] machine) {
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
        for (Part part : services) {
            ServiceSnapshot before = start.services.get(part.name());
            ServiceSnapshot after = now.services.get(part.name());
            serviceCpu.merge(part.name(), after.cpu - before.cpu, Double::sum);
            Map<Long, Double> perThread = threadSeconds.get(part.name());
            for (Map.Entry<Long, Double> e : after.threads.entrySet()) {
                Double was = before.threads.get(e.getKey());
                if (was != null) {
                    perThread.merge(e.getKey(), e.getValue() - was, Double::sum);
                    threadNames.put(e.getKey(), after.names.get(e.getKey()));
                }
            }
        }
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
        start = null;
    }

    /** Averages over every begin/end pair so far; empty when nothing was measured. */
    public synchronized Optional<Usage> usage() {
        if (wall <= 0) {
            return Optional.empty();
        }
        Map<String, Double> perService = new LinkedHashMap<>();
        Map<String, List<ThreadUsage>> busiest = new LinkedHashMap<>();
        for (Part part : services) {
            perService.put(part.name(), serviceCpu.get(part.name()) / wall);
            busiest.put(part.name(), threadSeconds.get(part.name()).entrySet().stream()
                    .sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                    .limit(BUSIEST)
                    .map(e -> new ThreadUsage(e.getKey(), threadNames.get(e.getKey()), e.getValue() / wall))
                    .toList());
        }
        return Optional.of(new Usage(wall, perService, harnessCpu / wall, postgresCpu / wall,
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
        Map<String, ServiceSnapshot> perService = new HashMap<>();
        for (Part part : services) {
            Map<Long, Double> threads = new HashMap<>();
            Map<Long, String> names = new HashMap<>();
            threads(part.handle().pid(), threads, names);
            perService.put(part.name(), new ServiceSnapshot(cpu(part.handle()) + descendantsCpu(part.handle()), threads,
                    names));
        }
        return new Snapshot(System.nanoTime(), perService, cpu(ProcessHandle.current()), postgresCpu, machine());
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
