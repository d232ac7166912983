package io.livestage.platform.livekit;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.livekit.server.EgressServiceClient;
import io.livekit.server.IngressServiceClient;
import io.livekit.server.RoomServiceClient;
import okhttp3.OkHttpClient;

/**
 * The official SDK's server API clients, each built once per service from {@link LiveKitConfig} (API URL, key pair, a
 * timeout per HTTP call). Beans nobody injects are never built. Run their calls through {@link LiveKitCalls}.
 */
@ApplicationScoped
public class LiveKitClients {
    private final LiveKitConfig config;

    public LiveKitClients(LiveKitConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    public RoomServiceClient rooms() {
        return RoomServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(), http());
    }

    @Produces
    @Singleton
    public EgressServiceClient egress() {
        return EgressServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(), http());
    }

    @Produces
    @Singleton
    public IngressServiceClient ingress() {
        return IngressServiceClient.createClient(config.apiUrl(), config.apiKey(), config.apiSecret(), http());
    }

    private Supplier<OkHttpClient> http() {
        long timeout = config.calls().timeout().toMillis();
        return () -> new OkHttpClient.Builder()
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .callTimeout(timeout, TimeUnit.MILLISECONDS)
                .build();
    }
}
