package io.livestage.gateway.proxy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.MDC;

import io.livestage.gateway.auth.EdgeAuthenticator;
import io.livestage.gateway.config.GatewayConfig;
import io.livestage.gateway.route.RouteTable;
import io.livestage.gateway.route.RouteTable.Route;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import io.vertx.core.Future;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The edge: every request gets a request id, a presented bearer token is verified (401 problem+json when it is not
 * valid, or when the route needs one and none came), then the request is streamed to its service unchanged — bodies
 * are never parsed or re-encoded (LiveKit's webhook signature covers the raw bytes), WebSocket upgrades are tunnelled.
 */
@ApplicationScoped
public class GatewayRouter {
    private final GatewayConfig config;
    private final EdgeAuthenticator authenticator;
    private final MeterRegistry metrics;
    private final Map<String, HttpProxy> proxies = new HashMap<>();
    private final Map<String, io.micrometer.core.instrument.Counter> requests = new HashMap<>();

    public GatewayRouter(GatewayConfig config, EdgeAuthenticator authenticator, MeterRegistry metrics) {
        this.config = config;
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    void install(@Observes Router router, Vertx vertx) {
        for (Map.Entry<String, String> service : config.services().entrySet()) {
            URI uri = URI.create(service.getValue());
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true)
                    .setTcpNoDelay(true).setMaxWebSockets(100_000), new PoolOptions().setHttp1MaxSize(config.poolSize()));
            HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client)
                    .origin(uri.getPort() > 0 ? uri.getPort() : 80, uri.getHost());
            proxy.addInterceptor(new ProxyInterceptor() {
                @Override
                public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                    return context.sendRequest();
                }

                @Override
                public Future<Void> handleProxyResponse(ProxyContext context) {
                    String id = context.request().headers().get(RequestIds.HEADER);
                    if (id != null) {
                        context.response().headers().set(RequestIds.HEADER, id);
                    }
                    return context.sendResponse();
                }
            });
            proxies.put(service.getKey(), proxy);
        }
        for (Route route : RouteTable.ROUTES) {
            requests.put(route.name(), metrics.counter("livestage.gateway.requests", "route", route.name()));
        }
        router.route("/api/*").order(1000).handler(this::edge);
        router.route("/ws/*").order(1000).handler(this::edge);
        router.route("/webhooks/*").order(1000).handler(this::edge);
    }

    private void edge(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String requestId = RequestIds.of(request.getHeader(RequestIds.HEADER));
        rc.put(RequestIds.KEY, requestId);
        request.headers().set(RequestIds.HEADER, requestId);
        MDC.put("requestId", requestId);
        Route route = RouteTable.route(request.path()).orElse(null);
        if (route == null) {
            Problems.send(rc, 404, "not-found", "Not found", "no route for " + request.path());
            return;
        }
        HttpProxy proxy = proxies.get(route.service());
        if (proxy == null) {
            Problems.send(rc, 503, "dependency-unavailable", "Service not configured",
                    route.service() + " is not configured at this gateway (livestage.gateway.services." + route.service() + ")");
            return;
        }
        if (route.ownAuthorization()) {
            forward(rc, proxy, route);
            return;
        }
        String authorization = request.getHeader("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (authorization != null && token == null) {
            Problems.send(rc, 401, "unauthorized", "Authentication required", "Authorization must be 'Bearer <token>'");
            return;
        }
        if (token == null) {
            if (!RouteTable.anonymousAllowed(route, request.method().name())) {
                Problems.send(rc, 401, "unauthorized", "Authentication required", "this request needs a bearer token");
                return;
            }
            forward(rc, proxy, route);
            return;
        }
        request.pause();
        authenticator.verify(token).subscribe().with(verified -> {
            rc.put("livestage.user", verified.userId());
            forward(rc, proxy, route);
        }, failure -> Problems.send(rc, 401, "unauthorized", "Authentication required",
                "the bearer token is invalid or expired"));
    }

    private void forward(RoutingContext rc, HttpProxy proxy, Route route) {
        HttpServerRequest request = rc.request();
        String forwardedFor = request.getHeader("X-Forwarded-For");
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().host();
        if (remote != null) {
            request.headers().set("X-Forwarded-For", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        }
        request.headers().set("X-Forwarded-Proto", request.scheme());
        if (request.authority() != null) {
            request.headers().set("X-Forwarded-Host", request.authority().toString());
        }
        rc.response().putHeader(RequestIds.HEADER, (String) rc.get(RequestIds.KEY));
        requests.get(route.name()).increment();
        proxy.handle(request);
    }
}
