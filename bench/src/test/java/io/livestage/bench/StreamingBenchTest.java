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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingBenchTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");
    private static final String[] ROOT = { "--root=" + Path.of(".").toAbsolutePath() };

    // --- settings ----------------------------------------------------------------------------------------------------

    @Test
    void settingsDefaultsAndKnobs() {
        StreamingSettings defaults = StreamingSettings.from(ROOT, Map.of());
        assertThat(defaults.phases()).containsExactlyInAnyOrder("sse", "hls");
        assertThat(defaults.subscribers()).isEqualTo(2_000);
        assertThat(defaults.changes()).isEqualTo(50);
        assertThat(defaults.interval()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.hlsConnections()).isEqualTo(32);
        assertThat(defaults.hlsDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.report().toString()).endsWith("docs/benchmarks/streaming.md");
        assertThat(defaults.budget()).isLessThan(Duration.ofMinutes(25));

        StreamingSettings given = StreamingSettings.from(new String[] { "--subscribers=100", "--interval=1.5s",
                "--phases=hls" }, Map.of("BENCH_CHANGES", "7", "BENCH_SUBSCRIBERS", "5"));
        assertThat(given.subscribers()).as("the argument wins").isEqualTo(100);
        assertThat(given.changes()).isEqualTo(7);
        assertThat(given.interval()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(given.runs("sse")).isFalse();
        assertThat(StreamingSettings.interval("250")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void settingsRefuseUnboundedOrUnknownRuns() {
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--interval=fast" }, Map.of()))
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--changes=1000", "--interval=60s" }, Map.of()))
                .hasMessageContaining("900 s");
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--warmup-changes=0" }, Map.of()))
                .hasMessageContaining("warmup-changes");
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--phases=sse,dash" }, Map.of()))
                .hasMessageContaining("phases");
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--segment-min-kib=500",
                "--segment-max-kib=400" }, Map.of())).hasMessageContaining("segment-min-kib");
        assertThatThrownBy(() -> StreamingSettings.from(new String[] { "--viewers=10" }, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- SSE parsing -------------------------------------------------------------------------------------------------

    private static List<SseParser.Event> parse(String stream, int chunk) {
        List<SseParser.Event> events = new ArrayList<>();
        SseParser parser = new SseParser(events::add);
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += chunk) {
            parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return events;
    }

    @Test
    void sseEventsSurviveAnySplitIntoChunks() {
        String stream = "\uFEFF: comment\r\nevent: stream\r\nid: 7\r\ndata: {\"version\":7}\r\n\r\n"
                + "event:stream\rid:8\rdata:{\"a\":1,\r\rdata: \"ü\":2}\r\r"
                + "data: plain\n\n";
        List<SseParser.Event> expected = List.of(new SseParser.Event("stream", "7", "{\"version\":7}"),
                new SseParser.Event("stream", "8", "{\"a\":1,"), new SseParser.Event("message", "8", "\"ü\":2}"),
                new SseParser.Event("message", "8", "plain"));
        for (int chunk = 1; chunk <= stream.length() + 1; chunk++) {
            assertThat(parse(stream, chunk)).as("chunks of %d bytes", chunk).isEqualTo(expected);
        }
    }

    @Test
    void sseDataLinesJoinAndEventsWithoutDataAreNotDispatched() {
        assertThat(parse("data: a\ndata:  b\ndata\n\nevent: stream\nid: 3\n\nretry: 10\ndata:c\n\ndata: unterminated",
                4)).containsExactly(new SseParser.Event("message", "", "a\n b\n"),
                        new SseParser.Event("message", "3", "c"));
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
        return new org.HdrHistogram.Histogram(OpStats.HIGHEST_MICROS, 3).valuesAreEquivalent(a, b);
    }

    @Test
    void eventsAreMatchedToTheEarliestSentChangeWithTheirPreset() {
        QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 5), 1);
        QualityChanges.Cursor a = new QualityChanges.Cursor();
        QualityChanges.Cursor b = new QualityChanges.Cursor();
        a.lastVersion = b.lastVersion = 10;

        assertThat(changes.onEvent(a, new StreamStatus(11, "1080p"), 5)).as("nothing sent yet").isEqualTo(-1);
        changes.publish(0, 1_000_000);
        assertThat(changes.onEvent(a, new StreamStatus(12, "1080p"), 3_000_000)).isZero();
        assertThat(changes.onEvent(a, new StreamStatus(12, "1080p"), 3_000_000)).as("a repeat").isEqualTo(-1);
        assertThat(changes.onEvent(b, new StreamStatus(12, "1080p"), 4_000_000)).isZero();
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

        assertThat(changes.warm().getTotalCount()).as("change 0 is the warm-up").isEqualTo(2);
        assertThat(equivalent(changes.warm().getMaxValue(), 3_000)).isTrue();
        assertThat(changes.measured().getTotalCount()).isEqualTo(3);
        assertThat(a.measuredSeen).isEqualTo(2);
        assertThat(equivalent(changes.perChange(1).getMaxValue(), 20_000)).isTrue();
        assertThat(equivalent(changes.perChange(2).getMinValue(), 5_000)).isTrue();
        assertThat(changes.delivered(2)).isEqualTo(2);
        assertThat(changes.version(2)).isEqualTo(14);
        assertThat(changes.inconsistentVersions.sum()).isEqualTo(1);
        assertThat(changes.repeats.sum()).isEqualTo(1);
        assertThat(changes.unmatched.sum()).isEqualTo(1);
        assertThat(changes.skipped.sum()).isEqualTo(1);
        assertThat(changes.measuredDelivered()).isEqualTo(3);
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
            int port = freePort();
            HlsFloorServer.deploy(vertx, port, dir, 1).toCompletionStage().toCompletableFuture().get(10,
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

    // --- the subscribers against a small SSE server ------------------------------------------------------------------

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

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

                QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 4), 1);
                subscribers.track(changes);
                for (int k = 0; k < changes.size(); k++) {
                    changes.publish(k, System.nanoTime());
                    String text = event(2 + k, changes.preset(k));
                    int cut = k * 7 % text.length();
                    vertx.runOnContext(v -> streams.forEach(s -> {
                        s.write(text.substring(0, cut));
                        s.write(text.substring(cut));
                    }));
                    assertThat(subscribers.awaitDelivered(changes, k, Duration.ofSeconds(10))).isTrue();
                }
                assertThat(changes.measuredDelivered()).isEqualTo(15);
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

    // --- the report --------------------------------------------------------------------------------------------------

    private static RecordingBenchmark.Window window(String target, int round, long ok, long micros) {
        OpStats stats = new OpStats("segment");
        for (int i = 0; i < ok; i++) {
            stats.success(micros * 1_000);
        }
        return new RecordingBenchmark.Window(target, round,
                new ClosedLoop.Result(target, ok, ok, 0, Duration.ofSeconds(1), Map.of("segment", stats)));
    }

    /** 100 subscribers, 1 warm-up + 10 measured changes: 99 % of the events after 20 ms, subscriber 0 after 150 ms. */
    private static StreamingBenchmark.SseOutcome sse(int lostBySubscriber0) {
        QualityChanges changes = new QualityChanges(QualityChanges.plan("720p", 11), 1);
        List<QualityChanges.Cursor> cursors = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            QualityChanges.Cursor cursor = new QualityChanges.Cursor();
            cursor.lastVersion = 1;
            cursors.add(cursor);
        }
        for (int k = 0; k < 11; k++) {
            long sent = k * 1_000_000_000L;
            changes.publish(k, sent);
            changes.responded(k, 200, sent + 3_000_000);
            for (int s = 0; s < 100; s++) {
                if (s == 0 && k >= 11 - lostBySubscriber0) {
                    continue;
                }
                changes.onEvent(cursors.get(s), new StreamStatus(2 + k, changes.preset(k)),
                        sent + (s == 0 ? 150_000_000L : 20_000_000L));
            }
        }
        StreamSubscribers.OpenOutcome open = new StreamSubscribers.OpenOutcome(100, 0, 0, 800,
                new org.HdrHistogram.Histogram(OpStats.HIGHEST_MICROS, 3), Map.of(), Map.of("720p", 100L));
        org.HdrHistogram.Histogram put = new org.HdrHistogram.Histogram(OpStats.HIGHEST_MICROS, 3);
        put.recordValue(3_000);
        CpuMeter.Usage idle = new CpuMeter.Usage(5, Map.of("recording-service", 0.02), 0.1, 0, 0.3, 2, Map.of());
        CpuMeter.Usage busy = new CpuMeter.Usage(10, Map.of("recording-service", 0.12), 0.4, 0, 0.8, 2, Map.of());
        return new StreamingBenchmark.SseOutcome(null, open, "text/event-stream", changes, 100, 0, put, Map.of(),
                Map.of(), 0, 0, 0, idle, busy, List.of("an sse note"));
    }

    private static StreamingBenchmark.HlsOutcome hls() throws IOException {
        HlsSegments segments = new HlsSegments("bench.m3u8", List.of("a.ts", "b.ts"), List.of(300_000L, 200_000L));
        StreamingBenchmark.Probe probe = new StreamingBenchmark.Probe(true, "application/vnd.apple.mpegurl",
                "video/mp2t", "public, max-age=86400", "*");
        return new StreamingBenchmark.HlsOutcome(null, segments, "bench/target/streaming/storage/hls/s1",
                List.of(window(StreamingReport.HLS_SERVICE, 1, 950, 4_000), window(StreamingReport.HLS_PEER, 1, 1_000,
                        3_000), window(StreamingReport.HLS_SERVICE, 2, 850, 4_000),
                        window(StreamingReport.HLS_PEER, 2, 1_000, 3_000)), null, null, probe, probe, List.of());
    }

    @Test
    void reportOfBothParts() throws IOException {
        StreamingSettings settings = StreamingSettings.from(ROOT, Map.of());
        StreamingReport report = new StreamingReport(MACHINE, settings, "s1", sse(0), hls(), "stack",
                List.of("a note"), "");
        String markdown = report.markdown();

        // 1,000 measured pairs: 990 at 20 ms, 10 at 150 ms; the p99 is the 990th value (HdrHistogram: 20.02 ms, the
        // top of its bucket)
        assertThat(markdown.lines().toList().getLast()).isEqualTo("RESULT status_p99_ms=20.02 hls_ratio=0.90");
        assertThat(report.roundRatios()).containsExactly(0.95, 0.85);
        assertThat(markdown)
                .contains("| quality change sent → event at each of 2000 subscribers, p99 | ≤ 100 ms | 20.02 ms "
                        + "| met |")
                .contains("| lost status events | 0 | 0 | met |")
                .contains("| HLS segment requests/s, service ÷ plain Vert.x StaticHandler | ≥ 0.9 | 0.90 | met |")
                .contains("| measured (subscriber, change) pairs | 1000 | 20.02 | 20.02 | 150.02 | 150.02 |")
                .contains("| lost | 0 |")
                // 0.12 cores over 10 s for 10 changes = 120,000 µs; net of 0.02 idle: 100,000 µs; per event / 100
                .contains("| µs per change | 120000.00 |")
                .contains("| µs per change, net of the idle rate | 100000.00 |")
                .contains("| µs per delivered event, net of the idle rate | 1000.00 |")
                .contains("| segment Content-Type | video/mp2t | video/mp2t |")
                .contains("| 10 | 1080p | 12 | 200 | 3.00 | 100 | 20.00 | 20.02 | 20.02 | 150.02 |")
                .contains("- an sse note").contains("- a note");
        assertThat(report.console()).endsWith("RESULT status_p99_ms=20.02 hls_ratio=0.90\n");
    }

    @Test
    void lostEventsFailTheGoalAndSkippedPartsReportNotAvailable() throws IOException {
        StreamingSettings settings = StreamingSettings.from(ROOT, Map.of());
        StreamingReport lossy = new StreamingReport(MACHINE, settings, "s1", sse(3), hls(), "stack", List.of(), "");
        assertThat(lossy.markdown()).contains("| lost status events | 0 | 3 | NOT met |").contains("| lost | 3 |")
                .contains("3 of 1000 expected deliveries never arrived");

        StreamingReport skipped = new StreamingReport(MACHINE, settings, "s1",
                StreamingBenchmark.SseOutcome.skip("endpoint not available (404): GET /api/sessions/s1/stream "
                        + "answered 404"),
                StreamingBenchmark.HlsOutcome.skip("endpoint not available (404): GET /hls/s1/bench.m3u8 answered "
                        + "404"), "stack", List.of(), "");
        String markdown = skipped.markdown();
        assertThat(markdown.lines().toList().getLast()).isEqualTo("RESULT status_p99_ms=n/a hls_ratio=n/a");
        assertThat(markdown).contains("Skipped: endpoint not available (404): GET /api/sessions/s1/stream")
                .contains("Skipped: endpoint not available (404): GET /hls/s1/bench.m3u8")
                .contains("| skipped (404) | not measured |");
        assertThat(skipped.console()).contains("sse: endpoint not available (404)");
    }
}
