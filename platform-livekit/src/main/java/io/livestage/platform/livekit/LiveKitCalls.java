package io.livestage.platform.livekit;

import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.smallrye.faulttolerance.api.Guard;
import okhttp3.ResponseBody;
import org.jboss.logging.Logger;
import retrofit2.Call;
import retrofit2.Response;

/**
 * Runs every LiveKit server API call of a service (the SDK clients of {@link LiveKitClients}). Calls block: worker
 * threads only. Transient failures (unreachable, 5xx, 429) are retried with exponential backoff by a SmallRye Fault
 * Tolerance guard as {@code livekit.calls.*} says, then thrown as a transient {@link LiveKitCallFailed}; other refusals
 * are thrown at once; {@code not_found} and {@code failed_precondition} are outcomes, returned as {@link Answer}s.
 * Each call is a client span ({@code LiveKit <service>/<method>}) and a {@code livestage.livekit.call{method,outcome}}
 * timer; the failure streak feeds {@link LiveKitHealthCheck}.
 */
@ApplicationScoped
public class LiveKitCalls {
    private static final Logger LOG = Logger.getLogger(LiveKitCalls.class);
    private static final Pattern TWIRP_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");

    private final LiveKitConfig.Calls policy;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final Guard guard;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong lastSuccessMillis = new AtomicLong();
    private volatile String lastError;

    public LiveKitCalls(LiveKitConfig config, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.policy = config.calls();
        this.registry = registry;
        this.tracer = openTelemetry.getTracer("io.livestage.livekit");
        this.guard = retryGuard();
    }

    /**
     * One call of LiveKit service {@code service} ({@code RoomService}, {@code Egress}) under the retry guard.
     *
     * @throws LiveKitCallFailed transient after the last attempt, or a refusal (not retried)
     */
    public <T> Answer<T> call(String service, String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        Span span = tracer.spanBuilder("LiveKit " + service + "/" + method).setSpanKind(SpanKind.CLIENT)
                .setAttribute("rpc.system", "twirp").setAttribute("rpc.service", "livekit." + service)
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

    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    public String lastError() {
        return lastError;
    }

    public long lastSuccessMillis() {
        return lastSuccessMillis.get();
    }

    /** The Twirp error code in an error body ({@code {"code":"not_found","msg":"..."}}), or null. */
    static String twirpCode(String body) {
        Matcher matcher = TWIRP_CODE.matcher(body == null ? "" : body);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** One HTTP call: the body, an outcome, {@link TransientFailure} (retried) or a refusal (not retried). */
    private <T> Answer<T> attempt(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
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
            String code = status == 404 ? Answer.NOT_FOUND : twirpCode(body);
            if (Answer.NOT_FOUND.equals(code) || Answer.FAILED_PRECONDITION.equals(code)) {
                outcome = code;
                succeeded();
                return new Answer<>(null, code, body);
            }
            failed(method + " answered " + status + " " + body);
            if (status >= 500 || status == 429) {
                throw new TransientFailure(lastError);
            }
            String hint = status == 401 || status == 403 ? " — check LIVEKIT_API_KEY/LIVEKIT_API_SECRET" : "";
            throw new LiveKitCallFailed(method + " was refused by LiveKit (" + status + "): " + body + hint, false);
        } finally {
            sample.stop(registry.timer("livestage.livekit.call", "method", method, "outcome", outcome));
        }
    }

    private Guard retryGuard() {
        long initial = policy.initialBackoff().toMillis();
        long max = policy.maxBackoff().toMillis();
        long worstCase = (long) policy.maxAttempts() * (max + policy.timeout().toMillis());
        return Guard.create().withDescription("livekit")
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
