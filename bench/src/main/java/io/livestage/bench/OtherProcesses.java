package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the rest of the machine did during the measured windows: CPU seconds of every process that is neither the
 * harness nor one of its descendants (services, PostgreSQL, the proxy hop), grouped by a short description
 * ({@code java -jar quarkus-run.jar}, {@code java org.codehaus.plexus.classworlds.launcher.Launcher} for Maven, …).
 * On a shared machine this says whose work competed with the run. Linux only; elsewhere it finds nothing.
 */
final class OtherProcesses {
    /** One group of processes: description, how many, cores used on average over the windows. */
    record Usage(String what, int processes, double cores) {
    }

    private Map<Long, Double> start;
    private Map<Long, String> names = new HashMap<>();
    private final Map<String, Double> seconds = new HashMap<>();
    private final Map<String, Set<Long>> pids = new HashMap<>();
    private long startNanos;
    private double wall;

    synchronized void begin() {
        start = snapshot();
        startNanos = System.nanoTime();
    }

    synchronized void end() {
        if (start == null) {
            return;
        }
        Map<Long, Double> now = snapshot();
        wall += (System.nanoTime() - startNanos) / 1e9;
        now.forEach((pid, cpu) -> {
            double used = cpu - start.getOrDefault(pid, cpu);
            if (!start.containsKey(pid)) {
                // started during the window: all of its CPU so far is the window's
                used = cpu;
            }
            if (used > 0) {
                String what = names.getOrDefault(pid, "?");
                seconds.merge(what, used, Double::sum);
                pids.computeIfAbsent(what, w -> new HashSet<>()).add(pid);
            }
        });
        start = null;
    }

    /** The busiest groups, most CPU first, at most {@code limit}. */
    synchronized List<Usage> top(int limit) {
        if (wall <= 0) {
            return List.of();
        }
        return seconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(limit).map(e -> new Usage(e.getKey(), pids.get(e.getKey()).size(), e.getValue() / wall))
                .filter(u -> u.cores() >= 0.005).toList();
    }

    private Map<Long, Double> snapshot() {
        Set<Long> ours = new HashSet<>();
        ProcessHandle self = ProcessHandle.current();
        ours.add(self.pid());
        try (Stream<ProcessHandle> descendants = self.descendants()) {
            descendants.forEach(p -> ours.add(p.pid()));
        }
        Map<Long, Double> cpu = new LinkedHashMap<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.filter(p -> !ours.contains(p.pid())).forEach(p -> {
                ProcessHandle.Info info = p.info();
                cpu.put(p.pid(), info.totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9);
                names.computeIfAbsent(p.pid(), pid -> describe(info));
            });
        }
        return cpu;
    }

    /** {@code java -jar <jar file name>}, {@code java <main class>}, else the executable's name. */
    static String describe(ProcessHandle.Info info) {
        String command = info.command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
        String[] args = info.arguments().orElse(new String[0]);
        return describe(command, args);
    }

    static String describe(String command, String[] args) {
        if (!command.equals("java")) {
            return command;
        }
        Set<String> withValue = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path", "--add-opens",
                "--add-exports", "--add-modules", "--add-reads", "-d", "--describe-module");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-jar") && i + 1 < args.length) {
                Path jar = Path.of(args[i + 1]);
                // a Quarkus fast-jar: <module>/target/quarkus-app/quarkus-run.jar; name the module
                Path module = jar.getNameCount() >= 4 && jar.getFileName().toString().equals("quarkus-run.jar")
                        ? jar.getParent().getParent().getParent().getFileName() : null;
                return "java -jar " + (module != null ? module + "/…/" : "") + jar.getFileName();
            }
            if (withValue.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-") && !arg.startsWith("@")) {
                return "java " + arg;
            }
        }
        return "java";
    }
}
