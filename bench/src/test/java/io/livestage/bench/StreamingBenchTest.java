package io.livestage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.LoadResult;
import io.livestage.bench.core.Peer;
import io.livestage.bench.core.Report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingBenchTest {

    // --- settings ----------------------------------------------------------------------------------------------------

    @Test
    void knobsAreCheckedBeforeAnythingStarts() {
        Knobs ok = new Knobs(List.of("--subscribers=100", "--phases=hls", "--hls-rates=100,200"), Map.of());
        assertThat(new StreamingScenario(ok).budget()).isLessThan(Duration.ofMinutes(30));
        ok.finish();
        assertThatThrownBy(() -> new StreamingScenario(new Knobs(List.of("--phases=sse,dash"), Map.of())))
                .hasMessageContaining("phases");
        assertThatThrownBy(() -> new StreamingScenario(new Knobs(List.of("--segment-min-kib=500",
                "--segment-max-kib=400"), Map.of()))).hasMessageContaining("segment-min-kib");
        Knobs unknown = new Knobs(List.of("--viewers=10"), Map.of());
        new StreamingScenario(unknown);
        assertThatThrownBy(unknown::finish).isInstanceOf(Knobs.BadKnob.class);
    }

    @Test
    void theReportRendersWithBothPartsSkipped() {
        Report report = Report.load("streaming");
        for (String key : List.of("machine", "processes", "knobs", "session_json", "live", "subscribers",
                "sse_goal_ms", "hls_goal_ms", "hls_connections")) {
            report.put(key, "x");
        }
        report.skip(StreamingScenario.SSE_KEYS, "not run (--phases)");
        report.skip(StreamingScenario.HLS_KEYS, "not available: 404");
        assertThat(report.render()).contains("(not available: 404)").endsWith("RESULT sse=skipped hls=skipped\n");
    }

    @Test
    void streamStatusReadsVersionAndTheQualityPreset() {
        assertThat(StreamStatus.parse("{\"sessionId\":\"s\",\"status\":\"live\",\"viewers\":[1,{\"preset\":\"x\"}],"
                + "\"quality\":{\"width\":1920,\"preset\":\"1080p\",\"ladder\":[\"720p\"]},\"version\":42}"))
                .isEqualTo(new StreamStatus(42, "1080p"));
        assertThat(StreamStatus.parse("{\"status\":\"live\"}")).isEqualTo(new StreamStatus(-1, null));
        assertThat(StreamStatus.parse("{\"quality\":null,\"version\":\"7\"}")).isEqualTo(new StreamStatus(-1, null));
        assertThatThrownBy(() -> StreamStatus.parse("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamStatus.parse("{\"version\":")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- change matching ---------------------------------------------------------------------------------------------

    @Test
    void thePlanAlternatesStartingAwayFromTheCurrentPreset() {
        assertThat(QualityChanges.plan("720p", 3)).containsExactly("1080p", "720p", "1080p");
        assertThat(QualityChanges.plan("1080p", 3)).containsExactly("720p", "1080p", "720p");
        assertThat(QualityChanges.plan("4k", 2)).containsExactly("1080p", "720p");
    }

    /** Whether two latencies (µs) fall into the same HdrHistogram bucket (3 significant digits). */
    private static boolean equivalent(long a, long b) {
        return new org.HdrHistogram.Histogram(LoadResult.HIGHEST_MICROS, 3).valuesAreEquivalent(a, b);
    }

    @Test
    void eventsAreMatchedToTheEarliestSentChangeWithTheirPreset() {
        QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 5));
        QualityChanges.Cursor a = new QualityChanges.Cursor();
        QualityChanges.Cursor b = new QualityChanges.Cursor();
        a.lastVersion = b.lastVersion = 10;

        assertThat(changes.onEvent(a, new StreamStatus(11, "1080p"), 5)).as("nothing sent yet").isEqualTo(-1);
        changes.publish(0, 1_000_000);
        assertThat(changes.onEvent(a, new StreamStatus(12, "1080p"), 3_000_000)).isZero();
        assertThat(changes.onEvent(a, new StreamStatus(12, "1080p"), 3_000_000)).as("a repeat").isEqualTo(-1);
        assertThat(changes.onEvent(b, new StreamStatus(12, "1080p"), 4_000_000)).isZero();
        assertThat(changes.startSegment()).isEqualTo(1);
        changes.publish(1, 10_000_000);
        changes.publish(2, 20_000_000);
        // b lost change 1 (720p): its next 1080p event is change 2's
        assertThat(changes.onEvent(b, new StreamStatus(14, "1080p"), 25_000_000)).isEqualTo(2);
        assertThat(b.skipped).isEqualTo(1);
        assertThat(b.next).isEqualTo(3);
        // a sees both, late
        assertThat(changes.onEvent(a, new StreamStatus(13, "720p"), 30_000_000)).isEqualTo(1);
        assertThat(changes.onEvent(a, new StreamStatus(15, "1080p"), 31_000_000)).as("another version for change 2")
                .isEqualTo(2);

        assertThat(changes.segmentSize(0)).isEqualTo(1);
        assertThat(changes.latencies(0).getTotalCount()).as("change 0 is segment 0").isEqualTo(2);
        assertThat(equivalent(changes.latencies(0).getMaxValue(), 3_000)).isTrue();
        assertThat(changes.segmentSize(1)).isEqualTo(2);
        assertThat(changes.segmentDelivered(1)).as("of 2 subscribers × 2 changes, b lost one").isEqualTo(3);
        assertThat(equivalent(changes.latencies(1).getMaxValue(), 20_000)).isTrue();
        assertThat(equivalent(changes.latencies(1).getMinValue(), 5_000)).isTrue();
        assertThat(changes.delivered(2)).isEqualTo(2);
        assertThat(changes.version(2)).isEqualTo(14);
        assertThat(changes.inconsistentVersions.sum()).isEqualTo(1);
        assertThat(changes.repeats.sum()).isEqualTo(1);
        assertThat(changes.unmatched.sum()).isEqualTo(1);
        assertThat(changes.skipped.sum()).isEqualTo(1);
        assertThatThrownBy(() -> changes.publish(4, 0)).hasMessageContaining("out of order");
    }

    // --- HLS files ---------------------------------------------------------------------------------------------------

    @Test
    void segmentsAreWholeTransportStreamPacketsWithinTheBounds(@TempDir Path dir) throws IOException {
        HlsSegments segments = HlsSegments.write(dir.resolve("hls/s1"), 12, 200 * 1024, 400 * 1024);

        assertThat(segments.names()).hasSize(12).first().isEqualTo("bench-00000.ts");
        assertThat(segments.sizes()).allSatisfy(size -> assertThat(size).isBetween(200L * 1024, 400L * 1024)
                .matches(s -> s % HlsSegments.PACKET == 0));
        assertThat(segments.sizes().stream().distinct()).as("spread, not one size").hasSizeGreaterThan(6);
        byte[] first = Files.readAllBytes(dir.resolve("hls/s1/bench-00003.ts"));
        assertThat((long) first.length).isEqualTo(segments.sizes().get(3));
        for (int p = 0; p < first.length; p += HlsSegments.PACKET) {
            assertThat(first[p]).isEqualTo(HlsSegments.SYNC);
        }
        String playlist = Files.readString(dir.resolve("hls/s1/bench.m3u8"));
        assertThat(playlist).startsWith("#EXTM3U\n").contains("#EXT-X-TARGETDURATION:2\n")
                .contains("#EXTINF:2.000,\nbench-00011.ts\n").endsWith("#EXT-X-ENDLIST\n");
        assertThat(playlist.lines().filter(l -> l.endsWith(".ts"))).hasSize(12);
    }

    @Test
    void thePeerServesTheFolderWithHlsTypesCachingAndCors(@TempDir Path dir) throws Exception {
        HlsSegments.write(dir.resolve("s1"), 2, 1024, 2048);
        Vertx vertx = Vertx.vertx();
        try {
            int port = Peer.freePort();
            Floors.stream(vertx, port, dir, 1).toCompletionStage().toCompletableFuture().get(10,
                    TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> segment = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/hls/s1/bench-00001.ts")).header("Origin", "https://player.example").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> playlist = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/hls/s1/bench.m3u8")).build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/hls/s1/bench-00009.ts")).build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(segment.statusCode()).isEqualTo(200);
            assertThat(segment.body()).hasSize((int) Files.size(dir.resolve("s1/bench-00001.ts")));
            assertThat(segment.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            assertThat(segment.headers().firstValue("Cache-Control")).get().asString().contains("max-age");
            assertThat(segment.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
            assertThat(playlist.headers().firstValue("Content-Type")).get().asString()
                    .startsWith("application/vnd.apple.mpegurl");
            assertThat(new String(playlist.body(), StandardCharsets.UTF_8)).startsWith("#EXTM3U");
            assertThat(missing.statusCode()).isEqualTo(404);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thePeerFansQualityChangesOutToEveryStreamOfEveryInstance(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int port = Peer.freePort();
            Floors.stream(vertx, port, dir, 2).toCompletionStage().toCompletableFuture().get(10,
                    TimeUnit.SECONDS);
            try (StreamSubscribers subscribers = new StreamSubscribers(vertx, port, "/api/sessions/s1/stream/events",
                    6, 3, 2)) {
                StreamSubscribers.OpenOutcome open = subscribers.open(Duration.ofSeconds(10));
                assertThat(open.ready()).isEqualTo(6);
                assertThat(open.initialPresets()).containsEntry("720p", 6L);
                QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 3));
                subscribers.track(changes);
                HttpClient http = HttpClient.newHttpClient();
                for (int k = 0; k < 3; k++) {
                    changes.publish(k, System.nanoTime());
                    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/api/sessions/s1/stream/quality")).PUT(HttpRequest.BodyPublishers.ofString(
                                    "{\"quality\":\"" + changes.preset(k) + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(put.statusCode()).isEqualTo(200);
                    assertThat(subscribers.awaitDelivered(changes, k, Duration.ofSeconds(10))).isTrue();
                }
                assertThat(changes.segmentDelivered(0)).isEqualTo(18);
                assertThat(changes.skipped.sum() + changes.unmatched.sum() + changes.repeats.sum()).isZero();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // --- the subscribers against a small SSE server ------------------------------------------------------------------

    private static String event(long version, String preset) {
        return "event: stream\nid: " + version + "\ndata: {\"version\":" + version + ",\"status\":\"live\","
                + "\"quality\":{\"preset\":\"" + preset + "\"}}\n\n";
    }

    @Test
    void subscribersReceiveEveryChangeSplitAcrossWrites() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                if (!request.path().equals("/events")) {
                    request.response().setStatusCode(404).end();
                    return;
                }
                HttpServerResponse response = request.response().setChunked(true)
                        .putHeader("Content-Type", "text/event-stream");
                response.write(": hello\n\n" + event(1, "720p"));
                streams.add(response);
            });
            int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10,
                    TimeUnit.SECONDS).actualPort();
            try (StreamSubscribers subscribers = new StreamSubscribers(vertx, port, "/events", 5, 2, 1);
                    StreamSubscribers refused = new StreamSubscribers(vertx, port, "/missing", 1, 1, 1)) {
                StreamSubscribers.OpenOutcome open = subscribers.open(Duration.ofSeconds(10));
                assertThat(open.ready()).isEqualTo(5);
                assertThat(open.initialPresets()).containsEntry("720p", 5L);
                assertThat(subscribers.contentType()).isEqualTo("text/event-stream");
                assertThat(refused.open(Duration.ofSeconds(10)).failures()).containsEntry("status 404", 1L);

                QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 4));
                subscribers.track(changes);
                changes.publish(0, System.nanoTime());
                vertx.runOnContext(v -> streams.forEach(s -> s.write(event(2, changes.preset(0)))));
                assertThat(subscribers.awaitDelivered(changes, 0, Duration.ofSeconds(10))).isTrue();
                int measured = changes.startSegment();
                for (int k = 1; k < changes.size(); k++) {
                    changes.publish(k, System.nanoTime());
                    String text = event(2 + k, changes.preset(k));
                    int cut = k * 7 % text.length();
                    vertx.runOnContext(v -> streams.forEach(s -> {
                        s.write(text.substring(0, cut));
                        s.write(text.substring(cut));
                    }));
                    assertThat(subscribers.awaitDelivered(changes, k, Duration.ofSeconds(10))).isTrue();
                }
                assertThat(changes.segmentDelivered(measured)).isEqualTo(15);
                assertThat(changes.skipped.sum() + changes.unmatched.sum() + changes.repeats.sum()).isZero();
                assertThat(changes.version(3)).isEqualTo(5);
                assertThat(subscribers.connected()).isEqualTo(5);

                vertx.runOnContext(v -> streams.getFirst().end());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (subscribers.connected() == 5 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(subscribers.dropped()).containsEntry("stream ended by the server", 1L);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
