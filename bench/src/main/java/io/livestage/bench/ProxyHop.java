package io.livestage.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyOptions;

/**
 * A plain reverse-proxy hop, as its own JVM: vertx-http-proxy (the library and version the gateway uses) with the
 * gateway's upstream client settings (keep-alive, TCP_NODELAY, 2 s connect timeout, a pool of 200) and as many
 * HTTP server instances as Quarkus gives the gateway (2 × cores event loops), Java NIO as Quarkus uses by default —
 * and nothing else: no Quarkus, no router, no request id, no token check, no CORS, no metrics. In front of the
 * loopback floor it tells what one proxy hop costs on this machine, so that the gateway's own cost can be told apart.
 * <p>
 * {@code java -cp … io.livestage.bench.ProxyHop <port> <upstream port> [shared|per-loop][+epoll]}; prints
 * {@code ready <port>}.
 * {@code shared} (the default, as the gateway does): one upstream {@code HttpClient} for all event loops, whose pool
 * hands any idle connection to any request, so a request and its upstream connection are often on different event
 * loops (every write and response event then crosses threads). {@code per-loop}: one client per server event loop, so
 * each upstream connection serves only requests of its own loop — to measure what that affinity is worth. {@code +epoll}:
 * Netty's native epoll transport instead of Java NIO (the bench classpath has it; the gateway's does not).
 */
public final class ProxyHop {
    private ProxyHop() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int upstream = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "shared";
        boolean perLoop = mode.startsWith("per-loop");
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(mode.endsWith("+epoll")));
        HttpProxy shared = perLoop ? null : proxy(vertx, upstream);
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                // per-loop: created on this verticle's event loop, so are its connections
                HttpProxy proxy = perLoop ? proxy(vertx, upstream) : shared;
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(proxy).listen().<Void>mapEmpty().onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + instances + " server instances, upstream 127.0.0.1:" + upstream
                + ", " + (perLoop ? "one upstream client per event loop" : "one shared upstream client")
                + ", native transport " + vertx.isNativeTransportEnabled() + ")");
        System.out.flush();
    }

    private static HttpProxy proxy(Vertx vertx, int upstream) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(2_000).setKeepAlive(true)
                .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(200));
        return HttpProxy.reverseProxy(new ProxyOptions(), client).origin(upstream, "127.0.0.1");
    }

    /** The hop as a child process of the harness, on the harness's JDK and classpath. */
    static final class Process implements AutoCloseable {
        final java.lang.Process process;
        final int port;

        private Process(java.lang.Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Process start(int upstreamPort, Path log) throws IOException, InterruptedException {
            return start(upstreamPort, log, "shared");
        }

        /** {@code mode}: {@code shared} (as the gateway) or {@code per-loop}, each optionally {@code +epoll}; see {@link ProxyHop}. */
        static Process start(int upstreamPort, Path log, String mode) throws IOException, InterruptedException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx512m", "-Djava.net.preferIPv4Stack=true"));
            if (Runtime.version().feature() >= 24) {
                command.add("--sun-misc-unsafe-memory-access=allow");
                command.add("--enable-native-access=ALL-UNNAMED");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProxyHop.class.getName(),
                    Integer.toString(port), Integer.toString(upstreamPort), mode));
            java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "proxy-hop-stop"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("proxy hop exited: " + Files.readString(log));
                }
                if (Files.readString(log).contains("ready " + port)) {
                    return new Process(process, port);
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            throw new IllegalStateException("proxy hop not ready within 30 s: " + Files.readString(log));
        }

        ProcessHandle handle() {
            return process.toHandle();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
