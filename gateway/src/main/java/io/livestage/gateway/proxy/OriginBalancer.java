package io.livestage.gateway.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.OriginRequestProvider;
import io.vertx.httpproxy.ProxyContext;
import org.jboss.logging.Logger;

import io.livestage.gateway.config.Origin;

/**
 * Picks the instance a request (or WebSocket upgrade) of one service goes to, for one event loop: round-robin over
 * the service's origins, skipping for a cool-down the ones that recently failed to accept a connection on this loop.
 * vertx-http-proxy asks it for the upstream request ({@link OriginRequestProvider}) before anything of the client's
 * request is sent — the body stays paused until then — so when connecting fails (refused, timed out, no route, unknown
 * host) the request is safely tried on the next origin, whatever its method. Once the upstream request exists the
 * balancer is done: a failure after that, or an upstream 5xx, reaches the client as it is.
 *
 * <p>Not thread-safe, on purpose: each event loop has its own (its requests and their upstream connections stay on
 * that thread), so the ejections are per loop; only the rotation is shared by the service's balancers on all loops, so
 * that clients spread over loops still alternate between instances.
 */
final class OriginBalancer implements OriginRequestProvider {
    /** Set on a proxy context (to the service name) when no origin accepted the request's connection. */
    static final String UNREACHABLE = "livestage.unreachable";
    private static final Logger LOG = Logger.getLogger(OriginBalancer.class);

    private final String service;
    private final List<Origin> origins;
    private final AtomicInteger rotation;
    private final long cooldownNanos;
    private final Counter failovers;
    private final LongSupplier nanoClock;
    /** {@link System#nanoTime()} until which each origin is skipped; 0: not skipped. */
    private final long[] ejectedUntil;

    OriginBalancer(String service, List<Origin> origins, AtomicInteger rotation, long cooldownNanos, Counter failovers,
            LongSupplier nanoClock) {
        this.service = service;
        this.origins = origins;
        this.rotation = rotation;
        this.cooldownNanos = cooldownNanos;
        this.failovers = failovers;
        this.nanoClock = nanoClock;
        this.ejectedUntil = new long[origins.size()];
    }

    @Override
    public Future<HttpClientRequest> create(ProxyContext context) {
        return attempt(context, order(), 0);
    }

    /**
     * The origins in the order this request tries them: from the next in the rotation on, those not skipped first,
     * then the skipped ones (a last resort: a request fails only when no origin accepts it).
     */
    int[] order() {
        int n = origins.size();
        if (n == 1) {
            return new int[] {0};
        }
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        long now = nanoClock.getAsLong();
        int[] order = new int[n];
        int next = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                int index = (start + i) % n;
                boolean skipped = ejectedUntil[index] != 0 && now - ejectedUntil[index] < 0;
                if (skipped == (pass == 1)) {
                    order[next++] = index;
                }
            }
        }
        return order;
    }

    private boolean ejected(int origin) {
        return ejectedUntil[origin] != 0 && nanoClock.getAsLong() - ejectedUntil[origin] < 0;
    }

    private Future<HttpClientRequest> attempt(ProxyContext context, int[] order, int position) {
        int index = order[position];
        Origin origin = origins.get(index);
        return context.client().request(new RequestOptions().setServer(origin.address())).andThen(result -> {
            if (result.succeeded()) {
                ejectedUntil[index] = 0;
            }
        }).recover(failure -> {
            if (!connectFailed(failure)) {
                return Future.failedFuture(failure);
            }
            eject(index, origin, failure);
            if (position + 1 == order.length) {
                context.set(UNREACHABLE, service);
                return Future.failedFuture(failure);
            }
            failovers.increment();
            return attempt(context, order, position + 1);
        });
    }

    private void eject(int index, Origin origin, Throwable failure) {
        if (origins.size() > 1 && !ejected(index)) {
            LOG.warnf("%s at %s did not accept a connection (%s); skipped by this event loop for %d ms", service,
                    origin.url(), failure.toString(), TimeUnit.NANOSECONDS.toMillis(cooldownNanos));
        }
        // never 0, which means "not skipped"
        ejectedUntil[index] = (nanoClock.getAsLong() + cooldownNanos) | 1L;
    }

    /** Connecting failed, so nothing of the request was sent: refused, timed out (netty's is a ConnectException), … */
    static boolean connectFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
