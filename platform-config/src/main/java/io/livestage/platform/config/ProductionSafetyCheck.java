package io.livestage.platform.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.Config;

/**
 * In the prod profile (or one whose parent is prod), refuses to start while a property still has a development
 * default listed in {@link DevDefaultsConfig} (LiveKit's public dev key pair, the dev database password, ...), naming
 * the environment variable to set. Never prints a value. Other profiles (dev, test, the local stack) start as they are.
 */
@ApplicationScoped
public class ProductionSafetyCheck {
    static final String PROD = "prod";

    private final Config config;
    private final DevDefaultsConfig devDefaults;

    public ProductionSafetyCheck(Config config, DevDefaultsConfig devDefaults) {
        this.config = config;
        this.devDefaults = devDefaults;
    }

    /** First of the startup observers: nothing else (relays, consumers) should start with a development secret. */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        verify(config.unwrap(SmallRyeConfig.class).getProfiles(), devDefaults.forbidden(), config);
    }

    /** Throws a {@link ConfigurationException} naming every variable to set, if {@code config} is prod with dev defaults. */
    public static void verify(SmallRyeConfig config) {
        verify(config.getProfiles(), config.getConfigMapping(DevDefaultsConfig.class).forbidden(), config);
    }

    static void verify(List<String> profiles, Map<String, List<String>> devDefaults, Config config) {
        if (!profiles.contains(PROD)) {
            return;
        }
        Map<String, List<String>> forbidden = new TreeMap<>(devDefaults);
        List<String> problems = new ArrayList<>();
        forbidden.forEach((property, values) -> config.getOptionalValue(property, String.class)
                .filter(values::contains)
                .ifPresent(ignored -> problems.add(property + " has its development default; set "
                        + environmentVariable(property))));
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Refusing to start in the prod profile with development defaults: "
                    + String.join("; ", problems)
                    + " (or run another profile, e.g. QUARKUS_PROFILE=dev, outside production)");
        }
    }

    /** The environment variable that sets {@code property} (MicroProfile Config's rule: {@code livekit.api-key} is LIVEKIT_API_KEY). */
    static String environmentVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
