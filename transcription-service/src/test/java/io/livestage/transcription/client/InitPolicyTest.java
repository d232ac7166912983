package io.livestage.transcription.client;

import java.net.ConnectException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of Gladia's init call are retried (and counted by the circuit breaker). */
class InitPolicyTest {

    @Test
    void gladiaInTroubleBusyUnreachableOrSlowIsTransient() {
        assertThat(InitPolicy.isTransient(new GladiaClient.InitFailed(500, "x"))).isTrue();
        assertThat(InitPolicy.isTransient(new GladiaClient.InitFailed(503, "x"))).isTrue();
        assertThat(InitPolicy.isTransient(new GladiaClient.InitFailed(429, "x"))).isTrue();
        assertThat(InitPolicy.isTransient(new GladiaClient.Unreachable(new ConnectException("refused")))).isTrue();
        assertThat(InitPolicy.isTransient(new TimeoutException("attempt timed out"))).isTrue();
    }

    @Test
    void aRefusalWouldOnlyRepeatAndIsNotRetried() {
        for (int status : new int[] {400, 401, 403, 404, 422}) {
            assertThat(InitPolicy.isTransient(new GladiaClient.InitFailed(status, "x"))).as("%d", status).isFalse();
        }
        assertThat(new GladiaClient.InitFailed(401, "x").badKey()).isTrue();
        assertThat(InitPolicy.isTransient(new CircuitBreakerOpenException("open"))).isFalse();
        assertThat(InitPolicy.isTransient(new IllegalStateException("a bug"))).isFalse();
    }
}
