package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;

import io.livestage.testing.postgres.TestDatabase;
import io.livestage.testing.service.ServiceProcess;

/**
 * Starts the packaged recording-service for a benchmark on the stack's Kafka and LiveKit stub, with its own database,
 * the storage folder as egress sees it ({@code egressDirectory}) and as the service reads it ({@code localDirectory}),
 * and logs when it is ready. The recording and streaming benchmarks share it.
 */
final class RecordingProcess {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private RecordingProcess() {
    }

    static ServiceProcess start(LiveStack stack, StackJars jars, Path jar, TestDatabase database,
            String egressDirectory, Path localDirectory, Path log) {
        Harness.log("recording-service: starting " + jar);
        ServiceProcess recording = ServiceProcess.builder("recording-service").jar(jar)
                .javaOptions(jars.serviceJavaOpts()).database(database)
                .kafka(stack.kafka.bootstrapServers())
                .env("LIVEKIT_URL", stack.livekit.url().replace("http://", "ws://"))
                .env("LIVEKIT_API_KEY", stack.livekit.apiKey())
                .env("LIVEKIT_API_SECRET", stack.livekit.apiSecret())
                .env("LIVESTAGE_RECORDING_DIRECTORY", egressDirectory)
                // the file endpoints read the folder where the harness mounted it
                .env("LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", localDirectory.toString())
                .log(log).readyTimeout(READY_TIMEOUT).start();
        Harness.log("recording-service: ready on " + recording.url() + " after "
                + recording.startupTime().toMillis() + " ms (pid " + recording.pid() + ", log " + recording.log() + ")");
        return recording;
    }
}
