package io.livestage.platform.config;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductionSafetyCheckTest {
    private static final String REAL_KEY = "APIr3alKey";
    private static final String REAL_SECRET = "r3al-s3cret-from-the-vault";

    /** A service's configuration as token-service declares it: LiveKit's dev pair forbidden, plus the shared list. */
    private static SmallRyeConfig config(String profile, String key, String secret) {
        Map<String, String> properties = new HashMap<>();
        properties.put("livestage.production.forbidden.\"livekit.api-key\"", "devkey");
        properties.put("livestage.production.forbidden.\"livekit.api-secret\"", "secret");
        properties.put("livekit.api-key", key);
        properties.put("livekit.api-secret", secret);
        return new SmallRyeConfigBuilder().withProfile(profile).addDefaultSources()
                .withSources(new PropertiesConfigSource(properties, "service", 250))
                .withMapping(DevDefaultsConfig.class).build();
    }

    @Test
    void prodWithLiveKitsDevKeyFailsNamingTheVariable() {
        assertThatThrownBy(() -> ProductionSafetyCheck.verify(config("prod", "devkey", REAL_SECRET)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("livekit.api-key has its development default; set LIVEKIT_API_KEY")
                .hasMessageNotContaining("LIVEKIT_API_SECRET")
                .hasMessageNotContaining(REAL_SECRET);
    }

    @Test
    void everyDevDefaultIsNamedAtOnce() {
        assertThatThrownBy(() -> ProductionSafetyCheck.verify(config("prod", "devkey", "secret")))
                .hasMessageContaining("set LIVEKIT_API_KEY").hasMessageContaining("set LIVEKIT_API_SECRET");
    }

    @Test
    void prodWithRealValuesStarts() {
        assertThatCode(() -> ProductionSafetyCheck.verify(config("prod", REAL_KEY, REAL_SECRET))).doesNotThrowAnyException();
    }

    @Test
    void theDevProfileStartsWithDevDefaults() {
        assertThatCode(() -> ProductionSafetyCheck.verify(config("dev", "devkey", "secret"))).doesNotThrowAnyException();
    }

    @Test
    void theSharedListForbidsTheDevDatabasePasswordAndTheLocalStacksIssuer() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withProfile("prod").addDefaultSources()
                .withSources(new PropertiesConfigSource(Map.of("quarkus.datasource.password", "postgres",
                        "quarkus.oidc.token.issuer", "livestage-devstack"), "service", 250))
                .withMapping(DevDefaultsConfig.class).build();
        assertThatThrownBy(() -> ProductionSafetyCheck.verify(config))
                .hasMessageContaining("set QUARKUS_DATASOURCE_PASSWORD")
                .hasMessageContaining("set QUARKUS_OIDC_TOKEN_ISSUER");
    }

    @Test
    void variablesFollowMicroProfileConfigsRule() {
        assertThat(ProductionSafetyCheck.environmentVariable("livekit.api-secret")).isEqualTo("LIVEKIT_API_SECRET");
        assertThat(ProductionSafetyCheck.environmentVariable("quarkus.datasource.password"))
                .isEqualTo("QUARKUS_DATASOURCE_PASSWORD");
    }
}
