package io.livestage.transcription.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

import io.livestage.events.transcript.TranscriptSegment;
import io.livestage.transcription.client.GladiaClient;
import io.livestage.transcription.client.GladiaStream;
import io.livestage.transcription.config.TranscriptionConfig;
import io.livestage.transcription.model.SessionInfo;
import io.livestage.transcription.model.Speaker;
import io.livestage.transcription.repository.TranscriptRepository;

/**
 * Admits speakers, runs one Gladia stream per speaker socket and turns Gladia's transcripts into stored segments and
 * {@code transcript.segment} events (in one transaction, through the outbox).
 */
@ApplicationScoped
public class TranscriptionService {
    private static final Logger LOG = Logger.getLogger(TranscriptionService.class);

    /** The outcome of a speaker's {@code start}: admitted, or refused with an error code, a message and a close code. */
    public record Admission(SessionInfo session, Speaker speaker, String code, String message, int closeCode) {
        public boolean admitted() {
            return code == null;
        }

        static Admission refuse(String code, String message, int closeCode) {
            return new Admission(null, null, code, message, closeCode);
        }
    }

    private final TranscriptionConfig config;
    private final GladiaClient gladia;
    private final TranscriptRepository repository;
    private final StreamRegistry streams;
    private final Vertx vertx;
    private final Counter audioBytes;
    private final Counter segments;
    private final Counter reconnects;

    public TranscriptionService(TranscriptionConfig config, GladiaClient gladia, TranscriptRepository repository,
            StreamRegistry streams, Vertx vertx, MeterRegistry metrics) {
        this.config = config;
        this.gladia = gladia;
        this.repository = repository;
        this.streams = streams;
        this.vertx = vertx;
        this.audioBytes = metrics.counter("livestage.transcription.audio.bytes");
        this.segments = metrics.counter("livestage.transcription.segments");
        this.reconnects = metrics.counter("livestage.transcription.gladia.reconnects");
        metrics.gauge("livestage.transcription.streams", streams, StreamRegistry::size);
        streams.onStop(stop -> stop(stop.stream(), stop.reason()));
    }

    public boolean configured() {
        return gladia.configured();
    }

    /**
     * May {@code userId} stream audio in {@code sessionId}? Waits up to the admission wait for the projection to show
     * the caller on stage (an approval may still be on its way).
     */
    public Uni<Admission> admit(UUID sessionId, String userId) {
        long deadline = System.nanoTime() + config.admissionWait().toNanos();
        return attempt(sessionId, userId, deadline);
    }

    private Uni<Admission> attempt(UUID sessionId, String userId, long deadline) {
        return repository.session(sessionId.toString()).flatMap(session -> {
            if (session == null) {
                return retry(sessionId, userId, deadline, Admission.refuse("not_found", "no such session", 4404));
            }
            if (!session.active()) {
                return Uni.createFrom().item(Admission.refuse("not_live", "the session is " + session.status().toLowerCase()
                        + "; audio is accepted only while it is live", 4409));
            }
            if (!session.transcriptionEnabled()) {
                return Uni.createFrom().item(Admission.refuse("transcription_disabled",
                        "transcription is off for this session (the host turns it on in the session settings)", 4403));
            }
            return repository.participant(sessionId, userId).flatMap(speaker -> {
                if (speaker != null && speaker.removed()) {
                    return Uni.createFrom().item(Admission.refuse("removed", "you were removed from this session", 4403));
                }
                if (speaker == null || !speaker.onStage()) {
                    return retry(sessionId, userId, deadline, Admission.refuse("not_a_speaker",
                            "only speakers on stage (host, cohost, guest) can stream audio", 4403));
                }
                return Uni.createFrom().item(new Admission(session, speaker, null, null, 0));
            });
        });
    }

    private Uni<Admission> retry(UUID sessionId, String userId, long deadline, Admission refusal) {
        if (System.nanoTime() >= deadline) {
            return Uni.createFrom().item(refusal);
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
                .flatMap(v -> attempt(sessionId, userId, deadline));
    }

    /**
     * Opens the Gladia session of an admitted speaker (the init call retries transient failures); audio received
     * meanwhile is kept and sent once connected.
     */
    public void start(SpeakerStream stream) {
        int bytesPerSecond = stream.sampleRate() * 2;
        JsonObject body = gladia.initBody(stream.sampleRate(), stream.languages(), new JsonObject()
                .put("session", stream.sessionId().toString()).put("participant", stream.identity()));
        PendingAudio pending = new PendingAudio();
        stream.socket().userData().put(PendingAudio.KEY, pending);
        gladia.init(body).subscribe().with(
                live -> stream.context().runOnContext(v -> connect(stream, live, pending, bytesPerSecond)),
                failure -> stream.context().runOnContext(v -> initFailed(stream, failure)));
    }

    private void connect(SpeakerStream stream, GladiaClient.LiveSession live, PendingAudio pending, int bytesPerSecond) {
        GladiaStream g = new GladiaStream(vertx, stream.context(), gladia.webSockets(), config.gladia(), live.id(),
                live.url(), bytesPerSecond, listener(stream, live.id()));
        stream.gladia(g);
        for (Buffer chunk : pending.drain()) {
            g.audio(chunk);
        }
        if (stream.stopping()) {
            g.stop();
        }
        g.connect();
    }

    private void initFailed(SpeakerStream stream, Throwable failure) {
        boolean badKey = failure instanceof GladiaClient.InitFailed f && f.badKey();
        LOG.warnf("Gladia init for a speaker of session %s failed: %s", stream.sessionId(), failure.getMessage());
        streams.remove(stream);
        if (badKey) {
            Frames.closeWithError(stream.socket(), "not_configured",
                    "transcription is misconfigured: Gladia refused the API key (check GLADIA_API_KEY)", 1011,
                    "transcription misconfigured");
        } else {
            Frames.closeWithError(stream.socket(), "unavailable", "transcription is unavailable right now; retry shortly",
                    1011, "transcription unavailable");
        }
    }

    /** Audio from the speaker. */
    public void audio(SpeakerStream stream, Buffer data) {
        stream.originIfUnset(Instant.now());
        audioBytes.increment(data.length());
        GladiaStream g = stream.gladia();
        if (g != null) {
            g.audio(data);
        } else {
            PendingAudio pending = stream.socket().userData().get(PendingAudio.KEY);
            if (pending != null) {
                pending.add(data.copy());
            }
        }
    }

    /** Stops a stream cleanly: {@code stop_recording}, the last finals, then the socket closes with {@code reason}. */
    public void stop(SpeakerStream stream, String reason) {
        stream.context().runOnContext(v -> {
            if (stream.stopping()) {
                return;
            }
            stream.stopping(reason);
            GladiaStream g = stream.gladia();
            if (g != null) {
                g.stop();
            }
        });
    }

    private GladiaStream.Listener listener(SpeakerStream stream, String streamId) {
        return new GladiaStream.Listener() {
            @Override
            public void connected(boolean first) {
                if (first) {
                    repository.streamStarted(streamId, stream.sessionId(), stream.identity(), stream.sampleRate(),
                            stream.languages(), Instant.now()).subscribe().with(ok -> { },
                                    failure -> LOG.warnf("could not record stream %s: %s", streamId, failure.toString()));
                    Frames.send(stream.socket(), new JsonObject().put("type", "ready").put("v", Frames.VERSION)
                            .put("streamId", streamId).put("sampleRate", stream.sampleRate()));
                } else {
                    reconnects.increment();
                }
            }

            @Override
            public void transcript(JsonObject data) {
                TranscriptSegment segment = segment(stream, streamId, data);
                if (segment == null) {
                    return;
                }
                // one write after the other: a stream's segments reach the database, Kafka and the speaker in order
                stream.afterWrites(() -> repository.save(segment, Instant.now()).subscribeAsCompletionStage()
                        .whenComplete((saved, failure) -> {
                            if (failure != null) {
                                LOG.warnf("could not store a transcript segment of stream %s: %s", streamId,
                                        failure.toString());
                            } else if (saved) {
                                segments.increment();
                                Frames.send(stream.socket(), Frames.transcript(segment));
                            }
                        }));
            }

            @Override
            public void ended(boolean failure, String reason) {
                // the last finals are still being written: tell the speaker once they are
                stream.writesDone().whenComplete((v, e) -> stream.context().runOnContext(x -> finish(failure, reason)));
            }

            private void finish(boolean failure, String reason) {
                GladiaStream g = stream.gladia();
                streams.remove(stream);
                repository.streamEnded(streamId, Instant.now(), g == null ? 0 : g.received(),
                        g == null ? 0 : g.reconnects(), failure ? reason : stream.stopping() ? stream.stopReason() : reason)
                        .subscribe().with(ok -> { }, e -> LOG.warnf("could not record the end of stream %s", streamId));
                if (failure) {
                    Frames.closeWithError(stream.socket(), "unavailable", reason + "; reconnect to try again", 1011,
                            "transcription unavailable");
                } else {
                    String why = stream.stopping() ? stream.stopReason() : reason;
                    Frames.send(stream.socket(), new JsonObject().put("type", "stopped").put("v", Frames.VERSION)
                            .put("reason", why));
                    if (stream.socket().isOpen()) {
                        stream.socket().close(new CloseReason(1000,
                                why.length() > 100 ? why.substring(0, 100) : why)).subscribe().with(x -> { }, x -> { });
                    }
                }
            }
        };
    }

    /** A Gladia {@code transcript} message's data as a segment with absolute times; null when it is malformed. */
    static TranscriptSegment segment(SpeakerStream stream, String streamId, JsonObject data) {
        JsonObject utterance = data.getJsonObject("utterance");
        Object rawId = data.getValue("id");
        if (utterance == null || rawId == null) {
            return null;
        }
        Instant origin = stream.origin() == null ? Instant.now() : stream.origin();
        Instant start = at(origin, utterance.getValue("start"));
        Instant end = at(origin, utterance.getValue("end"));
        if (end.isBefore(start)) {
            end = start;
        }
        List<TranscriptSegment.Word> words = null;
        JsonArray rawWords = utterance.getJsonArray("words");
        if (rawWords != null) {
            words = new ArrayList<>(rawWords.size());
            for (int i = 0; i < rawWords.size(); i++) {
                JsonObject w = rawWords.getJsonObject(i);
                if (w != null && w.getString("word") != null) {
                    Instant ws = at(origin, w.getValue("start"));
                    Instant we = at(origin, w.getValue("end"));
                    words.add(new TranscriptSegment.Word(w.getString("word"), ws, we.isBefore(ws) ? ws : we,
                            confidence(w.getValue("confidence"))));
                }
            }
        }
        return new TranscriptSegment(stream.sessionId().toString(), stream.identity(), stream.name(), streamId,
                String.valueOf(rawId), utterance.getString("text", "").strip(),
                Boolean.TRUE.equals(data.getBoolean("is_final")), start, end, utterance.getString("language"),
                confidence(utterance.getValue("confidence")), words);
    }

    private static Instant at(Instant origin, Object seconds) {
        double s = seconds instanceof Number n ? n.doubleValue() : 0;
        return origin.plusNanos((long) (Math.max(0, s) * 1_000_000_000L));
    }

    private static Double confidence(Object value) {
        if (!(value instanceof Number n)) {
            return null;
        }
        double c = n.doubleValue();
        return c < 0 ? 0.0 : Math.min(c, 1.0);
    }

    void shutdown(@Observes ShutdownEvent event) {
        for (SpeakerStream stream : streams.all()) {
            if (stream.gladia() != null) {
                stream.gladia().abort();
            }
        }
    }

    /** Audio received before the Gladia session exists (the init call is in flight). */
    static final class PendingAudio {
        static final UserData.TypedKey<PendingAudio> KEY =
                new UserData.TypedKey<>("livestage.transcription.pending");
        private final List<Buffer> chunks = new ArrayList<>();

        void add(Buffer chunk) {
            chunks.add(chunk);
        }

        List<Buffer> drain() {
            List<Buffer> out = new ArrayList<>(chunks);
            chunks.clear();
            return out;
        }
    }
}
