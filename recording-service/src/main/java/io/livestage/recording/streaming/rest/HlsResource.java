package io.livestage.recording.streaming.rest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.rest.FileResponses;
import io.livestage.recording.storage.FileServing;
import io.livestage.recording.storage.RecordingStorage;

/**
 * HLS playback of a session's stream, for audiences beyond the room's capacity: {@code live.m3u8} (the live window),
 * {@code index.m3u8} (the whole stream; video on demand once the stream egress has ended) and the {@code .ts}
 * segments, read from the folder egress writes them to. Anonymous (players cannot send a bearer token) for PUBLIC and
 * UNLISTED sessions, 404 for PRIVATE ones. Segments never change (cached a day, immutable); live playlists are not
 * cached; CORS is open so players on any site can fetch them. Session visibility is cached for two seconds, so a
 * segment costs no database round trip.
 */
@jakarta.ws.rs.Path("/hls/{session}/{file}")
@Tag(name = "Streaming")
public class HlsResource {
    static final String PLAYLIST = "application/vnd.apple.mpegurl";
    static final String SEGMENT = "video/mp2t";

    /** What serving needs to know of a session: may it be played, and has its stream ended (VOD). */
    record Playable(boolean allowed, boolean ended) {
    }

    private final RecordingStorage storage;
    private final Vertx vertx;
    private final AsyncLoadingCache<UUID, Playable> sessions;

    public HlsResource(RecordingStorage storage, Vertx vertx, Pool pool) {
        this.storage = storage;
        this.vertx = vertx;
        this.sessions = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(2))
                .buildAsync((id, executor) -> pool.preparedQuery("""
                        select s.visibility, s.status, t.hls_ended_at from recording_sessions s
                        left join stream_sessions t on t.session_id = s.session_id where s.session_id = $1""")
                        .execute(Tuple.of(id)).map(rows -> {
                            if (!rows.iterator().hasNext()) {
                                return new Playable(false, false);
                            }
                            var r = rows.iterator().next();
                            return new Playable(!"PRIVATE".equals(r.getString(0)) && !"DELETED".equals(r.getString(1)),
                                    r.getValue(2) != null);
                        }).subscribeAsCompletionStage());
    }

    @GET
    @Operation(summary = "A playlist or segment of the session's HLS stream",
            description = "live.m3u8 while live, index.m3u8 for the whole stream (VOD once ended), seg_*.ts segments.")
    public Uni<Response> get(@PathParam("session") String session, @PathParam("file") String file,
            HttpHeaders headers) {
        return serve(session, file, headers, false);
    }

    @HEAD
    public Uni<Response> head(@PathParam("session") String session, @PathParam("file") String file,
            HttpHeaders headers) {
        return serve(session, file, headers, true);
    }

    private Uni<Response> serve(String sessionText, String file, HttpHeaders headers, boolean head) {
        UUID session;
        try {
            session = UUID.fromString(sessionText);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("stream " + sessionText);
        }
        boolean playlist = file.endsWith(".m3u8");
        if (!playlist && !file.endsWith(".ts")) {
            throw ProblemException.notFound("HLS file " + file);
        }
        java.nio.file.Path path = storage.hlsFile(session, file);
        return Uni.createFrom().completionStage(sessions.get(session)).chain(playable -> {
            if (!playable.allowed()) {
                throw ProblemException.notFound("stream " + session);
            }
            if (playlist && playable.ended() && file.equals("index.m3u8")) {
                return vod(path, session);
            }
            String cache = playlist ? "no-cache" : "public, max-age=86400, immutable";
            return storage.stat(path, session).map(stat -> cors(FileResponses.file(FileResponses.request(headers, head),
                    stat, path, playlist ? PLAYLIST : SEGMENT, cache, null)));
        });
    }

    /** The whole stream after its end: the EVENT playlist served as VOD (ended), cacheable. */
    private Uni<Response> vod(java.nio.file.Path path, UUID session) {
        return storage.stat(path, session).chain(stat -> vertx.fileSystem().readFile(path.toString()).map(buffer -> {
            String body = HlsPlaylists.vod(buffer.toString(StandardCharsets.UTF_8));
            return cors(Response.ok(body, PLAYLIST).header("Cache-Control", "public, max-age=3600")
                    .header("ETag", FileServing.etag(stat)).build());
        }));
    }

    private static Response cors(Response response) {
        response.getHeaders().add("Access-Control-Allow-Origin", "*");
        response.getHeaders().add("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag");
        return response;
    }
}
