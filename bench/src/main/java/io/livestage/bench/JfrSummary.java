package io.livestage.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
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

    /** Samples in all, and the heaviest methods by self and by total, plus the total of chosen groups. */
    record Profile(long samples, List<Entry> self, List<Entry> total, List<Entry> groups, Path file) {
    }

    /**
     * Groups of frames whose total share the report shows (a sample counts once per group when any frame of the stack
     * matches). Prefixes of {@code class.method}.
     */
    static final Map<String, List<String>> GROUPS = groups();

    private static Map<String, List<String>> groups() {
        Map<String, List<String>> groups = new java.util.LinkedHashMap<>();
        groups.put("gateway edge handler (GatewayRouter.edge, all it calls)", List.of("io.livestage.gateway.proxy.GatewayRouter.edge"));
        groups.put("edge token check (EdgeAuthenticator.verify, cache hits and misses)", List.of("io.livestage.gateway.auth.EdgeAuthenticator.verify"));
        groups.put("token verification by quarkus-oidc (cache misses)", List.of("io.quarkus.oidc.runtime.OidcIdentityProvider", "io.quarkus.oidc.runtime.OidcProvider.verify"));
        groups.put("rate limiter (io.livestage.gateway.ratelimit)", List.of("io.livestage.gateway.ratelimit."));
        groups.put("request id (RequestIds.of, UUID.randomUUID)", List.of("io.livestage.gateway.proxy.RequestIds.of"));
        groups.put("MDC (org.jboss.logging.MDC)", List.of("org.jboss.logging.MDC.", "org.jboss.logmanager.MDC."));
        groups.put("vertx-http-proxy (request/response copy, interceptors)", List.of("io.vertx.httpproxy."));
        groups.put("Vert.x Web router (io.vertx.ext.web)", List.of("io.vertx.ext.web."));
        groups.put("Quarkus HTTP layer (io.quarkus.vertx.http)", List.of("io.quarkus.vertx.http."));
        groups.put("CORS (CORSFilter)", List.of("io.quarkus.vertx.http.runtime.cors."));
        groups.put("HTTP codec (Netty HttpObjectDecoder/Encoder)", List.of("io.netty.handler.codec.http."));
        groups.put("socket I/O (Netty channel read/write/flush)", List.of("io.netty.channel.nio.AbstractNioByteChannel",
                "io.netty.channel.socket.nio.NioSocketChannel.do", "io.netty.channel.epoll.AbstractEpollStreamChannel",
                "sun.nio.ch.SocketDispatcher", "sun.nio.ch.IOUtil"));
        groups.put("upstream HTTP client (io.vertx.core.http.impl.Http1xClientConnection, pool)",
                List.of("io.vertx.core.http.impl.Http1xClientConnection", "io.vertx.core.net.impl.pool.",
                        "io.vertx.core.http.impl.HttpClientImpl", "io.vertx.core.http.impl.SharedClientHttpStreamEndpoint"));
        groups.put("Micrometer (metrics)", List.of("io.micrometer."));
        groups.put("Mutiny (Uni plumbing)", List.of("io.smallrye.mutiny."));
        groups.put("logging (org.jboss.logmanager)", List.of("org.jboss.logmanager.Logger", "org.jboss.logmanager.handlers."));
        groups.put("JIT-less code: interpreter and class loading (java.lang.ClassLoader)", List.of("java.lang.ClassLoader."));
        return groups;
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
        List<String> line = new java.util.ArrayList<>();
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
        return new Profile(samples, top(self, all, limit), top(total, all, limit),
                GROUPS.keySet().stream().map(g -> new Entry(g, groups.getOrDefault(g, 0L),
                        all == 0 ? 0 : groups.getOrDefault(g, 0L) / (double) all)).toList(), file);
    }

    private static List<Entry> top(Map<String, Long> counts, long all, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .map(e -> new Entry(e.getKey(), e.getValue(), all == 0 ? 0 : e.getValue() / (double) all)).toList();
    }

    private static String name(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "?";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
