package io.livestage.session.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

import io.livestage.session.IdempotencyRecord;

@ApplicationScoped
public class IdempotencyRecordRepository implements PanacheRepositoryBase<IdempotencyRecord, IdempotencyRecord.Key> {
    /** Inserts the record, or replaces an expired one under the same key; a live one is left alone. */
    private static final String CLAIM = """
            insert into idempotency_keys (user_id, idempotency_key, request_hash, session_id, created_at, expires_at)
            values (:user, :key, :hash, :session, :created, :expires)
            on conflict (user_id, idempotency_key) do update
                set request_hash = excluded.request_hash, session_id = excluded.session_id,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                where idempotency_keys.expires_at <= excluded.created_at""";

    /**
     * Claims the record's key for its user, in the caller's transaction. Returns null when claimed, else the live record
     * that holds the key. A claim of a key another transaction has just claimed waits for that transaction: once it
     * commits, its record is returned; if it rolls back, this claim succeeds.
     */
    public Uni<IdempotencyRecord> claim(IdempotencyRecord record) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CLAIM)
                .setParameter("user", record.userId).setParameter("key", record.idempotencyKey)
                .setParameter("hash", record.requestHash).setParameter("session", record.sessionId)
                .setParameter("created", record.createdAt).setParameter("expires", record.expiresAt)
                .executeUpdate())
                .chain(claimed -> claimed == 1 ? Uni.createFrom().nullItem()
                        : findById(new IdempotencyRecord.Key(record.userId, record.idempotencyKey)));
    }
}
