package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;

/**
 * Entry point of {@code ./bench/run NAME [--knob=value ...]}. Known benchmarks: {@code session-api}.
 * Exits 0 after writing the report (whether or not the goals were met), 1 when the harness itself failed, 2 on bad
 * arguments, 3 when the run overran its time budget.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: ./bench/run session-api [--warmup=S] [--duration=S] [--floor-duration=S] "
                    + "[--rounds=N] [--connections=N] [--mix=create=20,get=60,list=20] [--event-rate=R] ... "
                    + "(see bench/README.md)");
            System.exit(args.length == 0 ? 2 : 0);
        }
        String name = args[0];
        if (!name.equals("session-api")) {
            System.err.println("Unknown benchmark '" + name + "'; known: session-api");
            System.exit(2);
        }
        Settings settings;
        try {
            settings = Settings.from(Arrays.copyOfRange(args, 1, args.length), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        startWatchdog(settings.budget());
        int status = 0;
        try {
            Report report = new SessionApiBenchmark(settings).run();
            System.out.print(report.console());
            Files.createDirectories(settings.report().getParent());
            Files.writeString(settings.report(), report.markdown("Benchmark: session-api"), StandardCharsets.UTF_8);
            SessionApiBenchmark.log("report written to " + settings.report());
        } catch (Throwable failure) {
            System.err.println("bench: session-api failed: " + failure);
            failure.printStackTrace();
            status = 1;
        }
        // Kafka, PostgreSQL and the service are stopped by their shutdown hooks.
        System.exit(status);
    }

    /** Ends the JVM (and, through shutdown hooks, the service and the infrastructure) if the run overruns. */
    private static void startWatchdog(Duration budget) {
        Thread.ofPlatform().daemon().name("bench-watchdog").start(() -> {
            try {
                Thread.sleep(budget.toMillis());
                System.err.println("bench: the run exceeded its time budget of " + budget.toSeconds() + " s; stopping");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // never interrupted
            }
        });
    }
}
