package io.livestage.recording.livekit;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.livekit.server.EgressServiceClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.Guard;
import livekit.LivekitEgress;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import org.jboss.logging.Logger;
import retrofit2.Call;
import retrofit2.Response;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.recording.config.LiveKitConfig;
import io.livestage.recording.livekit.EgressRequests.Request;

/**
 * The one facade over LiveKit's Egress service (official SDK, protobuf Twirp). Calls block: worker threads only.
 * Transient failures (unreachable, 5xx, 429) are retried with exponential backoff by a SmallRye Fault Tolerance guard,
 * then reported as {@link EgressCallFailed#isTransient() transient} for the caller to schedule a later attempt;
 * LiveKit's answers that are outcomes, not failures (an unknown room or egress, an egress that can no longer be
 * stopped) come back as {@link Answer}s. Egress infos are LiveKit's JSON read as {@link EgressInfo}, like webhooks.
 */
@ApplicationScoped
public class LiveKitEgressClient {
    private static final Logger LOG = Logger.getLogger(LiveKitEgressClient.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** LiveKit's answer: a value, or the Twirp error code and message of a refusal that is an outcome. */
    public record Answer<T>(T value, String code, String message) {
        public boolean notFound() {
            return "not_found".equals(code);
        }

        /** {@code failed_precondition}: e.g. stopping an egress that has already ended. */
        public boolean preconditionFailed() {
            return "failed_precondition".equals(code);
        }

        <R> Answer<R> map(Function<T, R> mapper) {
            return new Answer<>(value == null ? null : mapper.apply(value), code, message);
        }
    }

    private final EgressServiceClient client;
    private final LiveKitConfig.Calls policy;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Guard guard;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private volatile String lastError;

    public LiveKitEgressClient(LiveKitConfig config, ObjectMapper json, MeterRegistry registry) {
        this.policy = config.calls();
        this.json = json;
        this.registry = registry;
        long timeout = policy.timeout().toMillis();
        this.client = EgressServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(),
                () -> new OkHttpClient.Builder()
                        .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS)
                        .callTimeout(timeout, TimeUnit.MILLISECONDS)
                        .build());
        this.guard = retryGuard();
    }

    /** StartRoomCompositeEgress in room {@code room}; {@link Answer#notFound()} when the room does not exist (yet). */
    public Answer<EgressInfo> startRoomComposite(String room, Request request) throws EgressCallFailed {
        return call("StartRoomCompositeEgress", () -> client.startRoomCompositeEgress(room, request.file(), "",
                request.preset(), request.advanced(), request.audioOnly())).map(this::read);
    }

    /** StopEgress; {@link Answer#preconditionFailed()} when it has already ended, {@link Answer#notFound()} unknown. */
    public Answer<EgressInfo> stop(String egressId) throws EgressCallFailed {
        return call("StopEgress", () -> client.stopEgress(egressId)).map(this::read);
    }

    /** ListEgress of a room: every egress LiveKit still knows there; none when the room does not exist. */
    public List<EgressInfo> list(String room) throws EgressCallFailed {
        List<LivekitEgress.EgressInfo> infos = call("ListEgress", () -> client.listEgress(room)).value();
        return infos == null ? List.of() : infos.stream().map(this::read).toList();
    }

    /** ListEgress of one egress (by id, so it works after its room is gone); empty when LiveKit does not know it. */
    public Optional<EgressInfo> find(String egressId) throws EgressCallFailed {
        List<LivekitEgress.EgressInfo> infos = call("ListEgress", () -> client.listEgress(null, egressId)).value();
        return infos == null ? Optional.empty() : infos.stream().map(this::read)
                .filter(info -> egressId.equals(info.egressId())).findFirst();
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

    /** Runs one call under the retry guard. */
    private <T> Answer<T> call(String method, Supplier<Call<T>> request) throws EgressCallFailed {
        try {
            return guard.call(() -> attempt(method, request), anyType());
        } catch (TransientFailure e) {
            throw new EgressCallFailed(method + " failed " + policy.maxAttempts() + " times; last: " + e.getMessage(),
                    true);
        } catch (EgressCallFailed e) {
            throw e;
        } catch (Exception e) {
            throw new EgressCallFailed(method + " failed: " + e, true);
        }
    }

    /** One HTTP call: the body, an outcome refusal, {@link TransientFailure} (retried) or a refusal (not retried). */
    private <T> Answer<T> attempt(String method, Supplier<Call<T>> request) throws EgressCallFailed {
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
                return new Answer<>(response.body(), null, null);
            }
            int status = response.code();
            String body = errorBody(response);
            String code = twirpCode(body);
            if ("not_found".equals(code) || "failed_precondition".equals(code)) {
                outcome = code;
                succeeded();
                return new Answer<>(null, code, body);
            }
            failed(method + " answered " + status + " " + body);
            if (status >= 500 || status == 429) {
                throw new TransientFailure(lastError);
            }
            throw new EgressCallFailed(method + " was refused by LiveKit (" + status + "): " + body, false);
        } finally {
            sample.stop(registry.timer("livestage.livekit.call", "method", method, "outcome", outcome));
        }
    }

    private String twirpCode(String body) {
        try {
            Object code = json.readValue(body, MAP).get("code");
            return code == null ? null : code.toString();
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private EgressInfo read(LivekitEgress.EgressInfo info) {
        try {
            return EgressInfo.of(json.readValue(JsonFormat.printer().print(info), MAP));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("LiveKit's EgressInfo cannot be read", e);
        }
    }

    private Guard retryGuard() {
        long initial = policy.initialBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long worstCase = (long) policy.maxAttempts() * (max + policy.timeout().toMillis());
        return Guard.create().withDescription("livekit-egress")
                .withRetry().maxRetries(Math.max(0, policy.maxAttempts() - 1))
                .delay(initial, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Math.max(worstCase, 1), ChronoUnit.MILLIS)
                .retryOn(TransientFailure.class)
                .beforeRetry(e -> LOG.warnf("LiveKit Egress call failed (%s); retrying", e.getMessage()))
                .withExponentialBackoff().factor(2).maxDelay(Math.max(max, initial), ChronoUnit.MILLIS).done()
                .done().build();
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> anyType() {
        return (Class<T>) Object.class;
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

    /** A failure worth another attempt: LiveKit unreachable, 5xx or 429. */
    private static final class TransientFailure extends RuntimeException {
        TransientFailure(String message) {
            super(message, null, false, false);
        }
    }
}
