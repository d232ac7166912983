package io.livestage.transcription.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;

import io.livestage.transcription.client.GladiaStream;

/** A speaker's socket and its Gladia stream. {@code origin} is when the first audio byte arrived (Gladia's time 0). */
public final class SpeakerStream {
    private final UUID sessionId;
    private final String userId;
    private final String identity;
    private final String name;
    private final int sampleRate;
    private final List<String> languages;
    private final WebSocketConnection socket;
    private final Context context;
    private GladiaStream gladia;
    private Instant origin;
    private volatile boolean stopping;
    /** The segment writes of this stream, one after the other (on the stream's context), in Gladia's order. */
    private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);
    private String stopReason;

    public SpeakerStream(UUID sessionId, String userId, String identity, String name, int sampleRate,
            List<String> languages, WebSocketConnection socket, Context context) {
        this.sessionId = sessionId;
        this.userId = userId;
        this.identity = identity;
        this.name = name;
        this.sampleRate = sampleRate;
        this.languages = languages;
        this.socket = socket;
        this.context = context;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public String userId() {
        return userId;
    }

    public String identity() {
        return identity;
    }

    public String name() {
        return name;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public List<String> languages() {
        return languages;
    }

    public WebSocketConnection socket() {
        return socket;
    }

    public Context context() {
        return context;
    }

    public GladiaStream gladia() {
        return gladia;
    }

    void gladia(GladiaStream stream) {
        this.gladia = stream;
    }

    /** Gladia's time 0 for this stream: set when the first audio arrives. */
    public Instant origin() {
        return origin;
    }

    void originIfUnset(Instant at) {
        if (origin == null) {
            origin = at;
        }
    }

    /** Runs {@code write} after the writes before it; returns when it is done (never fails). */
    CompletableFuture<Void> afterWrites(Supplier<CompletionStage<?>> write) {
        writes = writes.thenCompose(v -> write.get()).handle((ok, failure) -> null);
        return writes;
    }

    /** Completes when every write queued so far is done. */
    CompletableFuture<Void> writesDone() {
        return writes;
    }

    public boolean stopping() {
        return stopping;
    }

    public String stopReason() {
        return stopReason;
    }

    void stopping(String reason) {
        stopping = true;
        stopReason = reason;
    }
}
