package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatFanoutTest {
    private static final Report.Machine MACHINE = new Report.Machine(2, "Test CPU", "Test JDK 25", "Linux", "abc1234",
            "2026-01-01T00:00:00Z");

    @Test
    void defaultsAreTenThousandViewersAndAboveTheGoal() {
        ChatFanoutSettings settings = ChatFanoutSettings.from(new String[0], Map.of());

        assertThat(settings.viewers()).isEqualTo(10_000);
        assertThat(settings.rooms()).isEqualTo(104);
        assertThat(settings.publishers()).isEqualTo(100 * 2 + 4 * 8);
        assertThat(settings.offeredMessagesPerSecond()).isEqualTo(240);
        // 100 × 40 × 1 + 4 × 1500 × 35: above the 200,000 deliveries/s goal, so that meeting it means keeping up
        assertThat(settings.offeredDeliveriesPerSecond()).isEqualTo(214_000);
        assertThat(settings.offeredDeliveriesPerSecond()).isGreaterThan(ChatFanoutReport.GOAL_DELIVERIES);
        assertThat(settings.systems()).containsExactly(ChatFanoutSettings.CHAT, ChatFanoutSettings.SOCKETIO,
                ChatFanoutSettings.FLOOR);
        assertThat(settings.rounds()).isEqualTo(2);
        assertThat(settings.window()).isEqualTo(Duration.ofSeconds(12));
        assertThat(settings.sweep()).containsExactly(2.0);
        assertThat(settings.chatInstances()).isEqualTo(2);
        assertThat(settings.socketioInstances()).isEqualTo(2);
        assertThat(settings.report().toString()).endsWith("docs/benchmarks/chat-fanout.md");
        assertThat(settings.budget()).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(60));
        assertThat(settings.command()).isEqualTo("./bench/run chat-fanout");
    }

    @Test
    void knobsComeFromArgumentsThenEnvironment() {
        ChatFanoutSettings settings = ChatFanoutSettings.from(new String[] { "--large-viewers=1000", "--sweep=none",
                "--chat-instances=1" }, Map.of("BENCH_LARGE_VIEWERS", "10", "BENCH_SMALL_RATE", "0.5",
                        "BENCH_FLOOR", "false", "BENCH_SIGNED_IN_VIEWERS", "no"));

        assertThat(settings.largeViewers()).isEqualTo(1_000);
        assertThat(settings.smallRate()).isEqualTo(0.5);
        assertThat(settings.sweep()).isEmpty();
        assertThat(settings.chatInstances()).isEqualTo(1);
        assertThat(settings.floor()).isFalse();
        assertThat(settings.signedInViewers()).isFalse();
        assertThat(settings.systems()).containsExactly(ChatFanoutSettings.CHAT, ChatFanoutSettings.SOCKETIO);
        assertThat(settings.command()).isEqualTo("./bench/run chat-fanout --large-viewers=1000 --sweep=none "
                + "--chat-instances=1");
    }

    @Test
    void rejectsTyposAndRunsThatCannotFit() {
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--large-viewer=10" }, Map.of()))
                .hasMessageContaining("Unknown argument");
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--large-viewers=5000" }, Map.of()))
                .hasMessageContaining("must be 1..15000");
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--chat-instances=0",
                "--socketio-instances=0" }, Map.of())).hasMessageContaining("cannot both be 0");
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--sweep=2,x" }, Map.of()))
                .hasMessageContaining("sweep");
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--floor=maybe" }, Map.of()))
                .hasMessageContaining("floor must be true or false");
        assertThatThrownBy(() -> ChatFanoutSettings.from(new String[] { "--duration=3", "--rounds=5" }, Map.of()))
                .hasMessageContaining("duration / rounds");
    }

    @Test
    void readsTheSendTimeOfBothProtocols() {
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"chat.message\",\"v\":1,\"message\":{\"id\":\"x\","
                + "\"text\":\"t=123456789 r3\",\"seq\":4}}"))).isEqualTo(123_456_789L);
        assertThat(FanoutClient.sendTime(Buffer.buffer("42[\"chat\",{\"id\":\"1-2\",\"text\":\"t=42 r0\"}]")))
                .isEqualTo(42L);
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"chat.ack\",\"clientMessageId\":\"m1-2\"}")))
                .isZero();
        assertThat(FanoutClient.sendTime(Buffer.buffer("{\"type\":\"presence\",\"text\":\"t=\"}"))).isZero();
        assertThat(FanoutClient.field("{\"type\":\"error\",\"v\":1,\"code\":\"not_found\"}", "code"))
                .isEqualTo("not_found");
        assertThat(FanoutClient.field("{}", "code")).isEqualTo("?");
    }

    private static FanoutClient.WindowStats stats(long deliveries, long expected, long... latencyMicros) {
        FanoutClient.WindowStats s = new FanoutClient.WindowStats();
        s.deliveries = deliveries;
        s.expected = expected;
        s.sent = 100;
        s.acks = 100;
        for (long v : latencyMicros) {
            s.latency.recordValue(v);
        }
        return s;
    }

    private static FanoutClient.ConnectOutcome connected() {
        Histogram h = new Histogram(OpStats.HIGHEST_MICROS, 3);
        h.recordValue(2_000);
        return new FanoutClient.ConnectOutcome(10_232, 0, 20_000, h, Map.of(), 3);
    }

    @Test
    void reportGivesTheResultLineGoalsAndSaturation() {
        ChatFanoutSettings settings = ChatFanoutSettings.from(new String[] { "--sweep=2" }, Map.of());
        List<ChatFanoutBenchmark.WindowResult> windows = new ArrayList<>();
        String chat = ChatFanoutSettings.CHAT;
        String io = ChatFanoutSettings.SOCKETIO;
        windows.add(new ChatFanoutBenchmark.WindowResult(chat, 1, "round 1", 1, 20,
                stats(4_200_000, 4_280_000, 5_000, 10_000, 30_000)));
        windows.add(new ChatFanoutBenchmark.WindowResult(io, 1, "round 1", 1, 20, stats(1_000_000, 4_280_000, 2_000_000)));
        windows.add(new ChatFanoutBenchmark.WindowResult(chat, 2, "round 2", 1, 20,
                stats(4_200_000, 4_280_000, 5_000, 10_000, 30_000)));
        FanoutClient.WindowStats failing = stats(1_000_000, 4_280_000, 2_000_000);
        failing.errors.put("viewer: closed by the server", 2L);
        windows.add(new ChatFanoutBenchmark.WindowResult(io, 2, "round 2", 1, 20, failing));
        windows.add(new ChatFanoutBenchmark.WindowResult(chat, 2, "sweep ×2", 2, 6, stats(1_500_000, 2_568_000, 900_000)));
        List<ChatFanoutBenchmark.ConnectResult> connects = List.of(
                new ChatFanoutBenchmark.ConnectResult(chat, 1, connected(), 0),
                new ChatFanoutBenchmark.ConnectResult(io, 1, connected(), 0));

        ChatFanoutReport report = new ChatFanoutReport(MACHINE, settings, windows, connects, Map.of(), Map.of(),
                Map.of(chat, Duration.ofSeconds(30)), Map.of(io, Map.of("viewer: engine.io close", 1L)), List.of("chat-service's database, measured: x"), "stack",
                List.of("a note"), "");
        String markdown = report.markdown();

        // 8.4M deliveries in 40 s = 210,000/s; Socket.IO 2M in 40 s = 50,000/s; ratio 4.2
        assertThat(report.deliveriesPerSecond()).isEqualTo(210_000);
        assertThat(report.ratio()).isEqualTo(4.2);
        assertThat(markdown.lines().toList().getLast()).isEqualTo(report.resultLine());
        // the p99 of {5, 10, 30} ms with 3 significant digits is the top of 30 ms's bucket
        assertThat(report.resultLine()).isEqualTo("RESULT deliveries_per_s=210000 p99_ms=30.02 ratio_vs_socketio=4.20");
        assertThat(markdown).startsWith("# Benchmark: chat-fanout\n\nWritten by `./bench/run chat-fanout --sweep=2`")
                .contains("| chat-service deliveries/s to viewers (measured windows) | ≥ 200,000 | 210,000 | met |")
                .contains("| chat-service publish → receive p99 | ≤ 50 ms | 30.02 ms | met |")
                .contains("| chat-service ÷ Socket.IO deliveries/s (same run, same load) | ≥ 3× | 4.20× | met |")
                .contains("| chat-service | round 1 | 20 | 214,000 | 210,000 | 98.1 % |")
                .contains("| chat-service (sweep ×2) | 428,000 | 250,000 | 900.10 | NO |");
        assertThat(markdown).contains("| Socket.IO | round 2 | viewer: closed by the server | 2 |")
                .contains("| Socket.IO | outside the windows (connecting, warm-up, drain) | viewer: engine.io close | 1 |")
                .contains("| chat-service | 1 | 10232 | 0 | 20.00 | 512 | 2.00 | 2.00 | 3 | 0 |")
                .contains("- a note")
                .contains("- chat-service's database, measured: x.")
                .contains("chat-service acknowledged 200 chat.send frames in its measured windows for 200 sent");
        assertThat(report.capacity(chat)).isEqualTo(210_000);
        assertThat(report.capacity(io)).isNaN();
    }

    @Test
    void resultSaysWhatWasNotMeasured() {
        ChatFanoutSettings settings = ChatFanoutSettings.from(new String[] { "--chat-instances=0", "--floor=false" },
                Map.of());
        List<ChatFanoutBenchmark.WindowResult> windows = List.of(new ChatFanoutBenchmark.WindowResult(
                ChatFanoutSettings.SOCKETIO, 1, "round 1", 1, 10, stats(500_000, 500_000, 1_000)));

        ChatFanoutReport report = new ChatFanoutReport(MACHINE, settings, windows, List.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), List.of(), "stack", List.of(), "");

        assertThat(report.resultLine()).isEqualTo("RESULT deliveries_per_s=n/a p99_ms=n/a ratio_vs_socketio=n/a");
        assertThat(report.markdown()).contains("| chat-service deliveries/s to viewers (measured windows) | ≥ 200,000 | "
                + "n/a | not measured |");
    }
}
