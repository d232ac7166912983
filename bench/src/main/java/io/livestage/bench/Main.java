package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.livestage.bench.core.Log;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.scale.ScaleScenario;
import io.livestage.bench.scenario.SessionApiScenario;
import io.livestage.bench.scenario.TokensScenario;

/**
 * Entry point of {@code ./bench/run NAME [--knob=value ...]}. Known benchmarks: {@code session-api}, {@code tokens},
 * {@code stage}, {@code webhooks}, {@code chat-fanout}, {@code gateway}, {@code transcription}, {@code recording},
 * {@code streaming}, {@code analytics}, {@code scale}. Exits 0 after writing the report (whether or not the goals were met), 1 when the harness itself
 * failed, 2 on bad arguments, 3 when the run overran its time budget.
 */
public final class Main {
    static final String KNOWN = "session-api, tokens, stage, webhooks, chat-fanout, gateway, transcription, recording, "
            + "streaming, analytics, scale";

    /** The benchmarks on the core (io.livestage.bench.core): name → scenario built from its knobs. */
    static final Map<String, Function<io.livestage.bench.core.Knobs, Scenario>> SCENARIOS = Map.of(
            "tokens", TokensScenario::new,
            "session-api", SessionApiScenario::new,
            "chat-fanout", ChatFanoutScenario::new,
            "gateway", GatewayScenario::new,
            "stage", StageScenario::new,
            "webhooks", WebhooksScenario::new,
            "transcription", TranscriptionScenario::new,
            "streaming", StreamingScenario::new,
            "recording", RecordingScenario::new,
            "scale", ScaleScenario::new);

    private Main() {
    }

    /**
     * A scenario on the core: knobs read (unknown ones refused: 2), the run, the report rendered from its template
     * and written, the RESULT line printed (0); a failure of the harness is 1, an overrun of the budget 3. Everything
     * the run started is stopped at the end (also by a shutdown hook when the watchdog ends the JVM).
     */
    static int runScenario(String name, Function<io.livestage.bench.core.Knobs, Scenario> factory, List<String> args,
            Map<String, String> env) {
        io.livestage.bench.core.Knobs knobs;
        Scenario scenario;
        io.livestage.bench.core.Run run;
        java.nio.file.Path report;
        try {
            knobs = new io.livestage.bench.core.Knobs(args, env);
            scenario = factory.apply(knobs);
            run = new io.livestage.bench.core.Run(name, knobs);
            report = knobs.path(run.root(), "report", "docs/benchmarks/" + name + ".md");
            knobs.finish();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        startWatchdog(scenario.budget());
        try (run) {
            io.livestage.bench.core.Report filled = run.standard(scenario.run(run));
            String markdown = filled.render();
            Files.createDirectories(report.getParent());
            Files.writeString(report, markdown, StandardCharsets.UTF_8);
            Log.info("report written to %s", report);
            System.out.println(filled.resultLine());
            return 0;
        } catch (Throwable failure) {
            System.err.println("bench: " + name + " failed: " + failure);
            failure.printStackTrace();
            return 1;
        }
    }

    /** A benchmark ready to run: its time budget, and the run that produces the report. */
    private record Planned(Duration budget, Path report, Run run) {
    }

    /** The two renderings of a finished run. */
    private record Written(String console, String markdown) {
    }

    @FunctionalInterface
    private interface Run {
        Written run() throws Exception;
    }

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: ./bench/run session-api|tokens|stage|webhooks|chat-fanout|gateway|transcription"
                    + "|recording|streaming|analytics|scale [--knob=value ...] (see bench/README.md)");
            System.exit(args.length == 0 ? 2 : 0);
        }
        String name = args[0];
        String[] knobs = Arrays.copyOfRange(args, 1, args.length);
        Map<String, String> env = System.getenv();
        Function<io.livestage.bench.core.Knobs, Scenario> scenario = SCENARIOS.get(name);
        if (scenario != null) {
            System.exit(runScenario(name, scenario, List.of(knobs), env));
        }
        Planned planned;
        try {
            planned = switch (name) {
                case "analytics" -> {
                    AnalyticsSettings settings = AnalyticsSettings.from(knobs, env);
                    yield new Planned(settings.budget(), settings.report(), () -> {
                        AnalyticsReport report = new AnalyticsBenchmark(settings).run();
                        return new Written(report.console(), report.markdown());
                    });
                }
                default -> throw new IllegalArgumentException("Unknown benchmark '" + name + "'; known: " + KNOWN);
            };
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        startWatchdog(planned.budget());
        int status = 0;
        try {
            // The Kafka broker in its own process for the scenarios not yet on the core too: published JVM-wide, so
            // that the testing module's KafkaBroker uses it.
            String root = Arrays.stream(knobs).filter(a -> a.startsWith("--root=")).findFirst().orElse("--root=.");
            io.livestage.bench.core.Run broker = new io.livestage.bench.core.Run(name,
                    new io.livestage.bench.core.Knobs(List.of(root), env));
            System.setProperty(io.livestage.testing.kafka.KafkaBroker.BOOTSTRAP_PROPERTY,
                    broker.kafka().bootstrapServers());
            Written written = planned.run().run();
            System.out.print(written.console());
            Files.createDirectories(planned.report().getParent());
            Files.writeString(planned.report(), written.markdown(), StandardCharsets.UTF_8);
            Harness.log("report written to " + planned.report());
        } catch (Throwable failure) {
            System.err.println("bench: " + name + " failed: " + failure);
            failure.printStackTrace();
            status = 1;
        }
        // Kafka, PostgreSQL and the services are stopped by their shutdown hooks.
        System.exit(status);
    }

    /** Ends the JVM (and, through shutdown hooks, the services and the infrastructure) if the run overruns. */
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
