package io.livestage.token.service;

import java.net.ConnectException;

import jakarta.ws.rs.ProcessingException;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of the call to session-service read as "overloaded" (it did not answer in time) in the 503. */
class SessionServiceFailureTest {

    @Test
    void timeoutsAnywhereInTheCauseChainAreOverloadNotUnreachability() {
        assertThat(TokenService.timedOut(new TimeoutException("@Timeout 5000 ms"))).isTrue();
        assertThat(TokenService.timedOut(new ProcessingException(new NoStackTraceTimeoutException(
                "The timeout of 5000 ms has been exceeded when getting a connection")))).isTrue();
        assertThat(TokenService.timedOut(new java.util.concurrent.TimeoutException())).isTrue();

        assertThat(TokenService.timedOut(new ProcessingException(new ConnectException("Connection refused")))).isFalse();
        assertThat(TokenService.timedOut(new IllegalStateException("a bug"))).isFalse();
    }
}
