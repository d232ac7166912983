package io.livestage.recording;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import io.livestage.events.Topics;
import io.livestage.testing.kafka.EventProbe;
import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.service.ServiceProcess;

import static io.restassured.RestAssured.given;

/**
 * What recording-service's ITs run against, as a black box: session-service, token-service and recording-service as
 * processes on the shared Kafka and PostgreSQL, and the LiveKit contract stub, whose egress writes real files into
 * {@code folder} (egress sees it as {@code /out}, recording-service reads it there through
 * {@code storage.local-directory}) and whose webhooks go to token-service, which puts them on Kafka. An
 * {@link EventProbe} watches the topics a test names.
 */
final class RecordingStack implements AutoCloseable {
    private final LiveKitStub livekit;
    private final ServiceProcess sessions;
    private final ServiceProcess tokens;
    private final EventProbe events;
    private final Map<String, String> recordingEnv;
    private ServiceProcess recording;

    private RecordingStack(LiveKitStub livekit, ServiceProcess sessions, ServiceProcess tokens,
            ServiceProcess recording, EventProbe events, Map<String, String> recordingEnv) {
        this.livekit = livekit;
        this.sessions = sessions;
        this.tokens = tokens;
        this.recording = recording;
        this.events = events;
        this.recordingEnv = recordingEnv;
    }

    /** Starts everything; {@code env} is added to recording-service's environment, {@code watched} are probed. */
    static RecordingStack start(Path folder, Map<String, String> env, String... watched) throws Exception {
        for (String topic : List.of(Topics.SESSION, Topics.LIVEKIT, Topics.RECORDING, Topics.TRANSCRIPT, Topics.CHAT,
                Topics.PODCAST)) {
            KafkaBroker.shared().createTopic(topic, Topics.PARTITIONS);
        }
        LiveKitStub livekit = LiveKitStub.start();
        livekit.egress().mount("/out", folder);
        Map<String, String> livekitEnv = Map.of("LIVEKIT_URL", livekit.url().replace("http://", "ws://"),
                "LIVEKIT_API_KEY", livekit.apiKey(), "LIVEKIT_API_SECRET", livekit.apiSecret());
        EventProbe events = EventProbe.from(KafkaBroker.shared().bootstrapServers(), watched);
        Map<String, String> recordingEnv = with(livekitEnv,
                with(Map.of("LIVESTAGE_RECORDING_STORAGE_LOCAL_DIRECTORY", folder.toString()), env));
        CompletableFuture<ServiceProcess> recordingStart = CompletableFuture.supplyAsync(
                () -> ServiceProcess.start("recording-service", recordingEnv));
        ServiceProcess sessions = ServiceProcess.start("session-service", Map.of());
        ServiceProcess tokens = ServiceProcess.start("token-service",
                with(livekitEnv, Map.of("SESSION_SERVICE_URL", sessions.url())));
        livekit.notifier().addUrl(tokens.url() + "/webhooks/livekit");
        return new RecordingStack(livekit, sessions, tokens, recordingStart.get(120, TimeUnit.SECONDS), events,
                recordingEnv);
    }

    LiveKitStub livekit() {
        return livekit;
    }

    ServiceProcess sessions() {
        return sessions;
    }

    ServiceProcess tokens() {
        return tokens;
    }

    ServiceProcess recording() {
        return recording;
    }

    EventProbe events() {
        return events;
    }

    /**
     * Starts recording-service again on the same database and environment (after a test killed it), its log in
     * {@code log}.
     */
    ServiceProcess restartRecording(Path log) {
        recording = ServiceProcess.builder("recording-service").database(recording.database()).env(recordingEnv)
                .log(log).start();
        return recording;
    }

    RequestSpecification sessionApi(String user) {
        return given().baseUri(sessions.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    RequestSpecification recordingApi(String user) {
        return given().baseUri(recording.url()).auth().oauth2(TestTokens.token(user)).contentType(ContentType.JSON);
    }

    /** A user id no other test uses, e.g. {@code rec-host-1a2b3c4d}. */
    static String user(String prefix, String role) {
        return prefix + "-" + role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {recording, tokens, sessions, events, livekit}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
