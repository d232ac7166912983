package io.livestage.token.livekit;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.livekit.server.RoomServiceClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.faulttolerance.api.Guard;
import livekit.LivekitModels;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import org.jboss.logging.Logger;
import retrofit2.Call;
import retrofit2.Response;

import io.livestage.token.config.LiveKitConfig;

/**
 * The one facade over LiveKit's RoomService (official SDK). Calls block, so only worker threads use it. Transient
 * failures (unreachable, 5xx, 429) are retried with exponential backoff by a SmallRye Fault Tolerance guard; a refusal
 * (401, 403, 400) is not retried; NOT_FOUND counts as done, because every
 * enforcement is idempotent (the room is already gone, the participant is not connected).
 */
@ApplicationScoped
public class LiveKitRooms {
    private static final Logger LOG = Logger.getLogger(LiveKitRooms.class);

    private final RoomServiceClient client;
    private final LiveKitConfig.Enforcement policy;
    private final MeterRegistry registry;
    private final Guard guard;
    private final Tracer tracer;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private volatile String lastError;

    public LiveKitRooms(LiveKitConfig config, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.policy = config.enforcement();
        this.registry = registry;
        this.tracer = openTelemetry.getTracer("io.livestage.livekit");
        long timeout = policy.callTimeout().toMillis();
        this.client = RoomServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(),
                () -> new OkHttpClient.Builder()
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .callTimeout(timeout, TimeUnit.MILLISECONDS)
                        .build());
        this.guard = retryGuard();
    }

    public void createRoom(String room, int emptyTimeout, int departureTimeout, int maxParticipants, String metadata)
            throws LiveKitCallFailed {
        call("CreateRoom", () -> client.createRoom(room, emptyTimeout, maxParticipants, null, metadata, null, null,
                null, departureTimeout));
    }

    public void deleteRoom(String room) throws LiveKitCallFailed {
        call("DeleteRoom", () -> client.deleteRoom(room));
    }

    public void updateParticipant(String room, String identity, String metadata,
            LivekitModels.ParticipantPermission permission) throws LiveKitCallFailed {
        call("UpdateParticipant", () -> client.updateParticipant(room, identity, null, metadata, permission));
    }

    public void removeParticipant(String room, String identity) throws LiveKitCallFailed {
        call("RemoveParticipant", () -> client.removeParticipant(room, identity));
    }

    /** The participant as LiveKit sees it, or null when not connected. */
    public LivekitModels.ParticipantInfo participant(String room, String identity) throws LiveKitCallFailed {
        return call("GetParticipant", () -> client.getParticipant(room, identity));
    }

    public void mutePublishedTrack(String room, String identity, String trackSid) throws LiveKitCallFailed {
        call("MutePublishedTrack", () -> client.mutePublishedTrack(room, identity, trackSid, true));
    }

    public List<LivekitModels.Room> rooms() throws LiveKitCallFailed {
        return call("ListRooms", () -> client.listRooms(null));
    }

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    public String lastError() {
        return lastError;
    }

    public long lastSuccessMillis() {
        return lastSuccessMillis.get();
    }

    /** Runs one RoomService call under the retry guard; returns null for NOT_FOUND. */
    private <T> T call(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        Span span = tracer.spanBuilder("LiveKit RoomService/" + method).setSpanKind(SpanKind.CLIENT)
                .setAttribute("rpc.system", "twirp").setAttribute("rpc.service", "livekit.RoomService")
                .setAttribute("rpc.method", method).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return guard.call(() -> attempt(method, request), anyType());
        } catch (TransientFailure e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw new LiveKitCallFailed(method + " failed " + policy.maxAttempts() + " times; last: " + e.getMessage(),
                    true);
        } catch (LiveKitCallFailed e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } catch (Exception e) {
            span.setStatus(StatusCode.ERROR, e.toString());
            throw new LiveKitCallFailed(method + " failed: " + e, true);
        } finally {
            span.end();
        }
    }

    /** One HTTP call: the body, null for NOT_FOUND, {@link TransientFailure} (retried) or a refusal (not retried). */
    private <T> T attempt(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "error";
        try {
            Response<T> response;
            try {
                response = request.get().execute();
            } catch (IOException | RuntimeException e) {
                failed(method + " failed: " + e);
                throw new TransientFailure(lastError);
            }
            if (response.isSuccessful()) {
                outcome = "ok";
                succeeded();
                return response.body();
            }
            int status = response.code();
            String body = errorBody(response);
            if (status == 404 || body.contains("\"not_found\"")) {
                outcome = "not_found";
                succeeded();
                return null;
            }
            failed(method + " answered " + status + " " + body);
            if (status >= 500 || status == 429) {
                throw new TransientFailure(lastError);
            }
            throw new LiveKitCallFailed(method + " was refused by LiveKit (" + status + "): " + body
                    + " — check LIVEKIT_API_KEY/LIVEKIT_API_SECRET", false);
        } finally {
            sample.stop(registry.timer("livestage.livekit.call", "method", method, "outcome", outcome));
        }
    }

    /** Retries transient failures with exponential backoff, as {@code livestage.livekit.enforcement.*} says. */
    private Guard retryGuard() {
        long initial = policy.initialBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long worstCase = (long) policy.maxAttempts() * (max + policy.callTimeout().toMillis());
        return Guard.create().withDescription("livekit-room-service")
                .withRetry().maxRetries(Math.max(0, policy.maxAttempts() - 1))
                .delay(initial, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Math.max(worstCase, 1), ChronoUnit.MILLIS)
                .retryOn(TransientFailure.class)
                .beforeRetry(e -> LOG.warnf("LiveKit call failed (%s); retrying", e.getMessage()))
                .withExponentialBackoff().factor(2).maxDelay(Math.max(max, initial), ChronoUnit.MILLIS).done()
                .done().build();
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> anyType() {
        return (Class<T>) Object.class;
    }

    /** A failure worth another attempt: LiveKit unreachable, 5xx or 429. */
    private static final class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }

    private void succeeded() {
        consecutiveFailures.set(0);
        lastSuccessMillis.set(System.currentTimeMillis());
    }

    private void failed(String error) {
        consecutiveFailures.incrementAndGet();
        lastError = error;
    }

    private static String errorBody(Response<?> response) {
        try (ResponseBody body = response.errorBody()) {
            return body == null ? "" : body.string();
        } catch (IOException e) {
            return "";
        }
    }

    /** A LiveKit call that did not succeed within the retry policy (or was refused outright). */
    public static class LiveKitCallFailed extends Exception {
        private final boolean transientFailure;

        public LiveKitCallFailed(String message, boolean transientFailure) {
            super(message);
            this.transientFailure = transientFailure;
        }

        public boolean isTransient() {
            return transientFailure;
        }
    }
}
