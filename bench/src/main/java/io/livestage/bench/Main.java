package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.scale.ScaleScenario;
import io.livestage.bench.scenario.SessionApiScenario;
import io.livestage.bench.scenario.TokensScenario;

/**
 * Entry point of {@code ./bench/run NAME [--knob=value ...]}: the scenario's knobs read (unknown ones refused), the
 * run, the report rendered from its template and written, the RESULT line printed.
 */
public final class Main {
    /** The benchmarks: name → scenario built from its knobs. */
    static final Map<String, Function<Knobs, Scenario>> SCENARIOS = Map.ofEntries(
            Map.entry("tokens", TokensScenario::new),
            Map.entry("session-api", SessionApiScenario::new),
            Map.entry("chat-fanout", ChatFanoutScenario::new),
            Map.entry("gateway", GatewayScenario::new),
            Map.entry("stage", StageScenario::new),
            Map.entry("webhooks", WebhooksScenario::new),
            Map.entry("transcription", TranscriptionScenario::new),
            Map.entry("recording", RecordingScenario::new),
            Map.entry("streaming", StreamingScenario::new),
            Map.entry("analytics", AnalyticsScenario::new),
            Map.entry("scale", ScaleScenario::new));
    static final String KNOWN = "session-api, tokens, stage, webhooks, chat-fanout, gateway, transcription, recording, "
            + "streaming, analytics, scale";

    private Main() {
    }

    static int runScenario(String name, Function<Knobs, Scenario> factory, List<String> args,
            Map<String, String> env) {
        Knobs knobs;
        Scenario scenario;
        Run run;
        Path report;
        try {
            knobs = new Knobs(args, env);
            scenario = factory.apply(knobs);
            run = new Run(name, knobs);
            report = knobs.path(run.root(), "report", "docs/benchmarks/" + name + ".md");
            knobs.finish();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        startWatchdog(scenario.budget());
        try (run) {
            Report filled = run.standard(scenario.run(run));
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

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: ./bench/run " + KNOWN.replace(", ", "|") + " [--knob=value ...] (see "
                    + "bench/README.md)");
            System.exit(args.length == 0 ? 2 : 0);
        }
        Function<Knobs, Scenario> scenario = SCENARIOS.get(args[0]);
        if (scenario == null) {
            System.err.println("bench: Unknown benchmark '" + args[0] + "'; known: " + KNOWN);
            System.exit(2);
        }
        System.exit(runScenario(args[0], scenario, List.of(Arrays.copyOfRange(args, 1, args.length)),
                System.getenv()));
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
