package io.livestage.bench;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishData;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanSubscribe;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionKind;
import io.livestage.token.livekit.LiveKitPermissions;
import io.livestage.token.livekit.TokenMinter;

/**
 * JMH (run by {@code ./bench/run tokens}, never by the build): one LiveKit access token for a GUEST of a VIDEO session,
 * as token-service mints it ({@link TokenMinter#mint}) and as the official SDK does ({@code new AccessToken(...)},
 * the same identity, name, metadata, room, grants, ttl and not-before, {@code toJwt()}). Identities rotate over 64
 * users so that nothing is a constant; {@code now} is read per token in both, as a service does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenMintBenchmark {
    static final String API_KEY = "APIbench7Kq2";
    /** As long as the secrets LiveKit generates (32 random bytes, base64). */
    static final String API_SECRET = "k3v9x2qaZp8Lr4Wn6Ty1Ub5Hc0Jd7Fe3Gs9Mi2Ao4Qx";
    /** token-service's default livekit.token-ttl (6 h). */
    static final long TTL_SECONDS = 6 * 3600;
    private static final int USERS = 64;

    final String[] identities = new String[USERS];
    final String[] names = new String[USERS];
    final AccessToken[] prebuilt = new AccessToken[USERS];
    String room;
    String metadata;
    LiveKitPermissions.Rights rights;
    TokenMinter minter;
    int next;

    @Setup
    public void setUp() {
        room = UUID.nameUUIDFromBytes("bench-room".getBytes()).toString();
        metadata = "{\"role\":\"" + ParticipantRole.GUEST + "\",\"sessionId\":\"" + room + "\"}";
        rights = LiveKitPermissions.of(ParticipantRole.GUEST, SessionKind.VIDEO);
        minter = new TokenMinter(API_KEY, API_SECRET);
        for (int i = 0; i < USERS; i++) {
            identities[i] = String.format("bench-user-%04d", i);
            names[i] = "Guest " + i;
            prebuilt[i] = sdkToken(identities[i], names[i], metadata, room, rights);
        }
    }

    /** token-service's minter: header encoded once, HMAC keyed once per thread, claims written to one buffer. */
    @Benchmark
    public String minter() {
        int i = next++ & (USERS - 1);
        return minter.mint(identities[i], names[i], metadata, room, rights, Instant.now(), TTL_SECONDS);
    }

    /** The SDK as an application uses it per token: build the AccessToken with its grants, then toJwt(). */
    @Benchmark
    public String sdk() {
        int i = next++ & (USERS - 1);
        return sdkToken(identities[i], names[i], metadata, room, rights).toJwt();
    }

    /** The SDK's toJwt() alone, on AccessTokens built beforehand (where the SDK's time goes). */
    @Benchmark
    public String sdkToJwtOnly() {
        int i = next++ & (USERS - 1);
        return prebuilt[i].toJwt();
    }

    /** The SDK's AccessToken with the claims {@link TokenMinter#mint} writes for the same arguments. */
    static AccessToken sdkToken(String identity, String name, String metadata, String room,
            LiveKitPermissions.Rights rights) {
        AccessToken token = new AccessToken(API_KEY, API_SECRET);
        token.setIdentity(identity);
        token.setName(name);
        token.setMetadata(metadata);
        token.setTtl(TimeUnit.SECONDS.toMillis(TTL_SECONDS)); // the SDK's ttl is in milliseconds
        token.setNotBefore(new Date()); // TokenMinter writes nbf = now; the SDK only when asked
        List<String> sources = rights.sources();
        token.addGrants(new RoomJoin(true), new RoomName(room), new CanPublish(rights.canPublish()),
                new CanSubscribe(rights.canSubscribe()), new CanPublishData(rights.canPublishData()),
                new CanPublishSources(sources));
        return token;
    }
}
