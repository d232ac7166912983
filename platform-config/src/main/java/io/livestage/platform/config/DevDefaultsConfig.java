package io.livestage.platform.config;

import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;

/**
 * {@code livestage.production.forbidden."<property>"=<value>,...}: development values a property may not have in the
 * prod profile. Shared ones (datasource password, the local stack's token issuer) ship in this module's
 * {@code META-INF/microprofile-config.properties}; a service adds its own next to the default they guard.
 */
@ConfigMapping(prefix = "livestage.production")
public interface DevDefaultsConfig {
    /** Property name to the development values it may not have in production. */
    Map<String, List<String>> forbidden();
}
