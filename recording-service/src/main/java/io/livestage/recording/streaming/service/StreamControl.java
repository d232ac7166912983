package io.livestage.recording.streaming.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.config.RecordingConfig;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.streaming.model.Quality;
import io.livestage.recording.streaming.model.StreamRow;
import io.livestage.recording.streaming.model.StreamStatus;
import io.livestage.recording.streaming.repository.StreamRepository;
import io.livestage.recording.streaming.repository.TargetRepository;
import io.livestage.recording.streaming.repository.TargetRepository.Keyed;

/**
 * A session's stream: its quality, its stream egress (HLS, started by the host or with the first restream), the
 * restreams of saved targets (added to and removed from the running egress live), what the session's start (targets
 * marked auto) and end (everything stops, the ingress is deleted) mean for it, and its status. Requests record intents
 * in one transaction with a status change; the {@link StreamDriver} makes the LiveKit calls after the commit.
 */
@ApplicationScoped
public class StreamControl {
    private final StreamRepository streams;
    private final TargetRepository targets;
    private final StreamAccess access;
    private final SecretBox secrets;
    private final StreamDriver driver;
    private final RecordingConfig config;

    public StreamControl(StreamRepository streams, TargetRepository targets, StreamAccess access, SecretBox secrets,
            StreamDriver driver, RecordingConfig config) {
        this.streams = streams;
        this.targets = targets;
        this.access = access;
        this.secrets = secrets;
        this.driver = driver;
        this.config = config;
    }

    /** The status as {@code caller} (null: anonymous) sees it. */
    public Uni<StreamStatus> status(String ref, String caller) {
        return access.viewerOf(ref, caller).chain(session -> status(session.id(), caller));
    }

    /** The status of a session known to exist, for {@code caller}. */
    public Uni<StreamStatus> status(UUID session, String caller) {
        return streams.status(session).map(row -> {
            if (row == null) {
                throw ProblemException.notFound("session " + session);
            }
            return view(row, caller != null && caller.equals(row.hostId()));
        });
    }

    /** The view of a stored row: {@code host} adds the targets. */
    public StreamStatus view(StreamRow row, boolean host) {
        return StreamStatus.of(row, host, hlsBase(row.sessionId()), Instant.now());
    }

    public String hlsBase(UUID session) {
        String base = config.publicUrl();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/hls/" + session + "/";
    }

    public Uni<StreamStatus> setQuality(String ref, String caller, String quality, Integer audioKbps) {
        Quality q = Quality.parse(quality).orElseThrow(() -> ProblemException.invalid("quality",
                "quality is 720p, 1080p or 4k"));
        int audio = audioKbps == null ? 128 : audioKbps;
        if (audio < Quality.MIN_AUDIO_KBPS || audio > Quality.MAX_AUDIO_KBPS) {
            throw ProblemException.invalid("audioBitrateKbps", "audioBitrateKbps is between "
                    + Quality.MIN_AUDIO_KBPS + " and " + Quality.MAX_AUDIO_KBPS);
        }
        Instant now = Instant.now();
        return access.hostOf(ref, caller, true).chain(session -> streams.pool().withTransaction(tx -> streams
                .setQuality(tx, session.id(), q, audio, now).chain(() -> streams.changed(tx, session.id(), now)))
                .chain(() -> status(session.id(), caller)));
    }

    /** Starts the stream egress (HLS; restreams join it); 409 unless the session is live, idempotent while running. */
    public Uni<StreamStatus> start(String ref, String caller) {
        Instant now = Instant.now();
        return access.hostOf(ref, caller, true).chain(session -> {
            requireLive(session);
            return streams.pool().withTransaction(tx -> ensureBroadcast(tx, session.id(), caller, now)
                    .chain(() -> streams.changed(tx, session.id(), now)))
                    .invoke(driver::kick).chain(() -> status(session.id(), caller));
        });
    }

    /** Stops the stream egress and with it every restream; the HLS playlist becomes video on demand once it ends. */
    public Uni<StreamStatus> stop(String ref, String caller) {
        Instant now = Instant.now();
        return access.hostOf(ref, caller, false).chain(session -> streams.pool().withTransaction(tx -> streams
                .requestBroadcastStop(tx, session.id(), now).chain(stopped -> {
                    if (!stopped) {
                        throw ProblemException.conflict("The session's stream is not running");
                    }
                    return streams.changed(tx, session.id(), now);
                })).invoke(driver::kick).chain(() -> status(session.id(), caller)));
    }

    /** Restreams a saved target of the host in the live session (starting the stream egress when needed). */
    public Uni<StreamStatus> startRestream(String ref, String caller, UUID target) {
        Instant now = Instant.now();
        return access.hostOf(ref, caller, true).chain(session -> {
            requireLive(session);
            return streams.pool().withTransaction(tx -> targets.keyed(tx, target, caller).chain(keyed -> {
                if (keyed == null) {
                    throw ProblemException.notFound("restream target " + target);
                }
                return restream(tx, session.id(), keyed, caller, now).chain(started -> {
                    if (!started) {
                        throw ProblemException.conflict("Restream to " + keyed.target().name() + " is already running");
                    }
                    return streams.changed(tx, session.id(), now);
                });
            })).invoke(driver::kick).chain(() -> status(session.id(), caller));
        });
    }

    public Uni<StreamStatus> stopRestream(String ref, String caller, UUID target) {
        Instant now = Instant.now();
        return access.hostOf(ref, caller, false).chain(session -> streams.pool().withTransaction(tx -> streams
                .stopRestream(tx, session.id(), target, now).chain(before -> {
                    if (before == null) {
                        throw ProblemException.conflict("Restream " + target + " is not running in this session");
                    }
                    return streams.changed(tx, session.id(), now);
                })).invoke(driver::kick).chain(() -> status(session.id(), caller)));
    }

    /** session.started, in the projection's transaction: the host's auto targets start (with the stream egress). */
    public Uni<Boolean> sessionStarted(SqlClient tx, UUID session, String host, Instant now) {
        return targets.autoTargets(tx, host).chain(auto -> {
            if (auto.isEmpty()) {
                return streams.changed(tx, session, now).replaceWith(false);
            }
            Uni<Void> chain = ensureBroadcast(tx, session, host, now);
            for (Keyed keyed : auto) {
                chain = chain.chain(() -> restream(tx, session, keyed, host, now).replaceWithVoid());
            }
            return chain.chain(() -> streams.changed(tx, session, now)).replaceWith(true);
        });
    }

    /** The session ended (or was cancelled or deleted): its stream egress stops, its ingress is deleted. */
    public Uni<Boolean> sessionEnded(SqlClient tx, UUID session, Instant now) {
        return streams.requestBroadcastStop(tx, session, now)
                .chain(stopping -> streams.removeIngress(tx, session, now)
                        .chain(ingress -> streams.forgetAudience(tx, session))
                        .chain(() -> streams.changed(tx, session, now)).replaceWith(true));
    }

    /** Any other change of the session (its title, settings, visibility): the status may show it. */
    public Uni<Void> changedIfKnown(SqlClient tx, UUID session, Instant now) {
        return streams.changed(tx, session, now);
    }

    private Uni<Void> ensureBroadcast(SqlClient tx, UUID session, String by, Instant now) {
        return streams.lockBroadcast(tx, session, now).chain(status -> isRunning(status)
                ? Uni.createFrom().voidItem() : streams.requestBroadcast(tx, session, by, now));
    }

    /** Adds the restream; due now when the stream egress runs, else carried by its start. */
    private Uni<Boolean> restream(SqlClient tx, UUID session, Keyed keyed, String by, Instant now) {
        UUID target = keyed.target().id();
        String key = secrets.open(keyed.key(), RestreamTargets.context(target));
        String url = keyed.target().serverUrl() + key;
        return streams.lockBroadcast(tx, session, now).chain(status -> {
            Uni<Void> ensure = isRunning(status) ? Uni.createFrom().voidItem()
                    : streams.requestBroadcast(tx, session, by, now);
            boolean addNow = "STARTING".equals(status) || "ACTIVE".equals(status);
            return ensure.chain(() -> streams.startRestream(tx, session, target, keyed.target().name(),
                    keyed.target().kind(), secrets.seal(url, StreamDriver.context(session, target)),
                    StreamUrls.redact(url), by, addNow, now));
        });
    }

    private static boolean isRunning(String status) {
        return status != null && List.of("PENDING", "STARTING", "ACTIVE").contains(status);
    }

    private static void requireLive(SessionInfo session) {
        if (!session.active()) {
            throw ProblemException.conflict("The session is " + session.status() + ": a stream starts once it is live");
        }
    }
}
