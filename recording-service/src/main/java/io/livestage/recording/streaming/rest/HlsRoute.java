package io.livestage.recording.streaming.rest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemResponses;
import io.livestage.platform.problem.ProblemType;
import io.livestage.recording.storage.FileServing;
import io.livestage.recording.storage.RecordingStorage;

/**
 * HLS playback of a session's stream, for audiences beyond the room's capacity: {@code live.m3u8} (the live window),
 * {@code index.m3u8} (the whole stream; video on demand once the stream egress has ended) and the {@code .ts}
 * segments, read from the folder egress writes them to, with the range and conditional rules of {@link FileServing}
 * (the same as every stored file) and {@code sendfile}. Anonymous (players cannot send a bearer token) for PUBLIC and
 * UNLISTED sessions, 404 for PRIVATE ones. Segments never change (cached a day, immutable); live playlists are not
 * cached; CORS is open so players on any site can fetch them.
 * <p>
 * A plain Vert.x route rather than a JAX-RS resource, because a segment is the hottest request of a stream: the
 * session's visibility is cached for two seconds and a segment's size and time once it exists (egress writes a
 * segment whole and never again), so a segment request costs neither a database round trip nor a file-system call
 * on a worker thread (ADR 0015; {@code ./bench/run streaming} compares it with a plain static-file server).
 */
@ApplicationScoped
public class HlsRoute {
    static final String PLAYLIST = "application/vnd.apple.mpegurl";
    static final String SEGMENT = "video/mp2t";
    static final String PATH = "/hls/:session/:file";

    /** What serving needs to know of a session: may it be played, and has its stream ended (VOD). */
    record Playable(boolean allowed, boolean ended) {
    }

    private final RecordingStorage storage;
    private final Vertx vertx;
    private final AsyncLoadingCache<UUID, Playable> sessions;
    private final Cache<Path, FileServing.Stat> segments = Caffeine.newBuilder().maximumSize(20_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    public HlsRoute(RecordingStorage storage, Vertx vertx, Pool pool) {
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
                            Row r = rows.iterator().next();
                            return new Playable(!"PRIVATE".equals(r.getString(0)) && !"DELETED".equals(r.getString(1)),
                                    r.getValue(2) != null);
                        }).subscribeAsCompletionStage());
    }

    void routes(@Observes Router router) {
        router.route(HttpMethod.GET, PATH).handler(this::serve);
        router.route(HttpMethod.HEAD, PATH).handler(this::serve);
    }

    private void serve(RoutingContext rc) {
        String file = rc.pathParam("file");
        UUID session;
        Path path;
        try {
            session = UUID.fromString(rc.pathParam("session"));
            if (!file.endsWith(".m3u8") && !file.endsWith(".ts")) {
                throw ProblemException.notFound("HLS file " + file);
            }
            path = storage.hlsFile(session, file);
        } catch (IllegalArgumentException e) {
            ProblemResponses.answer(rc, ProblemType.NOT_FOUND, "stream " + rc.pathParam("session"));
            return;
        } catch (ProblemException e) {
            ProblemResponses.answer(rc, e.type(), e.getMessage());
            return;
        }
        Context context = Vertx.currentContext();
        CompletableFuture<Playable> playable = sessions.get(session);
        if (playable.isDone()) {
            serve(rc, session, file, path, playable.getNow(null));
        } else {
            playable.whenComplete((p, failure) -> context.runOnContext(ignored -> {
                if (failure != null) {
                    rc.fail(failure);
                } else {
                    serve(rc, session, file, path, p);
                }
            }));
        }
    }

    private void serve(RoutingContext rc, UUID session, String file, Path path, Playable playable) {
        if (playable == null || !playable.allowed()) {
            ProblemResponses.answer(rc, ProblemType.NOT_FOUND, "stream " + session);
            return;
        }
        boolean playlist = file.endsWith(".m3u8");
        if (playlist && playable.ended() && file.equals("index.m3u8")) {
            vod(rc, path);
            return;
        }
        FileServing.Stat cached = playlist ? null : segments.getIfPresent(path);
        if (cached != null) {
            send(rc, path, cached, playlist);
            return;
        }
        vertx.fileSystem().props(path.toString()).onComplete(result -> {
            if (result.failed() || !result.result().isRegularFile()) {
                ProblemResponses.answer(rc, ProblemType.NOT_FOUND, "HLS file " + file);
                return;
            }
            FileServing.Stat stat = new FileServing.Stat(result.result().size(), result.result().lastModifiedTime());
            if (!playlist) {
                segments.put(path, stat);
            }
            send(rc, path, stat, playlist);
        });
    }

    private static void send(RoutingContext rc, Path path, FileServing.Stat stat, boolean playlist) {
        HttpServerRequest request = rc.request();
        FileServing.Answer answer = FileServing.answer(new FileServing.Request(request.method() == HttpMethod.HEAD,
                request.getHeader("Range"), request.getHeader("If-Range"), request.getHeader("If-None-Match"),
                request.getHeader("If-Modified-Since")), stat, playlist ? PLAYLIST : SEGMENT);
        HttpServerResponse response = rc.response().setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        cors(response).putHeader("Cache-Control", playlist ? "no-cache" : "public, max-age=86400, immutable");
        if (answer.body()) {
            response.sendFile(path.toString(), answer.offset(), answer.length());
        } else {
            response.end();
        }
    }

    /** The whole stream after its end: the EVENT playlist served as VOD (ended), cacheable. */
    private void vod(RoutingContext rc, Path path) {
        vertx.fileSystem().readFile(path.toString()).onComplete(read -> {
            if (read.failed()) {
                ProblemResponses.answer(rc, ProblemType.NOT_FOUND, "HLS file index.m3u8");
                return;
            }
            String body = HlsPlaylists.vod(read.result().toString());
            HttpServerResponse response = cors(rc.response()).putHeader("Content-Type", PLAYLIST)
                    .putHeader("Cache-Control", "public, max-age=3600");
            if (rc.request().method() == HttpMethod.HEAD) {
                response.putHeader("Content-Length", Integer.toString(body.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8).length)).end();
            } else {
                response.end(body);
            }
        });
    }

    private static HttpServerResponse cors(HttpServerResponse response) {
        return response.putHeader("Access-Control-Allow-Origin", "*")
                .putHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag");
    }
}
