package io.livestage.recording.streaming.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.streaming.model.RestreamTarget;
import io.livestage.recording.streaming.model.TargetKind;
import io.livestage.recording.streaming.service.SecretBox.Sealed;

import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** Hosts' saved restream targets; the stream key is stored sealed and only read back to start a restream. */
@ApplicationScoped
public class TargetRepository {
    private static final String COLUMNS = "target_id, owner_id, name, kind, server_url, key_hint, auto_start, "
            + "created_at, updated_at";

    private final Pool pool;

    public TargetRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Void> insert(UUID id, String owner, String name, TargetKind kind, String serverUrl, Sealed key,
            String hint, boolean auto, Instant now) {
        return pool.preparedQuery("""
                insert into restream_targets (target_id, owner_id, name, kind, server_url, key_id, stream_key, key_hint,
                    auto_start, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)""")
                .execute(Tuple.tuple().addUUID(id).addString(owner).addString(name).addString(kind.name())
                        .addString(serverUrl).addString(key.keyId()).addBuffer(Buffer.buffer(key.ciphertext()))
                        .addString(hint).addBoolean(auto).addOffsetDateTime(utc(now)))
                .replaceWithVoid();
    }

    /** Replaces the target's fields; the key only when {@code key} is given. False when it is not the owner's. */
    public Uni<Boolean> update(UUID id, String owner, String name, TargetKind kind, String serverUrl, Sealed key,
            String hint, boolean auto, Instant now) {
        return pool.preparedQuery("""
                update restream_targets set name = $3, kind = $4, server_url = $5,
                    key_id = coalesce($6, key_id), stream_key = coalesce($7, stream_key),
                    key_hint = coalesce($8, key_hint), auto_start = $9, updated_at = $10
                where target_id = $1 and owner_id = $2""")
                .execute(withKey(Tuple.tuple().addUUID(id).addString(owner).addString(name).addString(kind.name())
                        .addString(serverUrl).addString(key == null ? null : key.keyId()), key).addString(hint)
                        .addBoolean(auto).addOffsetDateTime(utc(now)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The sealed key as bytea, or a null that keeps the stored one. */
    private static Tuple withKey(Tuple tuple, Sealed key) {
        return key == null ? tuple.addValue(null) : tuple.addBuffer(Buffer.buffer(key.ciphertext()));
    }

    public Uni<Boolean> delete(UUID id, String owner) {
        return pool.preparedQuery("delete from restream_targets where target_id = $1 and owner_id = $2")
                .execute(Tuple.of(id, owner)).map(rows -> rows.rowCount() > 0);
    }

    public Uni<List<RestreamTarget>> list(String owner) {
        return pool.preparedQuery("select " + COLUMNS + " from restream_targets where owner_id = $1 "
                + "order by created_at, target_id").execute(Tuple.of(owner)).map(rows -> {
                    List<RestreamTarget> out = new ArrayList<>();
                    rows.forEach(r -> out.add(target(r)));
                    return out;
                });
    }

    /** The owner's target, or null. */
    public Uni<RestreamTarget> find(UUID id, String owner) {
        return pool.preparedQuery("select " + COLUMNS + " from restream_targets where target_id = $1 and owner_id = $2")
                .execute(Tuple.of(id, owner))
                .map(rows -> rows.iterator().hasNext() ? target(rows.iterator().next()) : null);
    }

    /** The target with its sealed key (to start a restream), or null. */
    public record Keyed(RestreamTarget target, Sealed key) {
    }

    public Uni<Keyed> keyed(SqlClient client, UUID id, String owner) {
        return client.preparedQuery("select " + COLUMNS + ", key_id, stream_key from restream_targets "
                + "where target_id = $1 and owner_id = $2").execute(Tuple.of(id, owner))
                .map(rows -> rows.iterator().hasNext() ? keyed(rows.iterator().next()) : null);
    }

    /** The owner's targets marked to start with every session. */
    public Uni<List<Keyed>> autoTargets(SqlClient client, String owner) {
        return client.preparedQuery("select " + COLUMNS + ", key_id, stream_key from restream_targets "
                + "where owner_id = $1 and auto_start order by created_at").execute(Tuple.of(owner)).map(rows -> {
                    List<Keyed> out = new ArrayList<>();
                    rows.forEach(r -> out.add(keyed(r)));
                    return out;
                });
    }

    private static Keyed keyed(Row r) {
        return new Keyed(target(r), new Sealed(r.getString("key_id"), r.getBuffer("stream_key").getBytes()));
    }

    private static RestreamTarget target(Row r) {
        return new RestreamTarget(r.getUUID("target_id"), r.getString("owner_id"), r.getString("name"),
                TargetKind.valueOf(r.getString("kind")), r.getString("server_url"), r.getString("key_hint"),
                r.getBoolean("auto_start"), instant(r, "created_at"), instant(r, "updated_at"));
    }
}
