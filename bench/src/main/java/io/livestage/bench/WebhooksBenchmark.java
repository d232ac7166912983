package io.livestage.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import livekit.LivekitModels;
import org.HdrHistogram.Histogram;

import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;

/**
 * {@code ./bench/run webhooks}: how fast token-service acknowledges LiveKit webhooks (verify signature and body hash,
 * record the id, commit the outbox row, answer). LiveKit's sender retries slow receivers, so the goal is an
 * acknowledgement well under 100 ms. Signed by the LiveKit contract stub exactly as LiveKit signs them.
 */
final class WebhooksBenchmark {
    static final double GOAL_ACK_P99_MS = 100;

    record WebhooksSettings(int warmup, int count, int concurrency, Path report, StackJars stack) {
        static WebhooksSettings from(String[] args, Map<String, String> env) {
            Knobs knobs = Knobs.parse(args, env);
            WebhooksSettings settings = new WebhooksSettings(knobs.integer("warmup", 500), knobs.integer("count", 2_000),
                    knobs.integer("concurrency", 8), knobs.root().resolve(knobs.string("report", "docs/benchmarks/webhooks.md")),
                    StackJars.from(knobs));
            knobs.finish();
            Knobs.require(settings.count >= 100 && settings.count <= 100_000, "count must be 100..100000");
            Knobs.require(settings.warmup >= 0 && settings.warmup <= 100_000, "warmup must be 0..100000");
            Knobs.require(settings.concurrency >= 1 && settings.concurrency <= 64, "concurrency must be 1..64");
            return settings;
        }

        Duration budget() {
            return Duration.ofMinutes(8);
        }
    }

    private final WebhooksSettings settings;

    WebhooksBenchmark(WebhooksSettings settings) {
        this.settings = settings;
    }

    /** Returns {console, markdown}. */
    String[] run() throws Exception {
        List<String> notes = new ArrayList<>();
        try (LiveStack stack = LiveStack.start("webhooks", settings.stack(), notes)) {
            String url = stack.tokenService.url() + "/webhooks/livekit";
            LiveKitStub signer = stack.livekit;
            Harness.log("warm-up: " + settings.warmup() + " webhooks");
            send(signer, url, settings.warmup(), 1);
            Histogram sequential = send(signer, url, settings.count(), 1);
            Histogram concurrent = send(signer, url, settings.count(), settings.concurrency());
            return render(sequential, concurrent, notes);
        }
    }

    /** Sends {@code count} distinct signed participant_joined webhooks from {@code threads} senders; any non-200 fails. */
    private static Histogram send(LiveKitStub signer, String url, int count, int threads) throws Exception {
        Histogram latency = new Histogram(60_000_000L, 3);
        LivekitModels.Room room = LivekitModels.Room.newBuilder().setSid("RM_bench").setName(UUID.randomUUID().toString()).build();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                senders.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        LivekitModels.ParticipantInfo participant = LivekitModels.ParticipantInfo.newBuilder()
                                .setSid("PA_" + i).setIdentity("u-" + i)
                                .setState(LivekitModels.ParticipantInfo.State.ACTIVE).build();
                        var event = LiveKitWebhooks.participantJoined(room, participant);
                        long start = System.nanoTime();
                        int status = signer.sendWebhook(url, event);
                        long micros = (System.nanoTime() - start) / 1_000;
                        if (status != 200) {
                            throw new IllegalStateException("webhook answered " + status);
                        }
                        synchronized (latency) {
                            latency.recordValue(micros);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return latency;
    }

    private String[] render(Histogram sequential, Histogram concurrent, List<String> notes) {
        Table table = new Table("senders", "webhooks", "p50 ms", "p99 ms", "p99.9 ms", "max ms").textColumns(1);
        table.row("1 (sequential)", sequential.getTotalCount(), Report.ms(sequential, 50), Report.ms(sequential, 99),
                Report.ms(sequential, 99.9), Report.maxMs(sequential));
        table.row(settings.concurrency() + " concurrent", concurrent.getTotalCount(), Report.ms(concurrent, 50),
                Report.ms(concurrent, 99), Report.ms(concurrent, 99.9), Report.maxMs(concurrent));
        double p99 = Report.percentileMs(sequential, 99);
        double concurrentP99 = Report.percentileMs(concurrent, 99);
        StringBuilder md = new StringBuilder("# Benchmark: webhooks\n\n");
        md.append("Written by `./bench/run webhooks`; one run on a shared, noisy machine.\n\n");
        md.append(Harness.machineSection(Harness.machine(), Harness.loadAverage()));
        md.append("## Method\n\n");
        md.append("- token-service and session-service run as processes on real Kafka and PostgreSQL (bench LiveStack); "
                + "the LiveKit contract stub signs each webhook as LiveKit does (raw JWT in Authorization, sha256 of the "
                + "body, 5 min expiry) and POSTs it to `/webhooks/livekit`.\n");
        md.append("- Latency = request sent → response read, per webhook, each with a new id (so each is accepted: "
                + "verified, id recorded, outbox row committed, 200). Warm-up: " + settings.warmup()
                + " webhooks, not measured.\n");
        md.append("- Phases: " + settings.count() + " webhooks from 1 sender, then " + settings.count() + " from "
                + settings.concurrency() + " concurrent senders.\n");
        notes.forEach(n -> md.append("- ").append(n).append('\n'));
        md.append("\n## Goal\n\n| goal | target | measured | met |\n|---|---|---|---|\n");
        md.append("| acknowledgement p99 (sequential) | ≤ 100 ms | ").append(Report.withUnit(p99, " ms")).append(" | ")
                .append(Report.met(p99, GOAL_ACK_P99_MS)).append(" |\n");
        md.append("| acknowledgement p99 (" + settings.concurrency() + " concurrent) | ≤ 100 ms | ")
                .append(Report.withUnit(concurrentP99, " ms")).append(" | ").append(Report.met(concurrentP99, GOAL_ACK_P99_MS))
                .append(" |\n\n## Results\n\n").append(table.markdown()).append('\n');
        String result = "RESULT ack_p99_ms=" + Report.number(p99) + " concurrent_ack_p99_ms=" + Report.number(concurrentP99);
        md.append(result).append('\n');
        return new String[] { table.text() + result + "\n", md.toString() };
    }
}
