package io.livestage.testing.service;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Runs the packaged session-service as a process for services that call it (token-service asks it who may join), and
 * points the {@code session-service} REST client at it.
 */
public class SessionServiceResource implements QuarkusTestResourceLifecycleManager {
    private ServiceProcess service;

    @Override
    public Map<String, String> start() {
        service = ServiceProcess.start("session-service", Map.of());
        System.setProperty("livestage.test.session-service.url", service.url());
        return Map.of("quarkus.rest-client.session-service.url", service.url());
    }

    @Override
    public void stop() {
        if (service != null) {
            service.close();
        }
    }
}
