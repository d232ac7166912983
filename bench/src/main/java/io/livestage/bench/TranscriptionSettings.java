package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.livestage.bench.Knobs.require;

/** Knobs of {@code ./bench/run transcription}; see bench/README.md. */
public record TranscriptionSettings(
        int sessions,
        int speakersPerSession,
        int viewersPerSession,
        Duration chunk,
        Duration utterance,
        Duration warmup,
        Duration duration,
        int rounds,
        Duration floorWarmup,
        Duration floorDuration,
        Duration drain,
        int clientThreads,
        boolean jfr,
        Duration pollTimeout,
        Path report,
        Path sessionJar,
        Path chatJar,
        Path transcriptionJar,
        String serviceJavaOpts,
        Path repoRoot,
        String command) {

    /** The speaker channel's audio format: PCM16 little-endian, mono. */
    static final int SAMPLE_RATE = 16_000;
    static final int BYTES_PER_SECOND = SAMPLE_RATE * 2;

    public TranscriptionSettings {
        require(sessions >= 1 && sessions <= 100, "sessions must be 1..100");
        require(speakersPerSession >= 1 && speakersPerSession <= 10,
                "speakers-per-session must be 1..10 (the host, a cohost, then guests)");
        require(sessions * speakersPerSession <= 400, "sessions × speakers-per-session must be at most 400");
        require(viewersPerSession >= 1 && viewersPerSession <= 50, "viewers-per-session must be 1..50");
        require(chunk.toMillis() >= 10 && chunk.toMillis() <= 1_000 && chunk.toMillis() % 10 == 0,
                "chunk-ms must be 10..1000, a multiple of 10");
        require(utterance.toMillis() >= 200 && utterance.toMillis() <= 10_000 && utterance.toMillis() >= chunk.toMillis(),
                "utterance-ms must be 200..10000 and at least chunk-ms");
        require(!warmup.isNegative() && warmup.toSeconds() <= 300, "warmup must be 0..300 s");
        require(duration.toMillis() >= 2_000 && duration.toSeconds() <= 600, "duration must be 2..600 s");
        require(rounds >= 1 && rounds <= 6, "rounds must be 1..6");
        require(duration.toMillis() / rounds >= 1_000, "duration / rounds must be at least 1 s");
        require(!floorWarmup.isNegative() && floorWarmup.toSeconds() <= 60, "floor-warmup must be 0..60 s");
        require(!floorDuration.isNegative() && floorDuration.toSeconds() <= 300, "floor-duration must be 0..300 s");
        require(floorDuration.isZero() || floorDuration.toMillis() / rounds >= 1_000,
                "floor-duration / rounds must be at least 1 s (or 0: no floor)");
        require(drain.toMillis() >= 500 && drain.toSeconds() <= 60, "drain-ms must be 500..60000");
        require(clientThreads >= 1 && clientThreads <= 8, "client-threads must be 1..8");
        require(pollTimeout.toMillis() >= 1 && pollTimeout.toMillis() <= 1_000, "poll-ms must be 1..1000");
    }

    public static TranscriptionSettings from(String[] args, Map<String, String> env) {
        Knobs knobs = Knobs.parse(args, env);
        Path root = knobs.root();
        Duration duration = knobs.seconds("duration", 60);
        TranscriptionSettings settings = new TranscriptionSettings(
                knobs.integer("sessions", 25),
                knobs.integer("speakers-per-session", 4),
                knobs.integer("viewers-per-session", 2),
                knobs.millis("chunk-ms", 100),
                knobs.millis("utterance-ms", 1_000),
                knobs.seconds("warmup", 60),
                duration,
                knobs.integer("rounds", 2),
                knobs.seconds("floor-warmup", 5),
                knobs.seconds("floor-duration", 20),
                knobs.millis("drain-ms", 3_000),
                knobs.integer("client-threads", 2),
                Boolean.parseBoolean(knobs.string("jfr", "false")),
                knobs.millis("poll-ms", 5),
                root.resolve(knobs.string("report", "docs/benchmarks/transcription.md")),
                root.resolve(knobs.string("session-jar", "session-service/target/quarkus-app/quarkus-run.jar")),
                root.resolve(knobs.string("chat-jar", "chat-service/target/quarkus-app/quarkus-run.jar")),
                root.resolve(knobs.string("transcription-jar", "transcription-service/target/quarkus-app/quarkus-run.jar")),
                knobs.string("service-java-opts", ""),
                root,
                command(args));
        knobs.finish();
        return settings;
    }

    /** The command line that ran (without bench/run's own --root), for the report. */
    static String command(String[] args) {
        StringBuilder command = new StringBuilder("./bench/run transcription");
        for (String arg : args) {
            if (!arg.startsWith("--root=")) {
                command.append(' ').append(arg);
            }
        }
        return command.toString();
    }

    /** Speakers streaming at once through transcription-service. */
    int speakers() {
        return sessions * speakersPerSession;
    }

    int viewers() {
        return sessions * viewersPerSession;
    }

    /** Floor streams (through the harness's plain relay): as many as speakers, so the relay sees the same rate. */
    int floorSpeakers() {
        return floorDuration.isZero() ? 0 : speakers();
    }

    boolean floor() {
        return !floorDuration.isZero();
    }

    /** Bytes of one chunk: {@code chunk} of 16 kHz PCM16 (3,200 for 100 ms). */
    int chunkBytes() {
        return (int) (BYTES_PER_SECOND * chunk.toMillis() / 1000);
    }

    /** The measured window of each round through the services. */
    Duration window() {
        return duration.dividedBy(rounds);
    }

    /** The floor's window in each round. */
    Duration floorWindow() {
        return floorDuration.dividedBy(rounds);
    }

    /** Time the speakers stream in all (warm-ups and windows of both kinds). */
    Duration streaming() {
        return warmup.plus(floor() ? floorWarmup : Duration.ZERO).plus(duration).plus(floorDuration);
    }

    /** Transcripts (partials and finals) each speaker's stream produces per second at the stub. */
    double transcriptsPerSecondPerSpeaker() {
        return 2_000.0 / utterance.toMillis();
    }

    /** Upper bound of the whole run's wall time, for the watchdog. */
    public Duration budget() {
        return streaming().multipliedBy(2).plus(drain.multipliedBy(4)).plus(Duration.ofMinutes(8));
    }
}
