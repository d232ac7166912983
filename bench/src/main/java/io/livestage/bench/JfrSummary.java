package io.livestage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Flight Recorder profile of a service process over the measured windows: {@code jcmd <pid> JFR.start} with the
 * JDK's {@code profile} settings before them, {@code JFR.stop} after, then the {@code jdk.ExecutionSample} events
 * (Java threads running Java code, sampled every 10 ms; time in native code — socket reads and writes, epoll — is
 * not sampled) summed by method: self (the top frame) and total (anywhere on the stack), as shares of all samples.
 */
final class JfrSummary {
    /** A method's share of the samples. */
    record Entry(String method, long samples, double share) {
    }

    /**
     * Samples in all; their split by component (self time, see {@link #COMPONENTS}); the heaviest methods by self and
     * by total; the total of each of {@link #GROUPS}.
     */
    record Profile(long samples, List<Entry> components, List<Entry> self, List<Entry> total, List<Entry> groups,
            Path file) {
    }

    /**
     * Narrow pieces of work whose total share (anywhere on the stack; a sample counts once) the report shows: each
     * calls nothing downstream of the request, so its total is its own cost. Prefixes of {@code class.method}.
     */
    static final Map<String, List<String>> GROUPS = groups();

    /**
     * Components for the self-time split, in order of precedence: each sample goes to the innermost frame (from the top
     * of the stack) that belongs to one of them, skipping {@link #HELPERS}.
     */
    static final Map<String, List<String>> COMPONENTS = components();

    /** Frames charged to their caller: the JDK and Netty's buffers and utilities. */
    static final List<String> HELPERS = List.of("java.", "jdk.", "sun.", "io.netty.util.", "io.netty.buffer.");

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("inbound: request read → routed → sent upstream (Http1xServerConnection.handleMessage and all "
                + "it calls: Quarkus' handlers, CORS, security, the gateway's edge, the proxy's request)",
                List.of("io.vertx.core.http.impl.Http1xServerConnection.handle"));
        groups.put("outbound: upstream response read → relayed to the client (Http1xClientConnection.handle*)",
                List.of("io.vertx.core.http.impl.Http1xClientConnection.handle"));
        groups.put("work handed from one event loop to another (ContextImpl.execute lambdas run from a task queue)",
                List.of("io.vertx.core.impl.ContextImpl.lambda$execute"));
        groups.put("waking another event loop (Selector.wakeup after handing it work)",
                List.of("io.netty.channel.nio.SelectedSelectionKeySetSelector.wakeup", "sun.nio.ch.EPollSelectorImpl.wakeup",
                        "io.netty.channel.epoll.EpollEventLoop.wakeup"));
        groups.put("edge token check: EdgeAuthenticator.verify (cache hits; misses call quarkus-oidc)",
                List.of("io.livestage.gateway.auth.EdgeAuthenticator.verify"));
        groups.put("token verification (OidcIdentityProvider.authenticate, jose4j): cache misses",
                List.of("io.quarkus.oidc.runtime.OidcIdentityProvider.authenticate", "org.jose4j."));
        groups.put("rate limiter (io.livestage.gateway.ratelimit)", List.of("io.livestage.gateway.ratelimit."));
        groups.put("request id: RequestIds.of (regex or UUID.randomUUID)", List.of("io.livestage.platform.http.RequestIds.of"));
        groups.put("UUID.randomUUID (SecureRandom)", List.of("java.util.UUID.randomUUID"));
        groups.put("route match: RouteTable.route (a regex per route)", List.of("io.livestage.gateway.route.RouteTable.route"));
        groups.put("java.util.regex (all callers)", List.of("java.util.regex."));
        groups.put("MDC.put / MDC.remove", List.of("org.jboss.logging.MDC.", "org.jboss.logmanager.MDC."));
        groups.put("Micrometer (per-request HTTP server metrics, counters)", List.of("io.micrometer.",
                "io.quarkus.micrometer."));
        groups.put("Quarkus request context (ArC activate/terminate)", List.of("io.quarkus.arc."));
        return groups;
    }

    private static Map<String, List<String>> components() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("gateway: RequestIds", List.of("io.livestage.platform.http.RequestIds"));
        c.put("gateway: EdgeAuthenticator (token cache)", List.of("io.livestage.gateway.auth."));
        c.put("gateway: rate limiter", List.of("io.livestage.gateway.ratelimit."));
        c.put("gateway: RouteTable", List.of("io.livestage.gateway.route."));
        c.put("gateway: GatewayRouter (edge, forward, interceptor) and the rest of io.livestage",
                List.of("io.livestage."));
        c.put("token verification (quarkus-oidc, smallrye-jwt, jose4j)", List.of("io.quarkus.oidc.",
                "io.smallrye.jwt.", "org.jose4j."));
        c.put("Quarkus security (HTTP auth mechanism, identity)", List.of("io.quarkus.security.",
                "io.quarkus.vertx.http.runtime.security."));
        c.put("Quarkus CORS filter", List.of("io.quarkus.vertx.http.runtime.cors."));
        c.put("Micrometer (metrics)", List.of("io.micrometer.", "io.quarkus.micrometer."));
        c.put("Quarkus HTTP layer, ArC, other Quarkus", List.of("io.quarkus."));
        c.put("logging, MDC (JBoss)", List.of("org.jboss.logging.", "org.jboss.logmanager."));
        c.put("Mutiny", List.of("io.smallrye.mutiny."));
        c.put("other SmallRye", List.of("io.smallrye."));
        c.put("vertx-http-proxy", List.of("io.vertx.httpproxy."));
        c.put("Vert.x Web router", List.of("io.vertx.ext.web."));
        c.put("Vert.x HTTP client (upstream requests, connection pool)", List.of("io.vertx.core.http.impl.Http1xClient",
                "io.vertx.core.http.impl.HttpClient", "io.vertx.core.http.impl.SharedClient",
                "io.vertx.core.http.impl.ClientHttp", "io.vertx.core.http.impl.Http1xClientConnection",
                "io.vertx.core.net.impl.pool.", "io.vertx.core.http.impl.HttpClientRequest",
                "io.vertx.core.http.impl.HttpClientResponse", "io.vertx.core.http.impl.HttpClientStream"));
        c.put("Vert.x HTTP server (inbound connections, requests, responses)",
                List.of("io.vertx.core.http.impl.Http1xServer", "io.vertx.core.http.impl.HttpServer"));
        c.put("Vert.x HTTP headers and other HTTP", List.of("io.vertx.core.http."));
        c.put("Vert.x core (contexts, futures, net)", List.of("io.vertx."));
        c.put("Netty HTTP codec", List.of("io.netty.handler.codec.http."));
        c.put("Netty event loop, pipeline, socket I/O", List.of("io.netty."));
        return c;
    }

    private JfrSummary() {
    }

    /** Starts a recording named {@code bench} in process {@code pid}; false (with the reason in notes) when jcmd fails. */
    static boolean start(long pid, Path file, List<String> notes) {
        return jcmd(pid, notes, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
    }

    /** Stops the recording, which writes the file. */
    static boolean stop(long pid, List<String> notes) {
        return jcmd(pid, notes, "JFR.stop", "name=bench");
    }

    private static boolean jcmd(long pid, List<String> notes, String... command) {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(pid));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                notes.add("Profiling: `" + String.join(" ", line) + "` failed: " + out.strip());
                return false;
            }
            return true;
        } catch (IOException e) {
            notes.add("Profiling: jcmd could not run: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sums the execution samples of a recording; {@code limit} methods per list. */
    static Profile read(Path file, int limit) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        Map<String, Long> groups = new HashMap<>();
        Map<String, Long> components = new HashMap<>();
        long samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.getFirst()), 1L, Long::sum);
                components.merge(component(frames), 1L, Long::sum);
                Set<String> seen = new HashSet<>();
                Set<String> seenGroups = new HashSet<>();
                for (RecordedFrame frame : frames) {
                    String method = name(frame);
                    if (seen.add(method)) {
                        total.merge(method, 1L, Long::sum);
                    }
                    for (Map.Entry<String, List<String>> group : GROUPS.entrySet()) {
                        if (!seenGroups.contains(group.getKey())
                                && group.getValue().stream().anyMatch(method::startsWith)) {
                            seenGroups.add(group.getKey());
                            groups.merge(group.getKey(), 1L, Long::sum);
                        }
                    }
                }
            }
        }
        long all = samples;
        return new Profile(samples, top(components, all, COMPONENTS.size() + 2), top(self, all, limit),
                top(total, all, limit),
                GROUPS.keySet().stream().map(g -> new Entry(g, groups.getOrDefault(g, 0L),
                        all == 0 ? 0 : groups.getOrDefault(g, 0L) / (double) all)).toList(), file);
    }

    private static List<Entry> top(Map<String, Long> counts, long all, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> new Entry(e.getKey(), e.getValue(), all == 0 ? 0 : e.getValue() / (double) all)).toList();
    }

    /** The component a sample's time goes to: the innermost frame, helpers skipped, that belongs to one. */
    static String component(List<RecordedFrame> frames) {
        return componentOf(frames.stream().map(JfrSummary::name).toList());
    }

    /** {@link #component(List)} of a stack given as {@code class.method} names, innermost first. */
    static String componentOf(List<String> methods) {
        for (String method : methods) {
            if (HELPERS.stream().anyMatch(method::startsWith)) {
                continue;
            }
            for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                if (c.getValue().stream().anyMatch(method::startsWith)) {
                    return c.getKey();
                }
            }
            int dot = method.lastIndexOf('.');
            String type = dot > 0 ? method.substring(0, dot) : method;
            int pkg = type.lastIndexOf('.');
            return "other: " + (pkg > 0 ? type.substring(0, pkg) : type);
        }
        return "JDK only (java.*, jdk.*: e.g. thread start, GC-free JDK work)";
    }

    private static String name(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
