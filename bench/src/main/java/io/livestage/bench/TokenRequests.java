package io.livestage.bench;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * The requests of the tokens benchmark: a user (bearer token) asks for a token to one of the live sessions. Each
 * (user, session) pair is joined once for the first time, then rejoined: with probability {@code firstJoinShare} the
 * next request is the first join of a pair never asked before (taken from a shuffled list of all pairs; session-service
 * then inserts the participant and emits participant.joined), otherwise a rejoin of a pair whose first join succeeded
 * (a participant already present: session-service reads and changes nothing). The share stays what it was set to for
 * the whole run, so that windows compare; when no pair is left to join for the first time, rejoins stand in and are
 * counted ({@link #exhausted()}).
 */
final class TokenRequests {
    static final String TOKEN_FIRST = "POST /api/tokens, first join";
    static final String TOKEN_REJOIN = "POST /api/tokens, rejoin";
    static final String JOIN_FIRST = "POST /api/sessions/{id}/join, first join";
    static final String JOIN_REJOIN = "POST /api/sessions/{id}/join, rejoin";

    private final List<String> bearers;
    private final List<String> users;
    private final List<String> sessions;
    private final double firstJoinShare;
    private final int[] unseen;
    private final AtomicInteger nextUnseen = new AtomicInteger();
    private final AtomicIntegerArray joined;
    private final AtomicInteger joinedCount = new AtomicInteger();
    private final AtomicLong exhausted = new AtomicLong();

    TokenRequests(List<String> bearers, List<String> users, List<String> sessions, double firstJoinShare, long seed) {
        if (bearers.size() != users.size() || users.isEmpty() || sessions.isEmpty()) {
            throw new IllegalArgumentException("one bearer per user, at least one user and one session");
        }
        this.bearers = List.copyOf(bearers);
        this.users = List.copyOf(users);
        this.sessions = List.copyOf(sessions);
        this.firstJoinShare = firstJoinShare;
        int pairs = Math.multiplyExact(users.size(), sessions.size());
        unseen = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            unseen[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(seed);
        for (int i = pairs - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = unseen[i];
            unseen[i] = unseen[j];
            unseen[j] = t;
        }
        joined = new AtomicIntegerArray(pairs);
    }

    /** {@code POST /api/tokens {"session": id}} to token-service. */
    LoadRequest.Source tokens() {
        return random -> next(random, true);
    }

    /**
     * The component alone: {@code POST /api/sessions/{id}/join {"name": user}} to session-service, as token-service
     * sends it (same bearer, same name), from the same pairs.
     */
    LoadRequest.Source joins() {
        return random -> next(random, false);
    }

    /** For the loopback floor: token requests of random pairs, which change nothing here. */
    LoadRequest.Source floor() {
        return random -> {
            int pair = random.nextInt(unseen.length);
            return tokenRequest(TOKEN_REJOIN, pair, null);
        };
    }

    /** Call with every successful request: a first join's pair becomes a candidate for rejoins. */
    void succeeded(LoadRequest request) {
        if (request.context() instanceof Integer pair) {
            joined.set(joinedCount.getAndIncrement(), pair + 1); // +1: 0 means "not written yet"
        }
    }

    /** Pairs whose first join succeeded. */
    int joinedPairs() {
        return joinedCount.get();
    }

    int pairs() {
        return unseen.length;
    }

    /** Requests that were to be first joins but found no pair left (rejoins were sent instead). */
    long exhausted() {
        return exhausted.get();
    }

    private LoadRequest next(RandomGenerator random, boolean token) {
        int known = joinedCount.get();
        boolean first = known == 0 || random.nextDouble() < firstJoinShare;
        if (first) {
            int index = nextUnseen.getAndIncrement();
            if (index < unseen.length) {
                int pair = unseen[index];
                return token ? tokenRequest(TOKEN_FIRST, pair, pair) : joinRequest(JOIN_FIRST, pair, pair);
            }
            exhausted.incrementAndGet();
            if (known == 0) {
                throw new IllegalStateException("no (user, session) pair left and none joined");
            }
        }
        int pair;
        do {
            pair = joined.get(random.nextInt(known)) - 1;
        } while (pair < 0); // a slot being written by another event loop
        return token ? tokenRequest(TOKEN_REJOIN, pair, null) : joinRequest(JOIN_REJOIN, pair, null);
    }

    private LoadRequest tokenRequest(String op, int pair, Integer context) {
        String session = sessions.get(pair % sessions.size());
        return new LoadRequest(op, HttpMethod.POST, "/api/tokens", bearers.get(pair / sessions.size()),
                Buffer.buffer("{\"session\":\"" + session + "\"}"), context);
    }

    private LoadRequest joinRequest(String op, int pair, Integer context) {
        String session = sessions.get(pair % sessions.size());
        int user = pair / sessions.size();
        return new LoadRequest(op, HttpMethod.POST, "/api/sessions/" + session + "/join", bearers.get(user),
                Buffer.buffer("{\"name\":\"" + users.get(user) + "\"}"), context);
    }
}
