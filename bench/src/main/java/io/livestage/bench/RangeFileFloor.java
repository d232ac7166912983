package io.livestage.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The peer for serving recording files: a plain Vert.x core HTTP/1.1 server in the harness JVM that serves the files of
 * one folder by name ({@code GET|HEAD /<name>}) with the same Range answers as recording-service's file endpoint — one
 * range {@code a-b}, {@code a-} or {@code -n} as 206 with {@code Content-Range}, several ranges as the whole file,
 * malformed or past the end as 416 {@code bytes *}{@code /len}, a strong ETag from size and modification time with
 * If-None-Match → 304 — sent with {@code sendFile(path, offset, length)}, with no auth and no database. Driven by the
 * same client and ranges, it gives the floor for a later {@code range_ratio} (service throughput / this).
 */
public final class RangeFileFloor implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private RangeFileFloor(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts on 127.0.0.1 and a free port with {@code eventLoops} threads, serving the files in {@code folder}. */
    public static RangeFileFloor start(Path folder, int eventLoops) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        Path root = folder.toAbsolutePath().normalize();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(request -> serve(vertx, root, request));
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return new RangeFileFloor(vertx, server);
    }

    public int port() {
        return server.actualPort();
    }

    private static void serve(Vertx vertx, Path root, HttpServerRequest request) {
        HttpServerResponse response = request.response();
        boolean head = request.method() == HttpMethod.HEAD;
        Path file = root.resolve(request.path().substring(1)).normalize();
        if ((!head && request.method() != HttpMethod.GET) || !file.startsWith(root) || file.equals(root)) {
            response.setStatusCode(404).end();
            return;
        }
        vertx.fileSystem().props(file.toString()).onComplete(props -> {
            if (props.failed() || !props.result().isRegularFile()) {
                response.setStatusCode(404).end();
                return;
            }
            long size = props.result().size();
            String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(props.result().lastModifiedTime())
                    + "\"";
            response.putHeader("Accept-Ranges", "bytes").putHeader("ETag", etag);
            if (etag.equals(request.getHeader("If-None-Match"))) {
                response.setStatusCode(304).end();
                return;
            }
            long[] range = head ? null : range(request.getHeader("Range"), size);
            if (range == UNSATISFIABLE) {
                response.setStatusCode(416).putHeader("Content-Range", "bytes */" + size)
                        .putHeader("Content-Length", "0").end();
                return;
            }
            response.putHeader("Content-Type", type(file));
            if (head) {
                response.putHeader("Content-Length", Long.toString(size)).end();
            } else if (range == null) {
                response.sendFile(file.toString(), 0, size);
            } else {
                response.setStatusCode(206)
                        .putHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size)
                        .sendFile(file.toString(), range[0], range[1] - range[0] + 1);
            }
        });
    }

    private static final long[] UNSATISFIABLE = new long[0];

    /** {first, last} of one range, null for the whole file, {@link #UNSATISFIABLE} for 416. */
    static long[] range(String header, long size) {
        if (header == null) {
            return null;
        }
        if (!header.startsWith("bytes=")) {
            return header.indexOf('=') > 0 ? null : UNSATISFIABLE;
        }
        String[] specs = header.substring(6).split(",", -1);
        long[] one = null;
        int satisfiable = 0;
        for (String raw : specs) {
            String spec = raw.strip();
            int dash = spec.indexOf('-');
            if (dash < 0 || dash != spec.lastIndexOf('-')) {
                return UNSATISFIABLE;
            }
            String a = spec.substring(0, dash);
                String b = spec.substring(dash + 1);
                if (!a.chars().allMatch(RangeFileFloor::digit) || !b.chars().allMatch(RangeFileFloor::digit)
                        || (a.isEmpty() && b.isEmpty())) {
                    return UNSATISFIABLE;
                }
                if (a.isEmpty()) {
                    long n = number(b);
                    if (n > 0 && size > 0) {
                        one = new long[] {Math.max(0, size - n), size - 1};
                        satisfiable++;
                    }
                } else {
                    long first = number(a);
                    long last = b.isEmpty() ? Long.MAX_VALUE : number(b);
                    if (last < first) {
                        return UNSATISFIABLE;
                    }
                    if (first < size) {
                        one = new long[] {first, Math.min(last, size - 1)};
                        satisfiable++;
                    }
                }
        }
        if (satisfiable == 0) {
            return UNSATISFIABLE;
        }
        return specs.length == 1 ? one : null;
    }

    private static final Map<String, String> TYPES = Map.of("mp3", "audio/mpeg", "mp4", "video/mp4", "ogg",
            "audio/ogg", "ts", "video/mp2t", "m3u8", "application/vnd.apple.mpegurl");

    private static String type(Path file) {
        String name = file.getFileName().toString();
        return TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    /** A decimal saturating at Long.MAX_VALUE (the digits are checked by the caller). */
    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
