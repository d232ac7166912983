package io.livestage.platform.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which token a socket is authenticated with and what the channel is told. Real OIDC verification of real tokens
 * (forged, expired, another issuer) is covered through the sockets: chat-service's RoomChannelTest and
 * transcription-service's TranscriptionIT, and the gateway's BadInputIT.
 */
class FirstFrameAuthenticatorTest {
    private static final String ALICE = "token-of-alice";
    private static final String BOB = "token-of-bob";

    /** Verifies the two known tokens, refuses anything else the way OIDC does, and remembers what it was asked. */
    private final List<String> verified = new ArrayList<>();
    private final FirstFrameAuthenticator authenticator = new FirstFrameAuthenticator(credential -> {
        verified.add(credential.getToken());
        return switch (credential.getToken()) {
            case ALICE -> Uni.createFrom().item(identity("u-alice"));
            case BOB -> Uni.createFrom().item(identity("u-bob"));
            case "no-identity" -> Uni.createFrom().nullItem();
            default -> Uni.createFrom().failure(new AuthenticationFailedException("signature does not verify"));
        };
    });

    private static SecurityIdentity identity(String user) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user)).build();
    }

    private FirstFrameIdentity authenticate(String frameToken, String authorization) {
        return authenticator.authenticate(frameToken, authorization).await().atMost(Duration.ofSeconds(5));
    }

    private static String user(FirstFrameIdentity identity) {
        assertThat(identity).isInstanceOf(FirstFrameIdentity.Authenticated.class);
        return ((FirstFrameIdentity.Authenticated) identity).identity().getPrincipal().getName();
    }

    @Test
    void theFramesTokenIsVerifiedAndWinsOverTheHeader() {
        assertThat(user(authenticate(ALICE, null))).isEqualTo("u-alice");
        assertThat(user(authenticate(ALICE, "Bearer " + BOB))).isEqualTo("u-alice");
        assertThat(verified).containsExactly(ALICE, ALICE);
    }

    @Test
    void withoutATokenInTheFrameTheBearerHeaderIsUsedWhateverTheSchemesCase() {
        assertThat(user(authenticate(null, "Bearer " + BOB))).isEqualTo("u-bob");
        assertThat(user(authenticate(null, "bearer  " + BOB + " "))).isEqualTo("u-bob");
        assertThat(user(authenticate(null, "BEARER " + ALICE))).isEqualTo("u-alice");
    }

    @Test
    void noTokenAnywhereIsAnonymousAndNothingIsVerified() {
        assertThat(authenticate(null, null)).isInstanceOf(FirstFrameIdentity.Anonymous.class);
        assertThat(authenticate(null, "Basic dTpw")).isInstanceOf(FirstFrameIdentity.Anonymous.class);
        assertThat(authenticate(null, "Bearer ")).isInstanceOf(FirstFrameIdentity.Anonymous.class);
        assertThat(authenticate(null, "Bearer")).isInstanceOf(FirstFrameIdentity.Anonymous.class);
        assertThat(verified).isEmpty();
    }

    @Test
    void anEmptyTokenInTheFrameAsksForAnAnonymousSocketEvenWithAHeader() {
        assertThat(authenticate("", "Bearer " + ALICE)).isInstanceOf(FirstFrameIdentity.Anonymous.class);
        assertThat(verified).isEmpty();
    }

    @Test
    void aTokenTheProviderRefusesOrAnswersWithoutAnIdentityIsInvalid() {
        assertThat(authenticate("forged", null)).isInstanceOf(FirstFrameIdentity.Invalid.class);
        assertThat(authenticate(null, "Bearer forged")).isInstanceOf(FirstFrameIdentity.Invalid.class);
        assertThat(authenticate("no-identity", null)).isInstanceOf(FirstFrameIdentity.Invalid.class);
        assertThat(authenticate("   ", null)).isInstanceOf(FirstFrameIdentity.Invalid.class);
        assertThat(verified).containsExactly("forged", "forged", "no-identity", "   ");
    }
}
