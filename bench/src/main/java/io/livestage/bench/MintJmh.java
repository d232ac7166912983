package io.livestage.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;
import org.openjdk.jmh.util.Version;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.TokenMinter;

/**
 * Runs {@link TokenMintBenchmark} with JMH from the harness, one fork per round so that the minter and the SDK
 * alternate (A B A B): JMH runs the benchmarks of one round in order, each in a fresh JVM, and the rounds follow each
 * other. Scores and errors pool the measurement iterations of every round, as JMH pools forks.
 */
final class MintJmh {
    static final String MINTER = "minter";
    static final String SDK = "sdk";
    static final String SDK_TO_JWT = "sdkToJwtOnly";

    /** One benchmark over all rounds: mean ops/s, its 99.9 % confidence half-width, iterations, mean per round. */
    record Score(String benchmark, double mean, double error, long iterations, List<Double> perRound) {
    }

    record Outcome(Map<String, Score> scores, int forks, int warmupIterations, int iterations,
            Duration iterationTime, List<String> jvmArgs, String jmhVersion, String claimsCheck, Duration took) {
        /** Minter ops/s ÷ SDK (build + toJwt) ops/s. */
        double ratio() {
            Score minter = scores.get(MINTER);
            Score sdk = scores.get(SDK);
            return minter == null || sdk == null || sdk.mean() <= 0 ? Double.NaN : minter.mean() / sdk.mean();
        }

        /** The ratio in each round. */
        List<Double> ratioPerRound() {
            List<Double> ratios = new ArrayList<>();
            Score minter = scores.get(MINTER);
            Score sdk = scores.get(SDK);
            if (minter == null || sdk == null) {
                return ratios;
            }
            for (int i = 0; i < Math.min(minter.perRound().size(), sdk.perRound().size()); i++) {
                ratios.add(minter.perRound().get(i) / sdk.perRound().get(i));
            }
            return ratios;
        }
    }

    private MintJmh() {
    }

    static Outcome run(TokensSettings settings, Path logDirectory) throws Exception {
        long start = System.nanoTime();
        String claims = claimsCheck();
        Harness.log("JMH: " + claims);
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms512m", "-Xmx512m"));
        if (Runtime.version().feature() >= 24) {
            jvmArgs.add("--sun-misc-unsafe-memory-access=allow");
        }
        Files.createDirectories(logDirectory);
        Map<String, List<Double>> iterations = new LinkedHashMap<>();
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        for (int round = 1; round <= settings.jmhForks(); round++) {
            Path log = logDirectory.resolve("jmh-round-" + round + ".log");
            Harness.log("JMH round " + round + "/" + settings.jmhForks() + ": minter, sdk, sdkToJwtOnly, one fork each ("
                    + settings.jmhWarmupIterations() + " + " + settings.jmhIterations() + " iterations of "
                    + settings.jmhIterationTime().toMillis() + " ms; JMH output in " + log + ")");
            Options options = new OptionsBuilder()
                    .include("^" + Pattern.quote(TokenMintBenchmark.class.getName()) + "\\.")
                    .forks(1)
                    .threads(1)
                    .warmupIterations(settings.jmhWarmupIterations())
                    .warmupTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
                    .measurementIterations(settings.jmhIterations())
                    .measurementTime(TimeValue.milliseconds(settings.jmhIterationTime().toMillis()))
                    .jvmArgs(jvmArgs.toArray(String[]::new))
                    .shouldFailOnError(true)
                    .output(log.toString())
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult result : results) {
                String name = result.getParams().getBenchmark();
                name = name.substring(name.lastIndexOf('.') + 1);
                ListStatistics round1 = new ListStatistics();
                for (BenchmarkResult fork : result.getBenchmarkResults()) {
                    for (IterationResult iteration : fork.getIterationResults()) {
                        double score = iteration.getPrimaryResult().getScore();
                        iterations.computeIfAbsent(name, n -> new ArrayList<>()).add(score);
                        round1.addValue(score);
                    }
                }
                perRound.computeIfAbsent(name, n -> new ArrayList<>()).add(round1.getMean());
                Harness.log(String.format(Locale.ROOT, "JMH round %d: %-12s %,.0f ops/s", round, name,
                        round1.getMean()));
            }
        }
        Map<String, Score> scores = new LinkedHashMap<>();
        for (String name : List.of(MINTER, SDK, SDK_TO_JWT)) {
            List<Double> values = iterations.get(name);
            if (values == null) {
                continue;
            }
            ListStatistics statistics = new ListStatistics();
            values.forEach(statistics::addValue);
            double error = statistics.getN() > 2 ? statistics.getMeanErrorAt(0.999) : Double.NaN;
            scores.put(name, new Score(name, statistics.getMean(), error, statistics.getN(), perRound.get(name)));
        }
        return new Outcome(scores, settings.jmhForks(), settings.jmhWarmupIterations(), settings.jmhIterations(),
                settings.jmhIterationTime(), jvmArgs, Version.getPlainVersion(),
                claims, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Mints one token each way with the benchmark's inputs and compares the payloads: every claim must be equal,
     * except {@code nbf}/{@code exp}, which may differ by the second that can pass between the two.
     */
    static String claimsCheck() {
        TokenMintBenchmark inputs = new TokenMintBenchmark();
        inputs.setUp();
        LiveKitPermissions.Rights rights = LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.VIDEO);
        String ours = new TokenMinter(TokenMintBenchmark.API_KEY, TokenMintBenchmark.API_SECRET).mint(
                inputs.identities[0], inputs.names[0], inputs.metadata, inputs.room, rights, Instant.now(),
                TokenMintBenchmark.TTL_SECONDS);
        String sdk = TokenMintBenchmark.sdkToken(inputs.identities[0], inputs.names[0], inputs.metadata, inputs.room,
                rights).toJwt();
        JsonObject a = payload(ours);
        JsonObject b = payload(sdk);
        List<String> differences = new ArrayList<>();
        TreeSet<String> claims = new TreeSet<>(a.fieldNames());
        claims.addAll(b.fieldNames());
        for (String claim : claims) {
            Object x = a.getValue(claim);
            Object y = b.getValue(claim);
            if (claim.equals("sip") && x == null && y instanceof JsonObject sip && sip.isEmpty()) {
                continue; // the SDK always writes an empty SIP grant; it grants nothing
            }
            if ((claim.equals("nbf") || claim.equals("exp")) && x instanceof Number n && y instanceof Number m) {
                if (Math.abs(n.longValue() - m.longValue()) > 1) {
                    differences.add(claim + " " + x + " vs " + y);
                }
            } else if (x == null ? y != null : !x.equals(y)) {
                differences.add(claim + ": minter " + x + ", SDK " + y);
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException("TokenMinter and the SDK disagree on the claims: " + differences
                    + " — the comparison would be unfair");
        }
        claims.remove("sip");
        return "claims were checked equal before measuring (" + String.join(", ", claims) + "; nbf/exp within 1 s; "
                + "the SDK adds an empty \"sip\":{} grant): " + a.encode();
    }

    private static JsonObject payload(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
