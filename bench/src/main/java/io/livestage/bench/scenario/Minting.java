package io.livestage.bench.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishData;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import io.vertx.core.json.JsonObject;

import io.livestage.bench.core.Cpu;
import io.livestage.bench.core.Log;
import io.livestage.bench.core.Stats;
import io.livestage.bench.core.Table;
import io.livestage.bench.core.Warmup;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.TokenMinter;

/**
 * Token minting in the harness JVM, one thread, before anything else runs: token-service's {@link TokenMinter} (A)
 * against the LiveKit SDK as an application uses it per token, {@code new AccessToken(...)} with the same claims then
 * {@code toJwt()} (B).
 */
final class Minting {
    static final String API_KEY = "APIbench7Kq2";
    /** As long as the secrets LiveKit generates (32 random bytes, base64). */
    static final String API_SECRET = "k3v9x2qaZp8Lr4Wn6Ty1Ub5Hc0Jd7Fe3Gs9Mi2Ao4Qx";
    /** token-service's default livekit.token-ttl (6 h). */
    static final long TTL_SECONDS = 6 * 3600;
    private static final int USERS = 64;

    record Outcome(Warmup.Outcome warmup, List<Double> minterPerSecond, List<Double> sdkPerSecond, String claims) {
        List<Double> ratios() {
            List<Double> r = new ArrayList<>();
            for (int i = 0; i < minterPerSecond.size(); i++) {
                r.add(minterPerSecond.get(i) / sdkPerSecond.get(i));
            }
            return r;
        }

        Table table() {
            Table t = new Table("round", "TokenMinter tokens per CPU s", "SDK tokens per CPU s", "ratio",
                    "TokenMinter µs/token", "SDK µs/token");
            for (int i = 0; i < minterPerSecond.size(); i++) {
                t.row(i + 1, Table.f(minterPerSecond.get(i), 0), Table.f(sdkPerSecond.get(i), 0),
                        Table.f(ratios().get(i), 2), Table.f(1e6 / minterPerSecond.get(i), 2),
                        Table.f(1e6 / sdkPerSecond.get(i), 2));
            }
            return t;
        }
    }

    private final String[] identities = new String[USERS];
    private final String[] names = new String[USERS];
    private final String room = UUID.nameUUIDFromBytes("bench-room".getBytes(StandardCharsets.UTF_8)).toString();
    private final String metadata = "{\"role\":\"" + ParticipantRole.GUEST + "\",\"sessionId\":\"" + room + "\"}";
    private final LiveKitPermissions.Rights rights = LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.VIDEO);
    private final TokenMinter minter = new TokenMinter(API_KEY, API_SECRET);
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long sink;

    Minting() {
        for (int i = 0; i < USERS; i++) {
            identities[i] = String.format("bench-user-%04d", i);
            names[i] = "Guest " + i;
        }
    }

    Outcome run(int rounds, Duration window, double jitThreshold, Duration warmupCap) {
        String claims = claimsCheck();
        Cpu harness = new Cpu(List.of(Cpu.Proc.self("harness")));
        Warmup.Outcome warm = Warmup.run(harness, jitThreshold, window.multipliedBy(2), warmupCap, w -> {
            perCpuSecond(true, w.dividedBy(2));
            perCpuSecond(false, w.dividedBy(2));
        });
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            a.add(perCpuSecond(true, window));
            b.add(perCpuSecond(false, window));
            Log.info("minting round %d/%d: TokenMinter %.0f/CPU s, SDK %.0f/CPU s", round, rounds, a.getLast(),
                    b.getLast());
        }
        Log.info("minting ratio %s (sink %d)", Stats.of(new Outcome(warm, a, b, claims).ratios()).format("%.2f"), sink);
        return new Outcome(warm, a, b, claims);
    }

    /** Tokens per CPU second of this thread over a window of wall time. */
    private double perCpuSecond(boolean ours, Duration window) {
        long end = System.nanoTime() + window.toNanos();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long count = 0;
        long local = 0;
        while (System.nanoTime() < end) {
            for (int k = 0; k < 64; k++) {
                int i = (int) (count++ & (USERS - 1));
                String jwt = ours
                        ? minter.mint(identities[i], names[i], metadata, room, rights, Instant.now(), TTL_SECONDS)
                        : sdkToken(identities[i], names[i]).toJwt();
                local += jwt.charAt(jwt.length() - 1) + jwt.length();
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        sink += local;
        return count / (cpu / 1e9);
    }

    /** The SDK's AccessToken with the claims {@link TokenMinter#mint} writes for the same arguments. */
    private AccessToken sdkToken(String identity, String name) {
        AccessToken token = new AccessToken(API_KEY, API_SECRET);
        token.setIdentity(identity);
        token.setName(name);
        token.setMetadata(metadata);
        token.setTtl(TimeUnit.SECONDS.toMillis(TTL_SECONDS)); // the SDK's ttl is in milliseconds
        token.setNotBefore(new Date()); // TokenMinter writes nbf = now; the SDK only when asked
        token.addGrants(new RoomJoin(true), new RoomName(room), new CanPublish(rights.canPublish()),
                new CanSubscribe(rights.canSubscribe()), new CanPublishData(rights.canPublishData()),
                new CanPublishSources(rights.sources()));
        return token;
    }

    /**
     * One token each way compared claim by claim (nbf/exp within the second that may pass between them; the SDK's empty
     * "sip" grant grants nothing): a difference would make the comparison unfair and fails the run.
     */
    String claimsCheck() {
        JsonObject a = payload(minter.mint(identities[0], names[0], metadata, room, rights, Instant.now(), TTL_SECONDS));
        JsonObject b = payload(sdkToken(identities[0], names[0]).toJwt());
        TreeSet<String> claims = new TreeSet<>(a.fieldNames());
        claims.addAll(b.fieldNames());
        List<String> differences = new ArrayList<>();
        for (String claim : claims) {
            Object x = a.getValue(claim);
            Object y = b.getValue(claim);
            if (claim.equals("sip") && x == null && y instanceof JsonObject sip && sip.isEmpty()) {
                continue;
            }
            boolean time = (claim.equals("nbf") || claim.equals("exp")) && x instanceof Number n && y instanceof Number m
                    && Math.abs(n.longValue() - m.longValue()) <= 1;
            if (!time && (x == null ? y != null : !x.equals(y))) {
                differences.add(claim + ": minter " + x + ", SDK " + y);
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException("TokenMinter and the SDK disagree on the claims: " + differences);
        }
        claims.remove("sip");
        return String.join(", ", claims);
    }

    private static JsonObject payload(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
