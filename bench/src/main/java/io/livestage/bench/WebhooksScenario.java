package io.livestage.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import io.livestage.bench.core.Steps;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
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
    private final double jitThreshold;
    private final double warmupRate;
    private final Duration warmupWindow;
    private final Duration warmupCap;

    public WebhooksScenario(Knobs k) {
        rates = k.decimals("rates", "100,250,500,1000,1500,2000,3000");
        step = k.duration("step", "8s");
        goalMillis = k.decimal("goal-ms", 100);
        senders = k.integer("senders", 64);
        jitThreshold = k.decimal("jit-threshold", 0.05);
        warmupRate = k.decimal("warmup-rate", 200);
        warmupWindow = k.duration("warmup-window", "5s");
        warmupCap = k.duration("warmup-cap", "120s");
        Knobs.require(senders > 0, "senders must be positive");
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(240).plus(warmupCap).plus(step.plusSeconds(12).multipliedBy(rates.size()));
    }

    @Override
    public Report run(Run run) throws Exception {
        LiveKitStub livekit = run.own(LiveKitStub.start());
        run.describe("LiveKit: the testing module's LiveKitStub in the harness JVM, signing the webhooks");
        ServiceProcess session = run.service("session-service", b -> b);
        ServiceProcess token = run.service("token-service", b -> b
                .env("LIVEKIT_URL", livekit.url().replace("http://", "ws://"))
                .env("LIVEKIT_API_KEY", livekit.apiKey()).env("LIVEKIT_API_SECRET", livekit.apiSecret())
                .env("SESSION_SERVICE_URL", session.url()));
        List<Cpu.Proc> procs = new ArrayList<>(List.of(new Cpu.Proc("token-service", token.pid())));
        run.postgresProc(token.database()).ifPresent(procs::add);
        procs.add(new Cpu.Proc("kafka", run.kafka().pid()));
        procs.add(Cpu.Proc.self("harness"));
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
        Duration drain = Duration.ofSeconds(10);
        Warmup.Outcome warm = Warmup.run(new Cpu(procs.subList(0, 1)), jitThreshold, warmupWindow, warmupCap,
                w -> OpenLoop.run("warm-up", warmupRate, w, senders, drain, send));
        List<Knee.Step> steps = Knee.sweep(rates, goalMillis, rate -> Steps.measured(cpu, rate,
                () -> OpenLoop.run("webhooks", rate, step, senders, drain, send)));
        Knee.Step knee = Knee.headline(steps, goalMillis).orElse(null);
        Report report = Report.load("webhooks");
        report.put("senders", senders).put("warmup", warm.summary()).put("warmup_table", Warmup.table(warm))
                .put("goal_ms", Table.f(goalMillis, 0))
                .put("sweep", Steps.sweep(steps, procs.stream().map(Cpu.Proc::name).toList(), goalMillis))
                .put("knee", knee == null ? "no step met the goal" : Table.f(knee.offered(), 0) + " webhooks/s (p99 "
                        + Table.f(knee.load().p99Millis(), 1) + " ms, token-service "
                        + Table.f(knee.cpuMicrosPerOp("token-service"), 0) + " µs CPU per webhook)")
                .put("errors", Steps.errors(steps.stream().map(Knee.Step::load).toList()));
        Knee.Step first = steps.getFirst();
        report.result("webhooks_rps", knee == null ? "0" : Table.plain(knee.offered(), 0))
                .result("ack_p99_ms", Table.plain(first.load().p99Millis(), 2))
                .result("knee_ack_p99_ms", knee == null ? "n/a" : Table.plain(knee.load().p99Millis(), 2));
        return report;
    }
}
