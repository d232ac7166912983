package io.livestage.testing.livekit;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A LiveKit contract stub for a @QuarkusTest application to talk to (livekit.url, api key, secret). Tests that must
 * inspect the calls the application made run it as a process and hold the stub themselves (see token-service's ITs).
 */
public class LiveKitStubResource implements QuarkusTestResourceLifecycleManager {
    private LiveKitStub stub;

    @Override
    public Map<String, String> start() {
        stub = LiveKitStub.start();
        return Map.of("livekit.url", stub.url().replace("http://", "ws://"), "livekit.api-key", stub.apiKey(),
                "livekit.api-secret", stub.apiSecret());
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
