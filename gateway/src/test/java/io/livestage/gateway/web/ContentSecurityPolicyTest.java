package io.livestage.gateway.web;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pages' default policy lets the browser reach the identity provider and the LiveKit server, nothing else. */
class ContentSecurityPolicyTest {

    @Test
    void connectSrcListsTheProviderAndTheMediaServerOverWebSocketAndHttp() {
        String policy = WebApp.defaultContentSecurityPolicy(Optional.of("https://id.example.org/realms/livestage"),
                Optional.of("wss://media.example.org"));
        assertThat(policy).contains(
                "connect-src 'self' https://id.example.org wss://media.example.org https://media.example.org;")
                .contains("script-src 'self';").contains("frame-src 'self' https://id.example.org;");
    }

    @Test
    void aPlainDevServerPairsWsWithHttpAndKeepsItsPort() {
        assertThat(WebApp.defaultContentSecurityPolicy(Optional.empty(), Optional.of("ws://127.0.0.1:7880")))
                .contains("connect-src 'self' ws://127.0.0.1:7880 http://127.0.0.1:7880;");
    }

    @Test
    void withoutAMediaServerOnlyTheGatewayAndProvider() {
        assertThat(WebApp.defaultContentSecurityPolicy(Optional.of("http://localhost:8180/realms/livestage"), Optional.of(" ")))
                .contains("connect-src 'self' http://localhost:8180;");
        assertThat(WebApp.defaultContentSecurityPolicy(Optional.empty(), Optional.empty())).contains("connect-src 'self';");
    }

    @Test
    void anUrlThatIsNoWebSocketNorHttpIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> WebApp.mediaOrigins("ftp://media.example.org"))
                .hasMessageContaining("livestage.gateway.web.media-url");
    }
}
