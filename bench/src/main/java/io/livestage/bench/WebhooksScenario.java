package io.livestage.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import livekit.LivekitModels;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Knee;
import io.livestage.bench.core.Knobs;
import io.livestage.bench.core.OpenLoop;
import io.livestage.bench.core.Report;
import io.livestage.bench.core.Run;
import io.livestage.bench.core.Scenario;
import io.livestage.bench.core.Sweep;
import io.livestage.bench.core.Table;
import io.livestage.testing.livekit.LiveKitStub;
import io.livestage.testing.livekit.LiveKitWebhooks;
import io.livestage.testing.service.ServiceProcess;

/**
 * {@code ./bench/run webhooks}: how fast token-service acknowledges LiveKit webhooks (verify the signature and body
 * hash, record the id, commit the outbox row, answer 200); LiveKit's sender retries slow receivers.
 */
public final class WebhooksScenario implements Scenario {
    private final List<Double> rates;
    private final Duration step;
    private final double goalMillis;
    private final int senders;
    private final Sweep sweep;
    private final double warmupRate;

    public WebhooksScenario(Knobs k) {
        rates = k.decimals("rates", "100,250,500,1000,1500,2000,3000");
        step = k.duration("step", "8s");
        goalMillis = k.decimal("goal-ms", 100);
        senders = k.integer("senders", 64);
        sweep = new Sweep(k, "5s", "120s");
        warmupRate = k.decimal("warmup-rate", 200);
        Knobs.require(senders > 0, "senders must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(240).plus(sweep.warmupCap).plus(step.plusSeconds(12).multipliedBy(rates.size()));
    }

    @Override
    public Report run(Run run) throws Exception {
        LiveKitStub livekit = run.own(LiveKitStub.start());
        run.describe("LiveKit: the testing module's LiveKitStub in the harness JVM, signing the webhooks");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> Run.livekit(b, livekit)
                .env("SESSION_SERVICE_URL", session.url()));
        List<Cpu.Proc> procs = run.procs(token.database(), true, Cpu.Proc.of(token));
        Cpu cpu = new Cpu(procs);
        String url = token.url() + "/webhooks/livekit";
        LivekitModels.Room room = LivekitModels.Room.newBuilder().setSid("RM_bench")
                .setName(UUID.randomUUID().toString()).build();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        run.own(pool::shutdownNow);
        long[] next = {0};
        OpenLoop.Op send = seq -> {
            long id;
            synchronized (next) {
                id = next[0]++;
            }
            return CompletableFuture.supplyAsync(() -> {
                LivekitModels.ParticipantInfo participant = LivekitModels.ParticipantInfo.newBuilder()
                        .setSid("PA_" + id).setIdentity("u-" + id)
                        .setState(LivekitModels.ParticipantInfo.State.ACTIVE).build();
                int status = livekit.sendWebhook(url, LiveKitWebhooks.participantJoined(room, participant));
                if (status != 200) {
                    throw new OpenLoop.Failure("webhook answered " + status);
                }
                return (String) null;
            }, pool);
        };
        Sweep.Load webhooks = Sweep.open(send, senders, Duration.ofSeconds(10));
        Report report = Report.load("webhooks");
        sweep.measuring(cpu).warmup(report, "", new Cpu(procs.subList(0, 1)), warmupRate, Map.of("webhooks",
                webhooks));
        Knee.Step knee = sweep.knee(report, "", webhooks, rates, goalMillis, step, "webhooks");
        report.put("senders", senders).put("goal_ms", Table.f(goalMillis, 0)).put("errors", sweep.errors());
        report.result("webhooks_rps", Sweep.rate(knee))
                .result("ack_p99_ms", Table.plain(sweep.steps.getFirst().load().p99Millis(), 2))
                .result("knee_ack_p99_ms", knee == null ? "n/a" : Table.plain(knee.load().p99Millis(), 2));
        return report;
    }
}
