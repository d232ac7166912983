package io.livestage.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * The peer of the range part of {@code ./bench/run recording}: a plain Vert.x static-file server in its own JVM that
 * serves one file with single byte ranges — {@code sendFile(file, offset, length)} (the kernel's sendfile, as
 * recording-service's file endpoint uses), {@code 206} with {@code Content-Range}, {@code 200} without a Range,
 * {@code 416} past the end — and nothing else: no framework, no token check, no database lookup. As many HTTP server
 * instances as Quarkus gives a service (2 × cores event loops), Java NIO as Quarkus uses by default.
 * <p>
 * {@code java -cp … io.livestage.bench.RangeFloorServer <port> <file>}; serves it at {@code /file}; prints
 * {@code ready <port>}.
 */
public final class RangeFloorServer {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private RangeFloorServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String file = args[1];
        long size = Files.size(Path.of(file));
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(new File(file).lastModified()) + "\"";
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(request -> serve(request, file, size, etag)).listen().<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + instances + " server instances, " + size + " bytes of " + file + ")");
        System.out.flush();
    }

    private static void serve(HttpServerRequest request, String file, long size, String etag) {
        if (!"/file".equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        long[] range = range(request.getHeader("Range"), size);
        var response = request.response().putHeader("Content-Type", "audio/mpeg").putHeader("Accept-Ranges", "bytes")
                .putHeader("ETag", etag);
        if (range == null) {
            response.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
        } else if (range.length == 0) {
            response.sendFile(file);
        } else {
            response.setStatusCode(206)
                    .putHeader("Content-Range", "bytes " + range[0] + "-" + (range[0] + range[1] - 1) + "/" + size)
                    .sendFile(file, range[0], range[1]);
        }
    }

    /** {offset, length} of a single range; empty: no Range header (the whole file); null: not satisfiable. */
    static long[] range(String header, long size) {
        if (header == null) {
            return new long[0];
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return null;
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            first = Math.max(0, size - suffix);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        }
        return first >= size || last < first ? null : new long[] { first, last - first + 1 };
    }

    /** The server as a child process of the harness, on the harness's JDK and classpath. */
    static final class Process implements AutoCloseable {
        final java.lang.Process process;
        final int port;

        private Process(java.lang.Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Process start(Path file, Path log) throws IOException, InterruptedException {
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
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RangeFloorServer.class.getName(),
                    Integer.toString(port), file.toString()));
            java.lang.Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "range-floor-stop"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("range floor server exited: " + Files.readString(log));
                }
                if (Files.readString(log).contains("ready " + port)) {
                    return new Process(process, port);
                }
                Thread.sleep(100);
            }
            process.destroyForcibly();
            throw new IllegalStateException("range floor server not ready within 30 s: " + Files.readString(log));
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
