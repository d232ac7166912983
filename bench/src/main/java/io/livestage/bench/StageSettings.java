package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run stage}; see bench/README.md. */
public record StageSettings(
        int sessions,
        int warmupApprovals,
        double warmupRate,
        int approvals,
        double rate,
        Duration updateTimeout,
        Duration pollTimeout,
        Duration requestTimeout,
        Path report,
        StackJars stack) {

    public StageSettings {
        require(sessions >= 1 && sessions <= 64, "sessions must be 1..64");
        require(warmupApprovals >= 0 && warmupApprovals <= 100_000, "warmup-approvals must be 0..100000");
        require(approvals >= 1 && approvals <= 100_000, "approvals must be 1..100000");
        require(rate > 0 && rate <= 1_000, "rate must be > 0 and <= 1000 per second");
        require(warmupRate > 0 && warmupRate <= 1_000, "warmup-rate must be > 0 and <= 1000 per second");
        require(approvals / rate <= 1_800, "approvals / rate must be at most 1800 s");
        require(warmupApprovals / warmupRate <= 600, "warmup-approvals / warmup-rate must be at most 600 s");
        require(!updateTimeout.isNegative() && updateTimeout.toSeconds() <= 120 && updateTimeout.toMillis() >= 100,
                "update-timeout-ms must be 100..120000");
    }

    public static StageSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        StageSettings settings = new StageSettings(
                knobs.integer("sessions", 4),
                knobs.integer("warmup-approvals", 600),
                knobs.decimal("warmup-rate", 25),
                knobs.integer("approvals", 500),
                knobs.decimal("rate", 10),
                knobs.millis("update-timeout-ms", 10_000),
                knobs.millis("poll-ms", 5),
                knobs.millis("request-timeout-ms", 10_000),
                root.resolve(knobs.string("report", "docs/benchmarks/stage.md")),
                StackJars.from(knobs));
        knobs.finish();
        return settings;
    }

    /** The scheduled length of a phase of {@code count} approvals at {@code perSecond}. */
    static Duration phase(int count, double perSecond) {
        return Duration.ofMillis(Math.round(count / perSecond * 1000));
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        Duration phases = phase(warmupApprovals, warmupRate).plus(phase(approvals, rate));
        return phases.multipliedBy(2).plus(updateTimeout.multipliedBy(4)).plus(requestTimeout.multipliedBy(8))
                .plus(Duration.ofMinutes(6));
    }
}
