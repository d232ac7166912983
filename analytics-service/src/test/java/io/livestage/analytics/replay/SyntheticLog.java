package io.livestage.analytics.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.LongFunction;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.livestage.events.CloudEvent;
import io.livestage.events.EventType;
import io.livestage.events.Topics;
import io.livestage.events.chat.ChatAuthor;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;
import io.livestage.events.codec.CloudEventCodec;
import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantLeft;
import io.livestage.events.participant.ParticipantMediaChanged;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionCreated;
import io.livestage.events.session.SessionEnded;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSettings;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionUpdated;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.GuestRejected;
import io.livestage.events.stage.GuestRequested;
import io.livestage.events.stage.GuestWithdrawn;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;

/**
 * A deterministic (seeded) synthetic event log of three sessions — two ended, one still live at {@link Plan#now()} —
 * with a few hundred viewers each, and the ground truth it was generated from.
 *
 * <p>The {@link Plan} is what happened (connections, participants' stage timelines, hand raises, chat, reactions);
 * {@link ExpectedStats} computes the statistics from it. The {@link #deliveries()} are the same facts as the Kafka
 * records a consumer of {@code livestage.session} and {@code livestage.chat} would see: CloudEvents with one
 * per-session {@code ce_sequence} per topic, re-delivered (same {@code ce_id}) and out of order — LEFT before its
 * JOINED, shuffled chat messages, session snapshots out of sequence order, chat messages arriving after
 * {@code session.ended} — so the statistics computed from them must not depend on order or duplicates.
 *
 * <p>Times carry microseconds like {@code Instant.now()} on Linux; the ADR's statistics use milliseconds, and a few
 * planted cases (a reconnect gap, a chat message at the start) only come out right when times are truncated first.
 */
public final class SyntheticLog {
    public static final String SESSION_SOURCE = "/livestage/session-service";
    public static final String CHAT_SOURCE = "/livestage/chat-service";
    public static final Duration VIEW_GRACE = Duration.ofSeconds(60);

    private static final Instant NOW = Instant.parse("2026-12-05T19:43:27.551Z");
    private static final List<String> DEVICES = List.of("desktop", "mobile", "tablet", "tv");
    private static final double[] DEVICE_WEIGHTS = {50, 30, 8, 4, 8};
    private static final List<String> REGIONS = List.of("US", "DE", "GB", "FR", "BR", "IN", "JP", "CA", "ES", "IT",
            "NL", "PL", "SE", "AU", "MX");
    private static final double[] REGION_WEIGHTS = {22, 14, 11, 8, 7, 6, 5, 4, 4, 4, 3, 3, 2, 2, 2, 6};
    private static final List<String> REACTIONS = List.of("heart", "clap", "fire", "laugh", "wow");

    /** What happened: the ground truth of the log. {@code now} is when the log was cut (the live session's now). */
    public record Plan(long seed, Instant now, List<SessionPlan> sessions) {
        public SessionPlan session(String id) {
            return sessions.stream().filter(s -> s.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no session " + id));
        }
    }

    /**
     * One session. {@code title} is the final title (the snapshot with the highest sequence); {@code endedAt} null =
     * still live at {@link Plan#now()}.
     */
    public record SessionPlan(String id, String title, String hostId, String spaceId, Instant createdAt,
            Instant startedAt, Instant endedAt, List<Connection> connections, List<Participant> participants,
            List<Request> requests, List<Message> messages, List<Reaction> reactions) {
        public boolean live() {
            return endedAt == null;
        }
    }

    /**
     * One room-channel connection as chat-service saw it. {@code userId} null = anonymous; {@code role} is the role
     * at join; {@code leftAt} null = no LEFT was ever published (open); {@code joinDelivered} false = its JOINED
     * never reached the topic (only the LEFT did).
     */
    public record Connection(String connectionId, String userId, ParticipantRole role, String deviceType, String region,
            Instant joinedAt, Instant leftAt, boolean joinDelivered) {
        public Connection(String connectionId, String userId, ParticipantRole role, String deviceType, String region,
                Instant joinedAt, Instant leftAt) {
            this(connectionId, userId, role, deviceType, region, joinedAt, leftAt, true);
        }
    }

    /** A session-service participant and every snapshot published about it, in time (= sequence) order. */
    public record Participant(String userId, String name, List<Step> steps) {
    }

    /**
     * {@code MEDIA} is a {@code participant.media-changed} of the MICROPHONE (LiveKit's microphone report),
     * {@code CAMERA} one of the camera (its snapshot still carries the microphone's state).
     */
    public enum StepKind {
        JOINED, REJOINED, LEFT, MEDIA, CAMERA, ROLE, APPROVED
    }

    /** One participant event: the snapshot's role, microphone and speakingSeconds after the change. */
    public record Step(Instant at, StepKind kind, ParticipantRole role, boolean audioMuted, long speakingSeconds,
            String requestId) {
    }

    public enum Outcome {
        PENDING, APPROVED, REJECTED, WITHDRAWN
    }

    /** A hand raise; an APPROVED one has the matching {@link StepKind#APPROVED} step on its participant. */
    public record Request(String requestId, String userId, String name, Instant requestedAt, Outcome outcome,
            Instant decidedAt) {
    }

    public record Message(String messageId, String userId, String name, Instant sentAt) {
    }

    public record Reaction(Instant windowStart, Instant windowEnd, Map<String, Long> counts) {
        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One Kafka record as delivered: key = session id, the record timestamp, and how much wall-clock time passes
     * before it arrives ({@code pauseBefore}, zero for all but the late chat messages after {@code session.ended}).
     */
    public record Delivery(String topic, String key, CloudEvent<?> event, Instant timestamp, Duration pauseBefore) {
        /** The record as a producer sends it: the codec's ce_* headers and JSON value, with this timestamp. */
        public ProducerRecord<String, byte[]> record(CloudEventCodec codec) {
            ProducerRecord<String, byte[]> encoded = codec.encode(topic, event);
            return new ProducerRecord<>(topic, null, timestamp.toEpochMilli(), key, encoded.value(),
                    encoded.headers());
        }
    }

    private final Plan plan;
    private final List<Delivery> deliveries;

    private SyntheticLog(Plan plan, List<Delivery> deliveries) {
        this.plan = plan;
        this.deliveries = deliveries;
    }

    public Plan plan() {
        return plan;
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** The log of {@code seed}: the same seed gives the same plan and the same deliveries. */
    public static SyntheticLog generate(long seed) {
        return new Generator(seed).run();
    }

    // ------------------------------------------------------------------------------------------------------------

    /** An event before its sequence is known; {@code data} receives the sequence (chat.message carries it). */
    private record Pending(String sessionId, String topic, EventType type, Instant time, long order, String tag,
            LongFunction<Object> data) {
    }

    private static final class Generator {
        private final long seed;
        private final Random random;
        private final List<Pending> pending = new ArrayList<>();
        private long order;

        Generator(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        SyntheticLog run() {
            List<SessionPlan> sessions = new ArrayList<>();
            sessions.add(new SessionGen(this, 0, "Friday AMA", "host-ada", "space-1", 470,
                    Instant.parse("2026-12-05T18:00:05.123456Z"), Instant.parse("2026-12-05T18:47:31.417892Z"))
                    .build());
            // ends exactly on a minute boundary: the minute starting at endedAt does not overlap the window
            sessions.add(new SessionGen(this, 1, "Rust vs Java", "host-bo", "space-2", 330,
                    Instant.parse("2026-12-05T18:20:44.250301Z"), Instant.parse("2026-12-05T19:05:00Z")).build());
            sessions.add(new SessionGen(this, 2, "Late show", "host-cy", null, 400,
                    Instant.parse("2026-12-05T19:15:12.804117Z"), null).build());
            Plan plan = new Plan(seed, NOW, List.copyOf(sessions));
            return new SyntheticLog(plan, deliver(plan));
        }

        void add(String sessionId, String topic, EventType type, Instant time, String tag, LongFunction<Object> data) {
            if (time.isAfter(NOW)) {
                throw new IllegalStateException(type + " at " + time + " is after now");
            }
            pending.add(new Pending(sessionId, topic, type, time, order++, tag, data));
        }

        UUID uuid() {
            return new UUID(random.nextLong(), random.nextLong());
        }

        double uniform() {
            return random.nextDouble();
        }

        long between(long lo, long hi) {
            return lo + (long) (random.nextDouble() * (hi - lo));
        }

        boolean chance(double p) {
            return random.nextDouble() < p;
        }

        <T> T pick(List<T> values, double[] weights) {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            double x = random.nextDouble() * total;
            for (int i = 0; i < weights.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return i < values.size() ? values.get(i) : null;
                }
            }
            return null;
        }

        /** A time with microseconds, like a Linux {@code Instant.now()}. */
        Instant micros(Instant t) {
            return t.truncatedTo(ChronoUnit.MILLIS).plusNanos(random.nextInt(1_000_000) / 1000 * 1000L);
        }

        // ---- deliveries ----

        private List<Delivery> deliver(Plan plan) {
            Map<Pending, CloudEvent<?>> events = new LinkedHashMap<>();
            Map<String, List<Pending>> streams = new LinkedHashMap<>();
            for (Pending p : pending) {
                streams.computeIfAbsent(p.sessionId() + " " + p.topic(), k -> new ArrayList<>()).add(p);
            }
            Comparator<Pending> byTime = Comparator.comparing(Pending::time).thenComparingLong(Pending::order);
            for (List<Pending> stream : streams.values()) {
                stream.sort(byTime);
                long sequence = 0;
                for (Pending p : stream) {
                    sequence++;
                    String source = p.topic().equals(Topics.SESSION) ? SESSION_SOURCE : CHAT_SOURCE;
                    events.put(p, new CloudEvent<>(uuid().toString(), p.type().typeName(), source, p.sessionId(),
                            p.time(), sequence, null, p.type().schemaUri(), p.data().apply(sequence)));
                }
            }
            // in publication order: the event's time plus a few milliseconds of outbox/producer latency
            List<Pending> all = new ArrayList<>(pending);
            Map<Pending, Instant> stamps = new LinkedHashMap<>();
            for (Pending p : all) {
                stamps.put(p, p.time().plusMillis(between(2, 80)).truncatedTo(ChronoUnit.MILLIS));
            }
            all.sort(Comparator.comparing((Pending p) -> stamps.get(p)).thenComparingLong(Pending::order));
            List<Slot> slots = new ArrayList<>();
            for (Pending p : all) {
                slots.add(new Slot(p, events.get(p), stamps.get(p), Duration.ZERO));
            }
            leftBeforeJoined(slots);
            shuffleChat(slots);
            snapshotsOutOfOrder(plan, slots);
            lateChat(plan, slots);
            duplicates(slots);
            List<Delivery> out = new ArrayList<>();
            for (Slot s : slots) {
                out.add(new Delivery(s.pending().topic(), s.pending().sessionId(), s.event(), s.timestamp(),
                        s.pause()));
            }
            return List.copyOf(out);
        }

        private record Slot(Pending pending, CloudEvent<?> event, Instant timestamp, Duration pause) {
        }

        /** About one connection in twelve: its LEFT is delivered right before its JOINED. */
        private void leftBeforeJoined(List<Slot> slots) {
            Map<String, Integer> joined = new LinkedHashMap<>();
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).event().data() instanceof ViewerPresence v
                        && v.change() == ViewerPresence.PresenceChange.JOINED) {
                    joined.put(v.connectionId(), i);
                }
            }
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).event().data() instanceof ViewerPresence v
                        && v.change() == ViewerPresence.PresenceChange.LEFT && joined.containsKey(v.connectionId())
                        && chance(1.0 / 12)) {
                    int at = joined.get(v.connectionId());
                    Slot left = slots.remove(i);
                    slots.add(at, left);
                    // every JOINED in [at, i) moved one place on
                    int from = i;
                    joined.replaceAll((k, idx) -> idx >= at && idx < from ? idx + 1 : idx);
                }
            }
        }

        /** Chat messages of a session swapped with one of the next few messages, about one in six. */
        private void shuffleChat(List<Slot> slots) {
            Map<String, List<Integer>> messages = new LinkedHashMap<>();
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).pending().type() == EventType.CHAT_MESSAGE) {
                    messages.computeIfAbsent(slots.get(i).pending().sessionId(), k -> new ArrayList<>()).add(i);
                }
            }
            for (List<Integer> idx : messages.values()) {
                for (int k = 0; k + 1 < idx.size(); k++) {
                    if (chance(1.0 / 6)) {
                        int other = Math.min(idx.size() - 1, k + 1 + (int) between(0, 4));
                        Collections.swap(slots, idx.get(k), idx.get(other));
                    }
                }
            }
        }

        private int indexOf(List<Slot> slots, String sessionId, EventType type) {
            for (int i = 0; i < slots.size(); i++) {
                Pending p = slots.get(i).pending();
                if (p.sessionId().equals(sessionId) && p.type() == type) {
                    return i;
                }
            }
            throw new IllegalStateException("no " + type + " for " + sessionId);
        }

        /**
         * Session snapshots out of sequence order: the first session's session.created after its session.started and
         * its session.updated (an old title, no endedAt) last of all; the second's session.ended before the six
         * session events published just before it; the live one's session.started after five of its later session
         * events.
         */
        private void snapshotsOutOfOrder(Plan plan, List<Slot> slots) {
            String a = plan.sessions().get(0).id();
            Slot created = slots.remove(indexOf(slots, a, EventType.SESSION_CREATED));
            slots.add(indexOf(slots, a, EventType.SESSION_STARTED) + 1, created);
            Slot updated = slots.remove(indexOf(slots, a, EventType.SESSION_UPDATED));
            slots.add(updated);

            String b = plan.sessions().get(1).id();
            int ended = indexOf(slots, b, EventType.SESSION_ENDED);
            int target = ended;
            int seen = 0;
            for (int i = ended - 1; i >= 0 && seen < 6; i--) {
                Pending p = slots.get(i).pending();
                if (p.sessionId().equals(b) && p.topic().equals(Topics.SESSION)) {
                    target = i;
                    seen++;
                }
            }
            slots.add(target, slots.remove(ended));

            String c = plan.sessions().get(2).id();
            int started = indexOf(slots, c, EventType.SESSION_STARTED);
            int after = started;
            int later = 0;
            for (int i = started + 1; i < slots.size() && later < 5; i++) {
                Pending p = slots.get(i).pending();
                if (p.sessionId().equals(c) && p.topic().equals(Topics.SESSION)) {
                    after = i;
                    later++;
                }
            }
            Slot s = slots.remove(started);
            slots.add(after, s);
        }

        /** The chat messages tagged "late" arrive right after their session's session.ended, 1.5 s and 1 s apart. */
        private void lateChat(Plan plan, List<Slot> slots) {
            for (SessionPlan session : plan.sessions()) {
                if (session.live()) {
                    continue;
                }
                List<Slot> late = new ArrayList<>();
                for (int i = slots.size() - 1; i >= 0; i--) {
                    Slot s = slots.get(i);
                    if (s.pending().sessionId().equals(session.id()) && "late".equals(s.pending().tag())) {
                        late.add(0, slots.remove(i));
                    }
                }
                int ended = indexOf(slots, session.id(), EventType.SESSION_ENDED);
                Duration[] pauses = {Duration.ofMillis(1500), Duration.ofMillis(1000)};
                for (int k = 0; k < late.size(); k++) {
                    Slot s = late.get(k);
                    slots.add(ended + 1 + k, new Slot(s.pending(), s.event(), s.timestamp().plusSeconds(3),
                            pauses[Math.min(k, pauses.length - 1)]));
                }
            }
        }

        /**
         * Re-deliveries with the same ce_id: about one record in 25 again up to 300 records later, and one run of 40
         * consecutive records re-sent (a producer that re-published after a crash) near the middle.
         */
        private void duplicates(List<Slot> slots) {
            int n = slots.size();
            List<Slot> copy = new ArrayList<>(slots);
            int blockStart = n / 2;
            List<Slot> block = new ArrayList<>();
            for (int i = blockStart; i < blockStart + 40; i++) {
                Slot s = copy.get(i);
                block.add(new Slot(s.pending(), s.event(), s.timestamp().plusSeconds(20), Duration.ZERO));
            }
            record Insert(int at, List<Slot> slots) {
            }
            List<Insert> inserts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (chance(1.0 / 25)) {
                    Slot s = copy.get(i);
                    int at = (int) Math.min(n, i + between(1, 300));
                    inserts.add(new Insert(at, List.of(new Slot(s.pending(), s.event(),
                            s.timestamp().plusMillis(between(5, 20_000)), Duration.ZERO))));
                }
            }
            inserts.add(new Insert(Math.min(n, blockStart + 140), block));
            // from the back, so the positions in front stay valid
            inserts.sort(Comparator.comparingInt(Insert::at).reversed());
            for (Insert insert : inserts) {
                slots.addAll(insert.at(), insert.slots());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Participant state in session-service: speaking time accrues while on stage and present. */
    private static final class ParticipantSim {
        private final SessionGen session;
        final String userId;
        final String name;
        final List<Step> steps = new ArrayList<>();
        ParticipantRole role;
        boolean present;
        boolean audioMuted;
        boolean videoMuted = true;
        Instant joinedAt;
        Instant leftAt;
        long accruedMillis;
        Instant since;

        ParticipantSim(SessionGen session, String userId, String name) {
            this.session = session;
            this.userId = userId;
            this.name = name;
        }

        private void settle(Instant at) {
            if (since != null) {
                accruedMillis += Duration.between(since, at).toMillis();
                since = null;
            }
            if (present && role.onStage()) {
                since = at;
            }
        }

        long seconds(Instant at) {
            long open = since == null ? 0 : Duration.between(since, at).toMillis();
            return (accruedMillis + open) / 1000;
        }

        ParticipantSnapshot snapshot(Instant at) {
            return new ParticipantSnapshot(userId, userId, name, role, SessionKind.VIDEO, audioMuted, videoMuted,
                    joinedAt, leftAt, seconds(at));
        }

        private boolean allowed(Instant at) {
            return !at.isAfter(session.windowEnd());
        }

        void join(Instant at, ParticipantRole as, boolean muted) {
            if (!allowed(at) || present) {
                return;
            }
            boolean rejoin = joinedAt != null;
            role = as;
            present = true;
            audioMuted = muted;
            joinedAt = at;
            leftAt = null;
            settle(at);
            record(at, rejoin ? StepKind.REJOINED : StepKind.JOINED, null);
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.PARTICIPANT_JOINED, at,
                    seq -> new ParticipantJoined(snap, rejoin));
        }

        void leave(Instant at, String reason) {
            if (!allowed(at) || !present) {
                return;
            }
            present = false;
            settle(at);
            leftAt = at;
            record(at, StepKind.LEFT, null);
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.PARTICIPANT_LEFT, at, seq -> new ParticipantLeft(snap, reason));
        }

        void media(Instant at, boolean muted) {
            if (!allowed(at) || !present) {
                return;
            }
            audioMuted = muted;
            record(at, StepKind.MEDIA, null);
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.PARTICIPANT_MEDIA_CHANGED, at,
                    seq -> new ParticipantMediaChanged(snap, "MICROPHONE"));
        }

        /** The camera toggled: a media-changed of source CAMERA (not a microphone report). */
        void camera(Instant at) {
            if (!allowed(at) || !present) {
                return;
            }
            videoMuted = !videoMuted;
            record(at, StepKind.CAMERA, null);
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.PARTICIPANT_MEDIA_CHANGED, at,
                    seq -> new ParticipantMediaChanged(snap, "CAMERA"));
        }

        void role(Instant at, ParticipantRole to, String by) {
            if (!allowed(at) || !present) {
                return;
            }
            ParticipantRole previous = role;
            role = to;
            if (!to.onStage()) {
                audioMuted = true;
            }
            settle(at);
            record(at, StepKind.ROLE, null);
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.PARTICIPANT_ROLE_CHANGED, at,
                    seq -> new ParticipantRoleChanged(snap, previous, by));
        }

        /** Approved: GUEST with the microphone muted (guestAudioDefault is off). */
        void approved(Instant at, StageRequestSnapshot request) {
            role = ParticipantRole.GUEST;
            audioMuted = true;
            settle(at);
            record(at, StepKind.APPROVED, request.id());
            ParticipantSnapshot snap = snapshot(at);
            session.emitSession(EventType.GUEST_APPROVED, at, seq -> new GuestApproved(request, snap, false));
        }

        private void record(Instant at, StepKind kind, String requestId) {
            steps.add(new Step(at, kind, role, audioMuted, seconds(at), requestId));
        }

        Participant plan() {
            return new Participant(userId, name, List.copyOf(steps));
        }
    }

    /** Generates one session: its plan and its pending events. */
    private static final class SessionGen {
        private final Generator g;
        private final int index;
        private final String id;
        private final String title;
        private final String hostId;
        private final String spaceId;
        private final int persons;
        private final Instant startedAt;
        private final Instant endedAt;
        private final Instant createdAt;
        private final List<Connection> connections = new ArrayList<>();
        private final List<ParticipantSim> participants = new ArrayList<>();
        private final List<Request> requests = new ArrayList<>();
        private final List<Message> messages = new ArrayList<>();
        private final List<Reaction> reactions = new ArrayList<>();
        private final List<String> signedIn = new ArrayList<>();
        private int pendingRequests;

        SessionGen(Generator g, int index, String title, String hostId, String spaceId, int persons,
                Instant startedAt, Instant endedAt) {
            this.g = g;
            this.index = index;
            this.id = g.uuid().toString();
            this.title = title;
            this.hostId = hostId;
            this.spaceId = spaceId;
            this.persons = persons;
            this.startedAt = startedAt;
            this.endedAt = endedAt;
            this.createdAt = startedAt.minus(Duration.ofHours(3)).plusMillis(g.between(0, 3_600_000));
        }

        Instant windowEnd() {
            return endedAt == null ? NOW : endedAt;
        }

        private long spanMillis() {
            return Duration.between(startedAt, windowEnd()).toMillis();
        }

        private Instant at(double fraction) {
            return startedAt.plusMillis((long) (spanMillis() * fraction));
        }

        void emitSession(EventType type, Instant time, LongFunction<Object> data) {
            g.add(id, Topics.SESSION, type, time, null, data);
        }

        private void emitChat(EventType type, Instant time, String tag, LongFunction<Object> data) {
            g.add(id, Topics.CHAT, type, time, tag, data);
        }

        SessionPlan build() {
            lifecycle();
            stage();
            for (int i = 0; i < persons; i++) {
                person(i);
            }
            edgeConnections();
            for (Connection c : connections) {
                presence(c);
            }
            chat();
            reactions();
            List<Participant> people = participants.stream().map(ParticipantSim::plan).toList();
            return new SessionPlan(id, title, hostId, spaceId, createdAt, startedAt, endedAt, List.copyOf(connections),
                    people, List.copyOf(requests), List.copyOf(messages), List.copyOf(reactions));
        }

        private SessionSnapshot snapshot(String currentTitle, SessionStatus status, Instant started, Instant ended) {
            return new SessionSnapshot(id, "s" + index + "x9k2", currentTitle, null, hostId, spaceId,
                    SessionKind.AUDIO, SessionVisibility.PUBLIC, status,
                    startedAt.truncatedTo(ChronoUnit.HOURS), started, ended, createdAt,
                    new SessionSettings(500, true, true, 6, true, true, false, false, true, false));
        }

        /** created (a draft title) -> updated (the final title) -> started -> ended. */
        private void lifecycle() {
            SessionSnapshot created = snapshot(title + " (draft)", SessionStatus.SCHEDULED, null, null);
            emitSession(EventType.SESSION_CREATED, createdAt, seq -> new SessionCreated(created));
            SessionSnapshot updated = snapshot(title, SessionStatus.SCHEDULED, null, null);
            emitSession(EventType.SESSION_UPDATED, createdAt.plusSeconds(600),
                    seq -> new SessionUpdated(updated, List.of("title")));
            SessionSnapshot started = snapshot(title, SessionStatus.ACTIVE, startedAt, null);
            emitSession(EventType.SESSION_STARTED, startedAt, seq -> new SessionStarted(started));
            if (endedAt != null) {
                SessionSnapshot ended = snapshot(title, SessionStatus.ENDED, startedAt, endedAt);
                long duration = Duration.between(startedAt, endedAt).toSeconds();
                emitSession(EventType.SESSION_ENDED, endedAt, seq -> new SessionEnded(ended, duration));
            }
        }

        private ParticipantSim participant(String userId, String name) {
            ParticipantSim p = new ParticipantSim(this, userId, name);
            participants.add(p);
            return p;
        }

        private String user(int n) {
            return String.format("user-%04d", index * 1000 + n);
        }

        private void endOf(ParticipantSim p) {
            if (endedAt != null) {
                p.leave(endedAt, "SESSION_ENDED");
            }
        }

        private void toggles(ParticipantSim p, Instant from, int everySeconds) {
            boolean muted = p.audioMuted;
            for (Instant t = from.plusSeconds(everySeconds); t.isBefore(windowEnd()); t = t
                    .plusSeconds(everySeconds + g.between(0, everySeconds))) {
                muted = !muted;
                p.media(g.micros(t), muted);
            }
        }

        /** Host, cohost, an invited guest, a viewer promoted to cohost, and twelve viewers raising hands. */
        private void stage() {
            ParticipantSim host = participant(hostId, "Host " + index);
            host.join(g.micros(startedAt.minusSeconds(180)), ParticipantRole.HOST, true);
            host.media(g.micros(startedAt.plusSeconds(10)), false);
            toggles(host, startedAt.plusSeconds(10), 240);
            endOf(host);
            connections.add(new Connection(g.uuid().toString(), hostId, ParticipantRole.HOST, "desktop", "US",
                    g.micros(startedAt.minusSeconds(240)), closing()));

            String cohostId = "cohost-" + index;
            ParticipantSim cohost = participant(cohostId, "Cohost " + index);
            cohost.join(g.micros(startedAt.plusSeconds(40)), ParticipantRole.COHOST, true);
            cohost.media(g.micros(startedAt.plusSeconds(120)), false);
            cohost.leave(g.micros(at(0.3)), "LEFT");
            cohost.join(g.micros(at(0.3).plusSeconds(95)), ParticipantRole.COHOST, true);
            toggles(cohost, at(0.3).plusSeconds(95), 300);
            endOf(cohost);
            connections.add(new Connection(g.uuid().toString(), cohostId, ParticipantRole.COHOST, "mobile", "DE",
                    g.micros(startedAt.minusSeconds(60)), closing()));

            String guestId = "guest-" + index;
            ParticipantSim invited = participant(guestId, "Invited " + index);
            invited.join(g.micros(at(0.2)), ParticipantRole.GUEST, false);
            invited.leave(g.micros(at(0.55)), "LEFT");
            connections.add(new Connection(g.uuid().toString(), guestId, ParticipantRole.GUEST, "desktop", "GB",
                    g.micros(at(0.2).minusSeconds(5)), g.micros(at(0.55).plusSeconds(2))));

            // a viewer (microphone "open" while VIEWER: not on stage) promoted to COHOST, who then speaks; its
            // room-channel connection after the promotion joins as COHOST and is not a viewer connection
            String promotedId = user(900);
            ParticipantSim promoted = participant(promotedId, "Promoted " + index);
            promoted.join(g.micros(at(0.08)), ParticipantRole.VIEWER, false);
            promoted.role(g.micros(at(0.35)), ParticipantRole.COHOST, hostId);
            promoted.media(g.micros(at(0.35).plusSeconds(30)), false);
            endOf(promoted);
            connections.add(new Connection(g.uuid().toString(), promotedId, ParticipantRole.VIEWER, "desktop", "CA",
                    g.micros(at(0.08)), g.micros(at(0.34))));
            connections.add(new Connection(g.uuid().toString(), promotedId, ParticipantRole.COHOST, "desktop", "CA",
                    g.micros(at(0.36)), closing()));

            for (int j = 0; j < 12; j++) {
                requester(j);
            }
            if (endedAt != null) {
                // approved 0.4 s before the end: on stage with 0 seconds
                String lastId = user(950);
                ParticipantSim last = viewerParticipant(lastId, "Last " + index);
                Instant requested = endedAt.minusSeconds(30);
                StageRequestSnapshot r = request(last, requested);
                approve(last, r, endedAt.minusMillis(400));
                endOf(last);
            }
        }

        /** When a stage/host connection closes: a few seconds after the end, or open while live. */
        private Instant closing() {
            return endedAt == null ? null : g.micros(endedAt.plusMillis(g.between(100, 3000)));
        }

        private ParticipantSim viewerParticipant(String userId, String name) {
            ParticipantSim p = participant(userId, name);
            Instant joined = g.micros(startedAt.plusMillis(g.between(0, 240_000)));
            p.join(joined, ParticipantRole.VIEWER, true);
            signedIn.add(userId);
            connections.add(new Connection(g.uuid().toString(), userId, ParticipantRole.VIEWER,
                    g.pick(DEVICES, DEVICE_WEIGHTS), g.pick(REGIONS, REGION_WEIGHTS), joined.minusMillis(700),
                    closing()));
            return p;
        }

        private StageRequestSnapshot request(ParticipantSim p, Instant at) {
            Instant t = g.micros(at);
            String requestId = g.uuid().toString();
            int position = ++pendingRequests;
            StageRequestSnapshot snapshot = new StageRequestSnapshot(requestId, p.userId, p.userId, p.name,
                    StageRequestStatus.PENDING, (int) g.between(0, 500), p.seconds(t), t, null, null);
            emitSession(EventType.GUEST_REQUESTED, t, seq -> new GuestRequested(snapshot, position));
            requests.add(new Request(requestId, p.userId, p.name, t, Outcome.PENDING, null));
            return snapshot;
        }

        private void decide(StageRequestSnapshot r, Outcome outcome, Instant at) {
            Instant t = g.micros(at);
            pendingRequests = Math.max(0, pendingRequests - 1);
            StageRequestStatus status = StageRequestStatus.valueOf(outcome.name());
            StageRequestSnapshot decided = new StageRequestSnapshot(r.id(), r.identity(), r.userId(), r.name(), status,
                    r.xp(), r.speakingSeconds(), r.requestedAt(), t, outcome == Outcome.WITHDRAWN ? null : hostId);
            switch (outcome) {
                case REJECTED -> emitSession(EventType.GUEST_REJECTED, t, seq -> new GuestRejected(decided));
                case WITHDRAWN -> emitSession(EventType.GUEST_WITHDRAWN, t, seq -> new GuestWithdrawn(decided));
                default -> throw new IllegalArgumentException(outcome.name());
            }
            requests.replaceAll(q -> q.requestId().equals(r.id())
                    ? new Request(q.requestId(), q.userId(), q.name(), q.requestedAt(), outcome, t)
                    : q);
        }

        private void approve(ParticipantSim p, StageRequestSnapshot r, Instant at) {
            Instant t = g.micros(at);
            pendingRequests = Math.max(0, pendingRequests - 1);
            StageRequestSnapshot decided = new StageRequestSnapshot(r.id(), r.identity(), r.userId(), r.name(),
                    StageRequestStatus.APPROVED, r.xp(), r.speakingSeconds(), r.requestedAt(), t, hostId);
            p.approved(t, decided);
            requests.replaceAll(q -> q.requestId().equals(r.id())
                    ? new Request(q.requestId(), q.userId(), q.name(), q.requestedAt(), Outcome.APPROVED, t)
                    : q);
        }

        /** Twelve hand-raising viewers, six scenarios twice over (times chosen so all of them fit before now). */
        private void requester(int j) {
            String userId = user(800 + j);
            ParticipantSim p = viewerParticipant(userId, "Raiser " + index + "-" + j);
            Instant t0 = at(0.2 + 0.03 * j);
            switch (j % 6) {
                case 0 -> {
                    StageRequestSnapshot r = request(p, t0);
                    approve(p, r, t0.plusSeconds(g.between(10, 90)));
                    p.media(g.micros(t0.plusSeconds(100 + g.between(5, 60))), false);
                    p.media(g.micros(t0.plusSeconds(400)), true);
                    if (j == 6) {
                        // approved twice: demoted, raises a hand again, approved again (never unmutes again)
                        p.role(g.micros(t0.plusSeconds(500)), ParticipantRole.VIEWER, hostId);
                        StageRequestSnapshot again = request(p, t0.plusSeconds(530));
                        approve(p, again, t0.plusSeconds(560));
                    }
                }
                case 1 -> {
                    StageRequestSnapshot r = request(p, t0);
                    approve(p, r, t0.plusSeconds(g.between(10, 90)));
                    if (j == 7) {
                        // back after a reconnect with the microphone open in the snapshot, then the camera on: no
                        // microphone report from LiveKit, so not "spoke"
                        p.leave(g.micros(t0.plusSeconds(120)), "LEFT");
                        p.join(g.micros(t0.plusSeconds(150)), ParticipantRole.GUEST, false);
                        p.camera(g.micros(t0.plusSeconds(160)));
                    }
                }
                case 2 -> {
                    StageRequestSnapshot first = request(p, t0);
                    decide(first, Outcome.WITHDRAWN, t0.plusSeconds(20));
                    StageRequestSnapshot second = request(p, t0.plusSeconds(120));
                    approve(p, second, t0.plusSeconds(150));
                    p.media(g.micros(t0.plusSeconds(170)), false);
                    p.role(g.micros(t0.plusSeconds(390)), ParticipantRole.VIEWER, hostId);
                }
                case 3 -> {
                    StageRequestSnapshot first = request(p, t0);
                    decide(first, Outcome.REJECTED, t0.plusSeconds(45));
                    request(p, t0.plusSeconds(200));
                }
                case 4 -> request(p, t0);
                default -> {
                    StageRequestSnapshot r = request(p, t0);
                    approve(p, r, t0.plusSeconds(g.between(10, 90)));
                    p.media(g.micros(t0.plusSeconds(100)), false);
                    p.role(g.micros(t0.plusSeconds(220)), ParticipantRole.COHOST, hostId);
                }
            }
            endOf(p);
        }

        /** One audience member: connections by pattern, and a participant record for some signed-in ones. */
        private void person(int i) {
            boolean isSignedIn = g.chance(0.65);
            String userId = isSignedIn ? user(i) : null;
            String device = g.pick(DEVICES, DEVICE_WEIGHTS);
            String region = g.pick(REGIONS, REGION_WEIGHTS);
            Instant a = g.chance(0.06) ? startedAt.minusMillis(g.between(5_000, 360_000))
                    : at(Math.pow(g.uniform(), 1.4));
            long mean = spanMillis() / 3;
            long dur = Math.max(5_000, (long) (-Math.log(1 - g.uniform()) * mean));
            Instant b = a.plusMillis(dur);
            List<Instant[]> spans = new ArrayList<>();
            spans.add(new Instant[] {a, b});
            double pattern = g.uniform();
            String secondDevice = device;
            if (pattern < 0.14) { // reconnect inside the grace
                Instant c = b.plusMillis(g.between(1_000, 60_000));
                spans.add(new Instant[] {c, c.plusMillis(Math.max(3_000, dur / 2))});
            } else if (pattern < 0.24) { // reconnect outside the grace
                Instant c = b.plusMillis(g.between(61_000, 480_000));
                spans.add(new Instant[] {c, c.plusMillis(Math.max(3_000, dur / 2))});
            } else if (pattern < 0.32) { // two tabs
                Instant c = a.plusMillis(g.between(0, dur));
                spans.add(new Instant[] {c, c.plusMillis(g.between(1_000, dur + 60_000))});
            } else if (pattern < 0.36) { // touching: leave and rejoin in the same millisecond
                spans.add(new Instant[] {b, b.plusMillis(g.between(5_000, 300_000))});
            } else if (pattern < 0.41) { // device switch inside the grace
                Instant c = b.plusMillis(g.between(1_000, 40_000));
                spans.add(new Instant[] {c, c.plusMillis(Math.max(3_000, dur))});
                secondDevice = "desktop".equals(device) ? "mobile" : "desktop";
            } else if (pattern < 0.45) { // back inside the grace, then again after a long pause
                Instant c = b.plusMillis(g.between(1_000, 60_000));
                Instant d = c.plusMillis(Math.max(3_000, dur / 3));
                Instant e = d.plusMillis(g.between(90_000, 600_000));
                spans.add(new Instant[] {c, d});
                spans.add(new Instant[] {e, e.plusMillis(Math.max(3_000, dur / 3))});
            }
            Instant first = null;
            Instant last = null;
            boolean open = false;
            for (int k = 0; k < spans.size(); k++) {
                Instant join = g.micros(spans.get(k)[0]);
                Instant leave = g.micros(spans.get(k)[1]);
                if (!join.isBefore(windowEnd())) {
                    continue;
                }
                if (!leave.isBefore(windowEnd())) {
                    leave = endedAt == null || g.chance(0.3) ? null
                            : g.micros(endedAt.plusMillis(g.between(100, 8_000)));
                }
                connections.add(new Connection(g.uuid().toString(), userId, ParticipantRole.VIEWER,
                        k == 0 ? device : secondDevice, region, join, leave));
                first = first == null || join.isBefore(first) ? join : first;
                if (leave == null) {
                    open = true;
                } else if (last == null || leave.isAfter(last)) {
                    last = leave;
                }
            }
            if (isSignedIn && first != null) {
                signedIn.add(userId);
                if (g.chance(0.35)) {
                    ParticipantSim p = participant(userId, "Viewer " + i);
                    p.join(first.plusMillis(g.between(50, 900)), ParticipantRole.VIEWER, !g.chance(0.3));
                    if (!open && last != null) {
                        Instant gone = last.plusMillis(g.between(50, 900));
                        if (endedAt != null && !gone.isBefore(endedAt)) {
                            endOf(p);
                        } else if (endedAt != null || gone.isBefore(NOW)) {
                            p.leave(gone, "LEFT");
                        }
                    } else {
                        endOf(p);
                    }
                }
            }
        }

        /**
         * Planted cases: a lobby-only connection, one that leaves exactly at startedAt, one that joins exactly at
         * endedAt, one whose JOINED is lost, a reconnect gap of exactly 60 s only after truncation, a gap of 60.001 s,
         * a touching reconnect, and one viewer on two devices in two regions at once.
         */
        private void edgeConnections() {
            Instant base = startedAt.truncatedTo(ChronoUnit.SECONDS);
            connections.add(new Connection(g.uuid().toString(), null, ParticipantRole.VIEWER, "tv", "NZ",
                    startedAt.minusSeconds(300), startedAt.minusSeconds(120)));
            connections.add(new Connection(g.uuid().toString(), user(970), ParticipantRole.VIEWER, "tv", "NZ",
                    startedAt.minusSeconds(60), startedAt));
            if (endedAt != null) {
                connections.add(new Connection(g.uuid().toString(), null, ParticipantRole.VIEWER, "tv", "NZ", endedAt,
                        endedAt.plusSeconds(4)));
            }
            connections.add(new Connection(g.uuid().toString(), user(971), ParticipantRole.VIEWER, "tv", "IS",
                    base.plusSeconds(180), base.plusSeconds(540), false));
            // truncated: [B, B+120.000) and [B+180.000, B+300) -> gap 60.000 s, one view; untruncated 60.0008 s
            Instant b1 = base.plusSeconds(120);
            String u972 = user(972);
            connections.add(new Connection(g.uuid().toString(), u972, ParticipantRole.VIEWER, "desktop", "FR", b1,
                    b1.plusSeconds(120).plusNanos(100_000)));
            connections.add(new Connection(g.uuid().toString(), u972, ParticipantRole.VIEWER, "desktop", "FR",
                    b1.plusSeconds(180).plusNanos(900_000), b1.plusSeconds(300)));
            Instant b2 = base.plusSeconds(200);
            String u973 = user(973);
            connections.add(new Connection(g.uuid().toString(), u973, ParticipantRole.VIEWER, "mobile", "FR", b2,
                    b2.plusSeconds(60)));
            connections.add(new Connection(g.uuid().toString(), u973, ParticipantRole.VIEWER, "mobile", "FR",
                    b2.plusMillis(120_001), b2.plusSeconds(200)));
            Instant b3 = base.plusSeconds(260).plusNanos(123_000);
            String u974 = user(974);
            connections.add(new Connection(g.uuid().toString(), u974, ParticipantRole.VIEWER, "desktop", "SE", b3,
                    b3.plusSeconds(50)));
            connections.add(new Connection(g.uuid().toString(), u974, ParticipantRole.VIEWER, "mobile", "SE",
                    b3.plusSeconds(50), b3.plusSeconds(100)));
            Instant b4 = base.plusSeconds(330);
            String u975 = user(975);
            connections.add(new Connection(g.uuid().toString(), u975, ParticipantRole.VIEWER, "desktop", "BR", b4,
                    b4.plusSeconds(600)));
            connections.add(new Connection(g.uuid().toString(), u975, ParticipantRole.VIEWER, "mobile", "PT",
                    b4.plusSeconds(120), b4.plusSeconds(300)));
            signedIn.addAll(List.of(u972, u973, u974, u975));
        }

        private void presence(Connection c) {
            boolean anonymous = c.userId() == null;
            if (c.joinDelivered()) {
                ViewerPresence joined = new ViewerPresence(id, c.connectionId(), ViewerPresence.PresenceChange.JOINED,
                        c.userId(), anonymous, c.role(), c.deviceType(), c.region(), c.joinedAt(), null);
                emitChat(EventType.VIEWER_PRESENCE, c.joinedAt(), null, seq -> joined);
            }
            if (c.leftAt() != null) {
                long seconds = Duration.between(c.joinedAt(), c.leftAt()).toSeconds();
                ViewerPresence left = new ViewerPresence(id, c.connectionId(), ViewerPresence.PresenceChange.LEFT,
                        c.userId(), anonymous, c.role(), c.deviceType(), c.region(), c.leftAt(), seconds);
                emitChat(EventType.VIEWER_PRESENCE, c.leftAt(), null, seq -> left);
            }
        }

        private void message(String userId, Instant sentAt, String tag) {
            String messageId = g.uuid().toString();
            String clientId = g.uuid().toString();
            String name = userId.startsWith("host") ? "Host " + index : "Viewer " + userId;
            ParticipantRole role = userId.equals(hostId) ? ParticipantRole.HOST : ParticipantRole.VIEWER;
            messages.add(new Message(messageId, userId, name, sentAt));
            emitChat(EventType.CHAT_MESSAGE, sentAt, tag, seq -> new ChatMessagePosted(messageId, seq, id,
                    new ChatAuthor(userId, name, role), "message " + messageId.substring(0, 8), clientId, sentAt));
        }

        /**
         * Messages through the window, three in the lobby, one 0.356 ms before startedAt that truncation puts at
         * startedAt, one at startedAt's millisecond; when ended: one at endedAt (out), one 1.5 s before the end and
         * one 0.8 s after it that arrive after session.ended.
         */
        private void chat() {
            int count = persons * 4 / 5;
            for (int k = 0; k < count; k++) {
                String author = g.chance(0.1) ? hostId : signedIn.get((int) g.between(0, signedIn.size()));
                Instant t = g.micros(startedAt.plusMillis(g.between(0, spanMillis() - 1_000)));
                message(author, t, null);
            }
            for (int k = 0; k < 3; k++) {
                message(hostId, g.micros(startedAt.minusMillis(g.between(10_000, 180_000))), null);
            }
            message(hostId, startedAt.truncatedTo(ChronoUnit.MILLIS).plusNanos(100_000), null);
            message(signedIn.get(0), startedAt.truncatedTo(ChronoUnit.MILLIS), null);
            if (endedAt != null) {
                message(signedIn.get(1), endedAt, null);
                message(signedIn.get(2), endedAt.minusMillis(1500), "late");
                message(signedIn.get(3), endedAt.plusMillis(800), "late");
            }
        }

        /** Bursts every 3-25 s; one before the start, one exactly at startedAt, one exactly at endedAt (out). */
        private void reactions() {
            List<Instant> starts = new ArrayList<>();
            starts.add(startedAt.minusSeconds(30));
            starts.add(startedAt);
            Instant t = startedAt.plusMillis(g.between(1_000, 5_000));
            while (t.plusSeconds(2).isBefore(windowEnd())) {
                starts.add(g.micros(t));
                t = t.plusMillis(g.between(3_000, 25_000));
            }
            if (endedAt != null) {
                starts.add(endedAt.minusSeconds(1));
                starts.add(endedAt);
            }
            for (Instant start : starts) {
                Instant end = start.plusSeconds(2);
                if (end.isAfter(NOW)) {
                    continue;
                }
                Map<String, Long> counts = new LinkedHashMap<>();
                int types = (int) g.between(1, 4);
                for (int k = 0; k < types; k++) {
                    counts.merge(REACTIONS.get((int) g.between(0, REACTIONS.size())), g.between(1, 26), Long::sum);
                }
                Map<String, Long> frozen = Collections.unmodifiableMap(counts);
                Reaction reaction = new Reaction(start, end, frozen);
                reactions.add(reaction);
                long total = reaction.total();
                emitChat(EventType.CHAT_REACTION, end, null,
                        seq -> new ChatReactionBurst(id, start, end, frozen, total));
            }
        }
    }
}
