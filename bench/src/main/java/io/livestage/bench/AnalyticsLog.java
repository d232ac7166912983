package io.livestage.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.livestage.bench.core.Knobs;
import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;

/**
 * A synthetic but realistic log of {@code livestage.session} and {@code livestage.chat} for the analytics benchmark:
 * {@code sessions} ended sessions of 20 to 60 minutes, started over the day before, each with {@code session.started}
 * and {@code session.ended} on the session topic and, on the chat topic, {@code viewer.presence} JOINED/LEFT pairs of
 * its connections (the host's own first, then viewers: 80 % signed in, drawn from a pool of 0.7 × connections users so
 * some reconnect, 20 % anonymous), {@code chat.message} and {@code chat.reaction} bursts, in the proportions of {@link
 * Mix}.
 */
final class AnalyticsLog {
    /** Events of one kind in one session are indexed with 20 bits. */
    static final int MAX_EVENTS_PER_SESSION = 1 << 20;
    private static final int KIND_SESSION = 0;
    private static final int KIND_PRESENCE = 1;
    private static final int KIND_MESSAGE = 2;
    private static final int KIND_REACTION = 3;
    private static final int INDEX_BITS = 20;
    private static final int CODE_BITS = 22;
    private static final String[] DEVICES = { "desktop", "mobile", "tablet", "tv" };
    private static final String[] REGIONS = { "DE", "FR", "US", "GB", "ES", "IT", "NL", "BR", "IN", "JP", null };
    private static final String[] TEXTS = { "hello from the back row", "great point!", "can you repeat the last part?",
        "👏👏👏", "what tool is that on the slide?", "audio is fine here", "agreed", "thanks, this is really helpful",
        "first time here, hi all", "+1" };
    private static final String[] REACTIONS = { "heart", "clap", "laugh", "fire" };
    static final String SESSION_SOURCE = "/livestage/session-service";
    static final String CHAT_SOURCE = "/livestage/chat-service";

    /** Relative weights of the chat-topic events (presence events come in JOINED/LEFT pairs). */
    record Mix(int presence, int message, int reaction) {
        static final Mix DEFAULT = new Mix(40, 50, 10);

        Mix {
            Knobs.require(presence >= 0 && message >= 0 && reaction >= 0 && presence + message + reaction > 0,
                    "mix weights must be >= 0, not all 0");
        }

        /** {@code presence=40,message=50,reaction=10} (any order; a kind left out weighs 0). */
        static Mix parse(String text) {
            Map<String, Integer> weights = new LinkedHashMap<>();
            for (String part : text.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] pair = part.split("=", 2);
                String name = pair[0].trim().toLowerCase(Locale.ROOT);
                if (pair.length != 2 || !List.of("presence", "message", "reaction").contains(name)) {
                    throw new IllegalArgumentException("mix must be like presence=40,message=50,reaction=10, was '"
                            + text + "'");
                }
                try {
                    weights.put(name, Integer.parseInt(pair[1].trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("mix weight of " + name + " must be a whole number");
                }
            }
            return new Mix(weights.getOrDefault("presence", 0), weights.getOrDefault("message", 0),
                    weights.getOrDefault("reaction", 0));
        }

        @Override
        public String toString() {
            return "presence=" + presence + ",message=" + message + ",reaction=" + reaction;
        }
    }

    /** What a correct reader must find for one session. */
    record Expected(String session, String host, long viewers, long messages, long reactions) {
    }

    /** The whole log by kind; {@code viewers} is the sum over sessions of their unique viewers. */
    record Totals(long events, long sessionEvents, long presenceEvents, long messages, long reactionEvents,
            long reactions, long viewers, long connections) {
        long chatEvents() {
            return presenceEvents + messages + reactionEvents;
        }
    }

    /** One session: its window, its connections, messages and reactions, and its events sorted by time. */
    private static final class Plan {
        String id;
        String host;
        long start;
        long end;
        String[] connectionIds;
        String[] users; // null: anonymous
        ParticipantRole[] roles;
        String[] devices;
        String[] regions;
        long[] joinedAt;
        long[] leftAt; // -1: no LEFT (open until the end of the window)
        int[] messageAuthors;
        int[][] reactionCounts;
        long[] events; // (time << CODE_BITS) | (kind << INDEX_BITS) | index, sorted
        long viewers;
        long reactions;
        SessionSnapshot active;
        SessionSnapshot ended;
        int cursor;
        long chatSequence;
    }

    private final CloudEventCodec codec = new CloudEventCodec();
    private final List<Plan> plans;
    private final Totals totals;
    private final long seed;

    AnalyticsLog(long seed, int sessions, long events, Mix mix, Instant now) {
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        plans = new ArrayList<>(sessions);
        long nowMs = now.toEpochMilli();
        long sessionEvents = 0;
        long presence = 0;
        long messages = 0;
        long reactionEvents = 0;
        long reactions = 0;
        long viewers = 0;
        long connections = 0;
        for (int i = 0; i < sessions; i++) {
            int n = (int) (events / sessions + (i < events % sessions ? 1 : 0));
            Plan plan = plan(random, i, n, mix, nowMs);
            plans.add(plan);
            sessionEvents += 2;
            connections += plan.connectionIds.length;
            for (long left : plan.leftAt) {
                presence += left >= 0 ? 2 : 1;
            }
            messages += plan.messageAuthors.length;
            reactionEvents += plan.reactionCounts.length;
            reactions += plan.reactions;
            viewers += plan.viewers;
        }
        totals = new Totals(sessionEvents + presence + messages + reactionEvents, sessionEvents, presence, messages,
                reactionEvents, reactions, viewers, connections);
    }

    private static UUID uuid(SplittableRandom random) {
        // a version-4 UUID from the seeded generator
        long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static Plan plan(SplittableRandom random, int index, int n, Mix mix, long nowMs) {
        Plan p = new Plan();
        p.id = uuid(random).toString();
        p.host = "bench-host-" + (index % 200);
        long duration = 20 * 60_000L + random.nextLong(40 * 60_000L);
        // started within the day before, ended at least an hour ago
        p.start = nowMs - 60 * 60_000L - duration - random.nextLong(24 * 60 * 60_000L);
        p.end = p.start + duration;
        int rest = n - 2;
        int weights = mix.presence() + mix.message() + mix.reaction();
        int presence = (int) Math.round((double) rest * mix.presence() / weights);
        int reactionEvents = (int) Math.round((double) rest * mix.reaction() / weights);
        if (presence + reactionEvents > rest) {
            reactionEvents = rest - presence;
        }
        int messages = rest - presence - reactionEvents;
        int connections = (presence + 1) / 2;
        p.connectionIds = new String[connections];
        p.users = new String[connections];
        p.roles = new ParticipantRole[connections];
        p.devices = new String[connections];
        p.regions = new String[connections];
        p.joinedAt = new long[connections];
        p.leftAt = new long[connections];
        int pool = Math.max(1, (int) (connections * 0.7));
        Set<String> viewers = new HashSet<>();
        long window = p.end - p.start;
        for (int c = 0; c < connections; c++) {
            p.connectionIds[c] = uuid(random).toString();
            boolean host = c == 0 && connections >= 2;
            boolean anonymous = !host && random.nextInt(5) == 0;
            p.users[c] = host ? p.host : anonymous ? null : "viewer-" + random.nextInt(pool);
            p.roles[c] = host ? ParticipantRole.HOST : ParticipantRole.VIEWER;
            p.devices[c] = DEVICES[random.nextInt(DEVICES.length)];
            p.regions[c] = REGIONS[random.nextInt(REGIONS.length)];
            // a non-empty interval inside [start, end): joined at >= start + 1 s, left >= 1 s later, before the end
            long joined = host ? p.start + 1_000 : p.start + 1_000 + random.nextLong(window - 3_000);
            p.joinedAt[c] = joined;
            boolean left = 2 * c + 1 < presence;
            p.leftAt[c] = left ? joined + 1_000 + random.nextLong(p.end - joined - 1_000) : -1;
            if (!host) {
                viewers.add(anonymous ? "anonymous:" + p.connectionIds[c] : p.users[c]);
            }
        }
        p.viewers = viewers.size();
        p.messageAuthors = new int[messages];
        for (int m = 0; m < messages; m++) {
            p.messageAuthors[m] = random.nextInt(pool);
        }
        p.reactionCounts = new int[reactionEvents][];
        for (int r = 0; r < reactionEvents; r++) {
            int[] counts = new int[REACTIONS.length];
            counts[random.nextInt(REACTIONS.length)] += 1 + random.nextInt(8);
            if (random.nextBoolean()) {
                counts[random.nextInt(REACTIONS.length)] += 1 + random.nextInt(3);
            }
            p.reactionCounts[r] = counts;
            p.reactions += Arrays.stream(counts).sum();
        }
        long[] events = new long[n];
        int e = 0;
        events[e++] = code(p.start, KIND_SESSION, 0);
        events[e++] = code(p.end, KIND_SESSION, 1);
        for (int c = 0; c < connections; c++) {
            events[e++] = code(p.joinedAt[c], KIND_PRESENCE, 2 * c);
            if (p.leftAt[c] >= 0) {
                events[e++] = code(p.leftAt[c], KIND_PRESENCE, 2 * c + 1);
            }
        }
        for (int m = 0; m < messages; m++) {
            events[e++] = code(p.start + 1 + random.nextLong(window - 1), KIND_MESSAGE, m);
        }
        for (int r = 0; r < reactionEvents; r++) {
            events[e++] = code(p.start + 1 + random.nextLong(window - 1_000), KIND_REACTION, r);
        }
        if (e != n) {
            throw new IllegalStateException("planned " + e + " events of session " + index + ", not " + n);
        }
        Arrays.sort(events);
        // session.ended last, whatever else shares its millisecond: nothing is after the end
        p.events = events;
        Instant startedAt = Instant.ofEpochMilli(p.start);
        Instant endedAt = Instant.ofEpochMilli(p.end);
        SessionSettings settings = new SessionSettings(500, true, true, 6, true, true, false, false, false, false);
        p.active = new SessionSnapshot(p.id, p.id.substring(0, 8), "Bench session " + index, null, p.host,
                "space-" + (index % 20), SessionKind.AUDIO, SessionVisibility.PUBLIC, SessionStatus.ACTIVE, null,
                startedAt, null, startedAt.minusSeconds(3_600), settings);
        p.ended = new SessionSnapshot(p.id, p.id.substring(0, 8), "Bench session " + index, null, p.host,
                "space-" + (index % 20), SessionKind.AUDIO, SessionVisibility.PUBLIC, SessionStatus.ENDED, null,
                startedAt, endedAt, startedAt.minusSeconds(3_600), settings);
        return p;
    }

    private static long code(long time, int kind, int index) {
        return (time << CODE_BITS) | ((long) kind << INDEX_BITS) | index;
    }

    Totals totals() {
        return totals;
    }

    int sessions() {
        return plans.size();
    }

    long seed() {
        return seed;
    }

    Expected expected(int session) {
        Plan p = plans.get(session);
        return new Expected(p.id, p.host, p.viewers, p.messageAuthors.length, p.reactions);
    }

    /**
     * Every record of the log, in event-time order across sessions (the session's own events in their order), to {@code
     * sink}; returns how many.
     */
    long produce(Consumer<ProducerRecord<String, byte[]>> sink) {
        SplittableRandom ids = new SplittableRandom(seed ^ 0x5DEECE66DL);
        // (time of the session's next event, session index), smallest first
        PriorityQueue<long[]> next = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        for (int i = 0; i < plans.size(); i++) {
            Plan p = plans.get(i);
            p.cursor = 0;
            p.chatSequence = 0;
            next.add(new long[] { p.events[0] >>> CODE_BITS, i });
        }
        long produced = 0;
        while (!next.isEmpty()) {
            long[] head = next.poll();
            Plan p = plans.get((int) head[1]);
            long event = p.events[p.cursor++];
            sink.accept(record(p, event, uuid(ids).toString()));
            produced++;
            if (p.cursor < p.events.length) {
                head[0] = p.events[p.cursor] >>> CODE_BITS;
                next.add(head);
            }
        }
        return produced;
    }

    private ProducerRecord<String, byte[]> record(Plan p, long event, String id) {
        Instant at = Instant.ofEpochMilli(event >>> CODE_BITS);
        int kind = (int) ((event >>> INDEX_BITS) & 0x3);
        int index = (int) (event & (MAX_EVENTS_PER_SESSION - 1));
        return switch (kind) {
            case KIND_SESSION -> index == 0
                    ? encode(Topics.SESSION, SESSION_SOURCE, id, p.id, at, 1, new SessionStarted(p.active))
                    : encode(Topics.SESSION, SESSION_SOURCE, id, p.id, at, 2,
                            new SessionEnded(p.ended, (p.end - p.start) / 1000));
            case KIND_PRESENCE -> {
                int c = index / 2;
                boolean joined = index % 2 == 0;
                yield encode(Topics.CHAT, CHAT_SOURCE, id, p.id, at, ++p.chatSequence, new ViewerPresence(p.id,
                        p.connectionIds[c], joined ? ViewerPresence.PresenceChange.JOINED
                                : ViewerPresence.PresenceChange.LEFT, p.users[c], p.users[c] == null, p.roles[c],
                        p.devices[c], p.regions[c], at, joined ? null : (p.leftAt[c] - p.joinedAt[c]) / 1000));
            }
            case KIND_MESSAGE -> {
                long seq = ++p.chatSequence;
                String author = "viewer-" + p.messageAuthors[index];
                yield encode(Topics.CHAT, CHAT_SOURCE, id, p.id, at, seq, new ChatMessagePosted(id, seq, p.id,
                        new ChatAuthor(author, "Name " + author, ParticipantRole.VIEWER),
                        TEXTS[(index + p.messageAuthors[index]) % TEXTS.length], null, at));
            }
            default -> {
                int[] counts = p.reactionCounts[index];
                Map<String, Long> map = new LinkedHashMap<>();
                long total = 0;
                for (int r = 0; r < counts.length; r++) {
                    if (counts[r] > 0) {
                        map.put(REACTIONS[r], (long) counts[r]);
                        total += counts[r];
                    }
                }
                yield encode(Topics.CHAT, CHAT_SOURCE, id, p.id, at, ++p.chatSequence, new ChatReactionBurst(p.id, at,
                        at.plusMillis(250), map, total));
            }
        };
    }

    <T> ProducerRecord<String, byte[]> encode(String topic, String source, String id, String session, Instant at,
            long sequence, T data) {
        EventType type = EventType.forPayload(data.getClass());
        return codec.encode(topic, new CloudEvent<>(id, type.typeName(), source, session, at, sequence, null,
                type.schemaUri(), data));
    }

    /** A session of the live part: started a minute before the measurement, its host, its chat messages. */
    static final class LiveSession {
        final String id;
        final String host;
        final Instant startedAt;
        private final AnalyticsLog log;
        private final SessionSnapshot snapshot;
        private long chatSequence;

        LiveSession(AnalyticsLog log, UUID id, int index, Instant startedAt) {
            this.log = log;
            this.id = id.toString();
            this.host = "bench-live-host-" + index;
            this.startedAt = startedAt;
            this.snapshot = new SessionSnapshot(this.id, this.id.substring(0, 8), "Bench live session " + index, null,
                    host, "space-live", SessionKind.AUDIO, SessionVisibility.PUBLIC, SessionStatus.ACTIVE, null,
                    startedAt, null, startedAt.minusSeconds(600), new SessionSettings(500, true, true, 6, true, true,
                            false, false, false, false));
        }

        ProducerRecord<String, byte[]> started() {
            return log.encode(Topics.SESSION, SESSION_SOURCE, UUID.randomUUID().toString(), id, startedAt, 1,
                    new SessionStarted(snapshot));
        }

        ProducerRecord<String, byte[]> joined(String user, Instant at) {
            return log.encode(Topics.CHAT, CHAT_SOURCE, UUID.randomUUID().toString(), id, at, ++chatSequence,
                    new ViewerPresence(id, UUID.randomUUID().toString(), ViewerPresence.PresenceChange.JOINED, user,
                            false, ParticipantRole.VIEWER, "desktop", "DE", at, null));
        }

        ProducerRecord<String, byte[]> message(String user, Instant at) {
            String messageId = UUID.randomUUID().toString();
            long seq = ++chatSequence;
            return log.encode(Topics.CHAT, CHAT_SOURCE, messageId, id, at, seq, new ChatMessagePosted(messageId, seq,
                    id, new ChatAuthor(user, "Name " + user, ParticipantRole.VIEWER), TEXTS[(int) (seq % TEXTS.length)],
                    null, at));
        }
    }

    /** {@code count} live sessions with ids from this log's seed (distinct from the log's sessions). */
    List<LiveSession> liveSessions(int count, Instant startedAt) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x1F2E3D4C5B6A7988L);
        List<LiveSession> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new LiveSession(this, uuid(random), i, startedAt));
        }
        return out;
    }
}
