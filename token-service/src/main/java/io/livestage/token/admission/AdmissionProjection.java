package io.livestage.token.admission;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.participant.ParticipantRemoved;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionChange;
import io.livestage.events.session.SessionDeleted;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.stage.StageChange;
import io.livestage.platform.kafka.EventReader;

/**
 * Keeps token-service's admission projection (docs/adr/0019) from {@code livestage.session}: per session its host,
 * kind, visibility, status and scheduled start; per session and identity the role and whether the participant was
 * removed. Consumer group {@code token-service.admission} (its own, so a slow LiveKit call in the enforcer never delays
 * a removal reaching admission). Events of one session come in order on one partition; every write is an idempotent
 * upsert guarded by the event's {@code ce_sequence}, so a redelivery or a replay converges on the same rows; a removal
 * is sticky and a deleted session stays a tombstone whatever order the events replay in. How far behind the topic
 * this projection is — the bound on a removal reaching admission — is {@code livestage.admission.lag}: event time to
 * applied.
 */
@ApplicationScoped
public class AdmissionProjection {
    static final String CONSUMER = "token-service.admission";

    private static final String UPSERT_SESSION = "insert into admission_sessions (session_id, slug, host_id, kind,"
            + " visibility, status, scheduled_at, sequence) values ($1, $2, $3, $4, $5, $6, $7, $8)"
            + " on conflict (session_id) do update set slug = excluded.slug, host_id = excluded.host_id,"
            + " kind = excluded.kind, visibility = excluded.visibility, status = excluded.status,"
            + " scheduled_at = excluded.scheduled_at, sequence = excluded.sequence"
            + " where admission_sessions.status <> 'DELETED' and admission_sessions.sequence <= excluded.sequence";
    private static final String UPSERT_PARTICIPANT = "insert into admission_participants (session_id, identity, role,"
            + " removed, sequence) values ($1, $2, $3, $4, $5) on conflict (session_id, identity) do update set"
            + " role = case when admission_participants.sequence <= excluded.sequence then excluded.role"
            + " else admission_participants.role end,"
            + " removed = admission_participants.removed or excluded.removed,"
            + " sequence = greatest(admission_participants.sequence, excluded.sequence)";
    private static final String FORGET_PARTICIPANTS = "delete from admission_participants where session_id = $1";
    /**
     * Each write in one statement with its {@code NOTIFY} (delivered when it commits) to every instance's
     * {@link AdmissionCache}: the payload is the session id, or the session id and the participant's identity.
     */
    private static final String NOTIFY_SESSION = "with applied as (" + UPSERT_SESSION + " returning 1)"
            + " select pg_notify('" + AdmissionCache.CHANNEL + "', $9)";
    private static final String NOTIFY_PARTICIPANT = "with applied as (" + UPSERT_PARTICIPANT + " returning 1)"
            + " select pg_notify('" + AdmissionCache.CHANNEL + "', $6)";
    private static final String NOTIFY_FORGET = "with applied as (" + FORGET_PARTICIPANTS + " returning 1)"
            + " select pg_notify('" + AdmissionCache.CHANNEL + "', $2)";

    private final Pool pool;
    private final EventReader events;
    private final AdmissionCache cache;
    private final Timer lag;

    public AdmissionProjection(Pool pool, EventReader events, AdmissionCache cache, MeterRegistry registry) {
        this.pool = pool;
        this.events = events;
        this.cache = cache;
        this.lag = Timer.builder("livestage.admission.lag")
                .description("From a livestage.session event's time to its being applied to the admission projection")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    @Incoming("session-admission")
    public Uni<Void> onEvent(ConsumerRecord<String, byte[]> record) {
        CloudEvent<SessionEvent> event = events.read(CONSUMER, record, SessionEvent.class).orElse(null);
        if (event == null) {
            return Uni.createFrom().voidItem();
        }
        long sequence = event.sequence() == null ? 0 : event.sequence();
        return apply(record.key(), event.data(), sequence).invoke(() -> {
            if (event.time() != null) {
                lag.record(Duration.between(event.time(), Instant.now()));
            }
        });
    }

    /** A deleted session: its row marked DELETED, its participants dropped, every instance's cache told. */
    private Uni<Void> forget(SessionDeleted deleted, long sequence) {
        UUID id = UUID.fromString(deleted.session().id());
        return session(deleted.session(), "DELETED", sequence)
                .chain(() -> pool.preparedQuery(NOTIFY_FORGET).execute(Tuple.of(id, id.toString())))
                .invoke(() -> cache.invalidate(id.toString()))
                .replaceWithVoid();
    }

    private Uni<Void> apply(String sessionId, SessionEvent event, long sequence) {
        return switch (event) {
            case SessionDeleted deleted -> forget(deleted, sequence);
            case SessionChange change -> session(change.session(), change.session().status().name(), sequence);
            case ParticipantChange change -> participant(sessionId, change, sequence);
            case StageChange other -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> session(SessionSnapshot s, String status, long sequence) {
        Tuple row = Tuple.tuple().addValue(UUID.fromString(s.id())).addValue(s.slug()).addValue(s.hostId())
                .addValue(s.kind().name()).addValue(s.visibility().name()).addValue(status)
                .addValue(s.scheduledAt() == null ? null : s.scheduledAt().atOffset(ZoneOffset.UTC))
                .addValue(sequence).addValue(UUID.fromString(s.id()).toString());
        // this instance forgets at once; the others when the notification reaches them
        return pool.preparedQuery(NOTIFY_SESSION).execute(row).invoke(() -> cache.invalidate(row.getString(8)))
                .replaceWithVoid();
    }

    /** The record's key is the session id (the outbox keys every session event by its session). */
    private Uni<Void> participant(String sessionId, ParticipantChange change, long sequence) {
        ParticipantSnapshot p = change.participant();
        if (sessionId == null || p == null || p.identity() == null) {
            return Uni.createFrom().voidItem();
        }
        String changed = UUID.fromString(sessionId) + " " + p.identity();
        Tuple row = Tuple.of(UUID.fromString(sessionId), p.identity(), p.role().name(),
                change instanceof ParticipantRemoved, sequence, changed);
        return pool.preparedQuery(NOTIFY_PARTICIPANT).execute(row).invoke(() -> cache.invalidate(changed))
                .replaceWithVoid();
    }
}
