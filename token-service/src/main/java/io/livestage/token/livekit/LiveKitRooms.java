package io.livestage.token.livekit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.livekit.server.RoomServiceClient;
import io.livestage.token.config.LiveKitConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitModels;
import okhttp3.OkHttpClient;
import retrofit2.Call;
import retrofit2.Response;

/**
 * The one facade over LiveKit's RoomService (official SDK). Calls block, so only worker threads use it. Transient
 * failures (unreachable, 5xx, 429) are retried with exponential backoff; NOT_FOUND counts as done, because every
 * enforcement is idempotent (the room is already gone, the participant is not connected).
 */
@ApplicationScoped
public class LiveKitRooms {
    private static final Logger LOG = Logger.getLogger(LiveKitRooms.class);

    private final RoomServiceClient client;
    private final LiveKitConfig.Enforcement policy;
    private final MeterRegistry registry;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private volatile String lastError;

    public LiveKitRooms(LiveKitConfig config, MeterRegistry registry) {
        this.policy = config.enforcement();
        this.registry = registry;
        long timeout = policy.callTimeout().toMillis();
        this.client = RoomServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(),
                () -> new OkHttpClient.Builder()
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .callTimeout(timeout, TimeUnit.MILLISECONDS)
                        .build());
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

    /** Runs one RoomService call with the retry policy; returns null for NOT_FOUND. */
    private <T> T call(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        Duration backoff = policy.initialBackoff();
        for (int attempt = 1;; attempt++) {
            Timer.Sample sample = Timer.start(registry);
            String outcome = "error";
            try {
                Response<T> response = request.get().execute();
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
                boolean transientFailure = status >= 500 || status == 429;
                failed(method + " answered " + status + " " + body);
                if (!transientFailure) {
                    throw new LiveKitCallFailed(method + " was refused by LiveKit (" + status + "): " + body
                            + " — check LIVEKIT_API_KEY/LIVEKIT_API_SECRET", false);
                }
            } catch (IOException | RuntimeException e) {
                failed(method + " failed: " + e);
            } finally {
                sample.stop(registry.timer("livestage.livekit.call", "method", method, "outcome", outcome));
            }
            if (attempt >= policy.maxAttempts()) {
                throw new LiveKitCallFailed(method + " failed " + attempt + " times; last: " + lastError, true);
            }
            LOG.warnf("LiveKit %s attempt %d/%d failed (%s); retrying in %d ms", method, attempt, policy.maxAttempts(),
                    lastError, backoff.toMillis());
            sleep(backoff);
            backoff = backoff.multipliedBy(2).compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff()
                    : backoff.multipliedBy(2);
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
        try (okhttp3.ResponseBody body = response.errorBody()) {
            return body == null ? "" : body.string();
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(Duration backoff) throws LiveKitCallFailed {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveKitCallFailed("interrupted while waiting to retry", true);
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
