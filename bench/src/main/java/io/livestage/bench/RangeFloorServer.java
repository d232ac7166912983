package io.livestage.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/** The peer of {@code ./bench/run recording}: a plain Vert.x server in its own JVM ({@link PeerJvm}). */
public final class RangeFloorServer {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private RangeFloorServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String file = args[1];
        long size = file.equals("-") ? 0 : Files.size(Path.of(file));
        Buffer feed = args[2].equals("-") ? null : Buffer.buffer(Files.readAllBytes(Path.of(args[2])));
        String feedTag = feed == null ? null : "\"" + Integer.toHexString(java.util.Arrays.hashCode(feed.getBytes()))
                + "\"";
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(new File(file).lastModified()) + "\"";
        int instances = 2 * Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> started) {
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(request -> {
                            if (feed != null && "/feed".equals(request.path())) {
                                feed(request, feed, feedTag);
                            } else {
                                serve(request, file, size, etag);
                            }
                        }).listen().<Void>mapEmpty()
                        .onComplete(started);
            }
        }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        System.out.println("ready " + port + " (" + instances + " server instances, " + size + " bytes of " + file + ")");
        System.out.flush();
    }

    private static void feed(HttpServerRequest request, Buffer feed, String etag) {
        var response = request.response().putHeader("ETag", etag).putHeader("Cache-Control", "no-cache");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatusCode(304).end();
        } else {
            response.putHeader("Content-Type", "application/rss+xml; charset=utf-8").end(feed);
        }
    }

    private static void serve(HttpServerRequest request, String file, long size, String etag) {
        if (!"/file".equals(request.path()) || file.equals("-")) {
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
}
