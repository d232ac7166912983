package io.livestage.transcription.client;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.util.TypeLiteral;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import io.livestage.transcription.config.TranscriptionConfig;

/**
 * The SmallRye Fault Tolerance guard of Gladia's init call, from {@code livestage.transcription.gladia.init.*}: each
 * attempt is timed out, transient failures are retried with exponential backoff, and a circuit breaker counts them.
 * A refusal such as 401 (the key) or 400 is neither retried nor counted: it would only repeat.
 */
final class InitPolicy {
    private static final Logger LOG = Logger.getLogger(InitPolicy.class);

    private InitPolicy() {
    }

    static TypedGuard<Uni<GladiaClient.LiveSession>> guard(TranscriptionConfig.Init policy) {
        long timeout = policy.attemptTimeout().toMillis();
        long initial = policy.initialBackoff().toMillis();
        long max = Math.max(policy.maxBackoff().toMillis(), initial);
        long worstCase = (policy.maxRetries() + 1L) * (timeout + max);
        return TypedGuard.create(new TypeLiteral<Uni<GladiaClient.LiveSession>>() { })
                .withDescription("gladia-init")
                .withTimeout().duration(timeout, ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(policy.maxRetries())
                .delay(initial, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                .maxDuration(worstCase, ChronoUnit.MILLIS)
                .whenException(InitPolicy::isTransient)
                .beforeRetry(failure -> LOG.warnf("Gladia init failed (%s); retrying", failure.getMessage()))
                .withExponentialBackoff().factor(2).maxDelay(max, ChronoUnit.MILLIS).done()
                .done()
                .withCircuitBreaker().requestVolumeThreshold(policy.breakerWindow())
                .failureRatio(policy.breakerFailureRatio()).delay(policy.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .when(InitPolicy::isTransient)
                .onStateChange(state -> LOG.infof("Gladia init circuit breaker: %s", state))
                .done()
                .withThreadOffload(false)
                .build();
    }

    /** Worth another attempt: no answer in time, no answer at all, or a 5xx/429. */
    static boolean isTransient(Throwable failure) {
        return failure instanceof TimeoutException || failure instanceof GladiaClient.Unreachable
                || failure instanceof GladiaClient.InitFailed refused && refused.transientFailure();
    }
}
