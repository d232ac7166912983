package io.livestage.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenRequestsTest {
    private static final List<String> USERS = List.of("u1", "u2", "u3", "u4");
    private static final List<String> BEARERS = List.of("t1", "t2", "t3", "t4");
    private static final List<String> SESSIONS = List.of("s1", "s2", "s3");

    @Test
    void firstJoinsNeverRepeatAPairAndRejoinsOnlyPairsThatSucceeded() {
        TokenRequests requests = new TokenRequests(BEARERS, USERS, SESSIONS, 0.5, 1);
        LoadRequest.Source tokens = requests.tokens();
        SplittableRandom random = new SplittableRandom(7);
        Set<String> firstJoined = new HashSet<>();
        int firsts = 0;
        int rejoins = 0;
        for (int i = 0; i < 200; i++) {
            LoadRequest request = tokens.next(random);
            String pair = request.bearer() + " " + request.body().toString();
            assertThat(request.uri()).isEqualTo("/api/tokens");
            assertThat(request.body().toString()).matches("\\{\"session\":\"s[123]\"}");
            if (request.op().equals(TokenRequests.TOKEN_FIRST)) {
                assertThat(firstJoined.add(pair)).as("first join of %s twice", pair).isTrue();
                firsts++;
                requests.succeeded(request);
            } else {
                assertThat(request.op()).isEqualTo(TokenRequests.TOKEN_REJOIN);
                assertThat(firstJoined).contains(pair);
                rejoins++;
            }
        }
        assertThat(firsts).isEqualTo(12); // every pair, once
        assertThat(rejoins).isEqualTo(188);
        assertThat(requests.joinedPairs()).isEqualTo(12);
        assertThat(requests.exhausted()).isPositive();
    }

    @Test
    void keepsTheFirstJoinShare() {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            users.add("u" + i);
        }
        TokenRequests requests = new TokenRequests(users, users, SESSIONS, 0.3, 1);
        LoadRequest.Source joins = requests.joins();
        SplittableRandom random = new SplittableRandom(3);
        int firsts = 0;
        for (int i = 0; i < 2_000; i++) {
            LoadRequest request = joins.next(random);
            assertThat(request.uri()).matches("/api/sessions/s[123]/join");
            assertThat(request.body().toString()).isEqualTo("{\"name\":\"" + request.bearer() + "\"}");
            if (request.op().equals(TokenRequests.JOIN_FIRST)) {
                firsts++;
            }
            requests.succeeded(request);
        }
        assertThat(firsts / 2_000.0).isBetween(0.27, 0.33);
    }

    @Test
    void theFloorSourceChangesNothing() {
        TokenRequests requests = new TokenRequests(BEARERS, USERS, SESSIONS, 1.0, 1);
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 100; i++) {
            requests.succeeded(requests.floor().next(random));
        }
        assertThat(requests.joinedPairs()).isZero();
        assertThat(requests.tokens().next(random).op()).isEqualTo(TokenRequests.TOKEN_FIRST);
    }
}
