package io.livestage.gateway.proxy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;

import io.livestage.gateway.auth.EdgeAuthenticator;
import io.livestage.gateway.config.GatewayConfig;
import io.livestage.gateway.config.Origin;
import io.livestage.gateway.config.ServiceOrigins;
import io.livestage.gateway.ratelimit.RateLimiter;
import io.livestage.gateway.ratelimit.RateLimiter.Scope;
import io.livestage.gateway.route.RouteTable;
import io.livestage.gateway.route.RouteTable.Route;
import io.livestage.platform.http.BearerTokens;
import io.livestage.platform.http.RequestIds;
import io.livestage.platform.problem.Problem;
import io.livestage.platform.problem.ProblemResponses;
import io.livestage.platform.problem.ProblemType;

/**
 * The edge: with the request id platform-http's {@code RequestIdHandler} gave the request, a presented bearer token
 * is verified (401 problem+json when it is not valid, or when the route needs one and none came), the request is
 * counted against its caller's rate limit (429 with Retry-After once the quota is used up), then it is streamed to
 * its service unchanged — bodies are never parsed or re-encoded (LiveKit's webhook signature covers the raw bytes),
 * WebSocket upgrades are tunnelled. A service with several instances gets them in turn ({@link OriginBalancer}: an
 * instance that does not accept the connection is skipped for a while and the request goes to the next one; 502
 * problem+json only when none accepts it).
 */
@ApplicationScoped
public class GatewayRouter {
    private final GatewayConfig config;
    private final EdgeAuthenticator authenticator;
    private final MeterRegistry metrics;
    private final RateLimiter rateLimiter;
    private Vertx vertx;
    /**
     * The upstream proxies of the event loop running the request, one set per event loop, created on first use there:
     * a shared client hands a request to whichever loop owns the idle connection it picks (a task queue and a wake-up
     * per request and response); a client used by one loop only keeps a request and its upstream connection on one
     * thread.
     */
    private final ThreadLocal<Map<String, HttpProxy>> proxies = ThreadLocal.withInitial(HashMap::new);
    private final ServiceOrigins origins;
    /** Where each service's round-robin stands, shared by its balancers on every event loop. */
    private final Map<String, AtomicInteger> rotations = new HashMap<>();
    private final Map<String, Counter> failovers = new HashMap<>();
    private final Map<String, Counter> requests = new HashMap<>();

    public GatewayRouter(GatewayConfig config, ServiceOrigins origins, EdgeAuthenticator authenticator,
            MeterRegistry metrics, RateLimiter rateLimiter) {
        this.config = config;
        this.origins = origins;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.rateLimiter = rateLimiter;
    }

    void install(@Observes Router router, Vertx vertx) {
        this.vertx = vertx;
        for (String service : origins.all().keySet()) {
            rotations.put(service, new AtomicInteger());
            failovers.put(service, metrics.counter("livestage.gateway.failovers", "service", service));
        }
        for (Route route : RouteTable.ROUTES) {
            requests.put(route.name(), metrics.counter("livestage.gateway.requests", "route", route.name()));
        }
        router.route("/api/*").order(1000).handler(this::edge);
        router.route("/ws/*").order(1000).handler(this::edge);
        router.route("/webhooks/*").order(1000).handler(this::edge);
        router.route("/podcast/*").order(1000).handler(this::edge);
        router.route("/hls/*").order(1000).handler(this::edge);
    }

    /** This event loop's proxy to {@code service}, or null when the service is not configured. */
    private HttpProxy proxy(String service) {
        Map<String, HttpProxy> mine = proxies.get();
        HttpProxy proxy = mine.get(service);
        if (proxy == null) {
            List<Origin> serviceOrigins = origins.of(service);
            if (serviceOrigins == null) {
                return null;
            }
            proxy = newProxy(service, serviceOrigins);
            mine.put(service, proxy);
        }
        return proxy;
    }

    private HttpProxy newProxy(String service, List<Origin> serviceOrigins) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true)
                .setTcpNoDelay(true).setMaxWebSockets(100_000), new PoolOptions().setHttp1MaxSize(config.poolSize()));
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), client)
                .origin(new OriginBalancer(service, serviceOrigins, rotations.get(service),
                        config.originCooldown().toNanos(), failovers.get(service), System::nanoTime));
        proxy.addInterceptor(new ProxyInterceptor() {
            @Override
            public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
                return context.sendRequest();
            }

            @Override
            public Future<Void> handleProxyResponse(ProxyContext context) {
                String id = context.request().proxiedRequest().getHeader(RequestIds.HEADER);
                if (id != null) {
                    context.response().headers().set(RequestIds.HEADER, id);
                }
                String unreachable = context.get(OriginBalancer.UNREACHABLE, String.class);
                if (unreachable != null) {
                    unreachable(context.response(), unreachable, serviceOrigins.size(),
                            context.request().proxiedRequest().path(), id);
                }
                return context.sendResponse();
            }
        });
        return proxy;
    }

    /**
     * Turns vertx-http-proxy's bare 502 for a request no origin accepted into a problem+json (the instances' addresses
     * stay out of it: they are the platform's inside).
     */
    private static void unreachable(ProxyResponse response, String service, int instances, String path, String requestId) {
        ProblemType type = ProblemType.UNAVAILABLE;
        String detail = service + " did not accept a connection"
                + (instances > 1 ? " on any of its " + instances + " instances" : "");
        Problem problem = new Problem(type.uri(), type.title(), 502, detail, path, null, null, requestId);
        response.setStatusCode(502).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .setBody(Body.body(Buffer.buffer(Json.encode(problem))));
    }

    private void edge(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        Route route = RouteTable.route(request.path()).orElse(null);
        if (route == null) {
            ProblemResponses.refuse(rc, ProblemType.NOT_FOUND, "no route for " + request.path());
            return;
        }
        HttpProxy proxy = proxy(route.service());
        if (proxy == null) {
            ProblemResponses.refuse(rc, ProblemType.UNAVAILABLE,
                    route.service() + " is not configured at this gateway (livestage.gateway.services." + route.service() + ")");
            return;
        }
        if (route.ownAuthorization()) {
            limited(rc, proxy, route, Scope.IP, clientIp(request), null);
            return;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> token = BearerTokens.fromAuthorization(authorization);
        if (authorization != null && token.isEmpty()) {
            ProblemResponses.refuse(rc, ProblemType.UNAUTHORIZED, "Authorization must be 'Bearer <token>'");
            return;
        }
        if (token.isEmpty()) {
            if (!RouteTable.anonymousAllowed(route, request.method().name())) {
                ProblemResponses.refuse(rc, ProblemType.UNAUTHORIZED, "this request needs a bearer token");
                return;
            }
            limited(rc, proxy, route, Scope.IP, clientIp(request), null);
            return;
        }
        request.pause();
        Context context = vertx.getOrCreateContext();
        authenticator.verify(token.get()).subscribe().with(
                verified -> onContext(context, () -> limited(rc, proxy, route, Scope.USER, verified.userId(), null)),
                // a token that fails verification counts against the caller's IP, so guessing tokens is rate limited
                failure -> onContext(context, () -> limited(rc, proxy, route, Scope.IP, clientIp(request),
                        "the bearer token is invalid or expired")));
    }

    /**
     * Counts the request against its bucket, then forwards it — or answers 429 when the quota is used up, or 401 with
     * {@code unauthorized} (a token that failed verification) once it was counted.
     */
    private void limited(RoutingContext rc, HttpProxy proxy, Route route, Scope scope, String subject, String unauthorized) {
        HttpServerRequest request = rc.request();
        request.pause();
        Context context = vertx.getOrCreateContext();
        rateLimiter.check(route.name(), scope, subject).whenComplete((decision, failure) -> onContext(context, () -> {
            if (failure != null) {
                // the limiter falls back to local buckets itself; anything else is a bug, not a reason to refuse
                forwardOr401(rc, proxy, route, unauthorized);
                return;
            }
            if (decision.limited()) {
                HttpServerResponse response = rc.response();
                response.putHeader("RateLimit-Limit", Long.toString(decision.limit()));
                response.putHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
                response.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
                response.putHeader("RateLimit-Policy", decision.limit() + ";w=" + decision.period().toSeconds());
                if (!decision.allowed()) {
                    response.putHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                    ProblemResponses.refuse(rc, ProblemType.RATE_LIMITED, "the quota of " + decision.limit()
                            + " requests per " + decision.period().toSeconds() + " s for this "
                            + (decision.scope() == Scope.USER ? "user" : "address") + " is used up; retry in "
                            + decision.retryAfterSeconds() + " s");
                    return;
                }
            }
            forwardOr401(rc, proxy, route, unauthorized);
        }));
    }

    private void forwardOr401(RoutingContext rc, HttpProxy proxy, Route route, String unauthorized) {
        if (unauthorized != null) {
            ProblemResponses.refuse(rc, ProblemType.UNAUTHORIZED, unauthorized);
        } else {
            forward(rc, proxy, route);
        }
    }

    /** Runs {@code task} on the request's context: at once when already there (local buckets, cached tokens). */
    private static void onContext(Context context, Runnable task) {
        if (Vertx.currentContext() == context) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** The client's address: the TCP peer, or the entry {@code trustedProxyHops} from the end of X-Forwarded-For. */
    private String clientIp(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        int hops = config.trustedProxyHops();
        String forwardedFor = request.getHeader("X-Forwarded-For");
        if (hops <= 0 || forwardedFor == null) {
            return peer;
        }
        String[] entries = forwardedFor.split(",");
        int index = entries.length - hops;
        return index >= 0 ? entries[index].strip() : entries[0].strip();
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
        requests.get(route.name()).increment();
        proxy.handle(request);
    }
}
