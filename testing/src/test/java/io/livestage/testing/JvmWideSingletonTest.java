package io.livestage.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.livestage.testing.kafka.KafkaBroker;
import io.livestage.testing.keycloak.KeycloakServer;
import io.livestage.testing.oidc.TestTokens;
import io.livestage.testing.postgres.TestPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quarkus may load this module twice (test classes and test resources in different classloaders); a second copy
 * must reuse the broker, the servers (PostgreSQL, Keycloak) and the keys of the first, not start its own.
 */
class JvmWideSingletonTest {

    @Test
    void aSecondClassloaderReusesTheBrokerTheServerAndTheKeys() throws Exception {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        String postgres = TestPostgres.shared().toString();
        String publicKey = TestTokens.publicKeyBase64();
        String keycloak = KeycloakServer.shared().baseUrl();

        try (URLClassLoader isolated = new URLClassLoader(classpath(), ClassLoader.getPlatformClassLoader())) {
            Class<?> otherBroker = isolated.loadClass(KafkaBroker.class.getName());
            Class<?> otherPostgres = isolated.loadClass(TestPostgres.class.getName());
            Class<?> otherTokens = isolated.loadClass(TestTokens.class.getName());
            Class<?> otherKeycloak = isolated.loadClass(KeycloakServer.class.getName());
            assertThat(otherBroker).isNotSameAs(KafkaBroker.class);

            Object broker = otherBroker.getMethod("shared").invoke(null);
            assertThat(otherBroker.getMethod("bootstrapServers").invoke(broker)).isEqualTo(bootstrap);
            assertThat(broker.toString()).contains("published by " + KafkaBroker.BOOTSTRAP_PROPERTY);

            Object pgServer = otherPostgres.getMethod("shared").invoke(null);
            assertThat(pgServer.toString()).isEqualTo(postgres);

            assertThat(otherTokens.getMethod("publicKeyBase64").invoke(null)).isEqualTo(publicKey);
            String token = (String) otherTokens.getMethod("token", String.class).invoke(null, "zoe");
            assertThat(verifiesWithThisLoadersKey(token)).isTrue();

            Object server = otherKeycloak.getMethod("shared").invoke(null);
            assertThat(otherKeycloak.getMethod("baseUrl").invoke(server)).isEqualTo(keycloak);
            assertThat(server.toString()).contains("published by " + KeycloakServer.URL_PROPERTY);
        }
    }

    private static boolean verifiesWithThisLoadersKey(String token) throws Exception {
        String[] parts = token.split("\\.");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(KeyFactory.getInstance("RSA").generatePublic(
                new X509EncodedKeySpec(Base64.getDecoder().decode(TestTokens.publicKeyBase64()))));
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    private static URL[] classpath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(entry).toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
