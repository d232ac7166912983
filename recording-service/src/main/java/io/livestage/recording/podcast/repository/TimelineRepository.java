package io.livestage.recording.podcast.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.recording.podcast.TimelineEntry;

import static io.livestage.recording.repository.Rows.clip;
import static io.livestage.recording.repository.Rows.instant;
import static io.livestage.recording.repository.Rows.utc;

/** A session's timeline (chapter candidates): entries are added once per source event and never changed. */
@ApplicationScoped
public class TimelineRepository {

    /** Adds the entry unless the session is unknown or the entry's event added one already; true when added. */
    public Uni<Boolean> add(SqlClient tx, UUID entryId, UUID session, TimelineEntry entry) {
        return tx.preparedQuery("""
                insert into session_timeline (entry_id, session_id, at, kind, title, created_by, dedupe_key)
                select $1, $2, $3, $4, $5, $6, $7 where exists (select 1 from recording_sessions where session_id = $2)
                on conflict (session_id, dedupe_key) do nothing""")
                .execute(Tuple.tuple().addUUID(entryId).addUUID(session).addOffsetDateTime(utc(entry.at()))
                        .addString(entry.kind().name()).addString(clip(entry.title(), 200))
                        .addString(entry.createdBy()).addString(entry.dedupeKey()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The session's timeline in order. */
    public Uni<List<TimelineEntry>> of(SqlClient client, UUID session) {
        return client.preparedQuery("select at, kind, title, created_by, dedupe_key from session_timeline "
                + "where session_id = $1 order by at, entry_id").execute(Tuple.of(session)).map(rows -> {
                    List<TimelineEntry> entries = new ArrayList<>();
                    for (Row r : rows) {
                        entries.add(new TimelineEntry(instant(r, "at"), TimelineEntry.Kind.valueOf(r.getString("kind")),
                                r.getString("title"), r.getString("created_by"), r.getString("dedupe_key")));
                    }
                    return entries;
                });
    }
}
