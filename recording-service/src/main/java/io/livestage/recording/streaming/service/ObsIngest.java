package io.livestage.recording.streaming.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.livekit.LiveKitIngressClient;
import io.livestage.recording.livekit.StreamRequests;
import io.livestage.recording.model.SessionInfo;
import io.livestage.recording.streaming.model.Quality;
import io.livestage.recording.streaming.repository.StreamRepository;
import io.livestage.recording.streaming.repository.StreamRepository.StoredIngress;

/**
 * The host's OBS ingest of a session: an RTMP ingress LiveKit creates (publishing into the session's room as
 * {@code obs-<slug>}, transcoded to the session's stream quality), its server URL and stream key given to the host
 * only, the key stored sealed. LiveKit has no key rotation: rotating creates a new ingress and deletes the old one,
 * which cuts a push that is live on the old key (the answer says so). Revoking deletes it; so does the session's end.
 * Deletions at LiveKit are queued in the same transaction and done by the {@link StreamDriver}, retried until done.
 */
@ApplicationScoped
public class ObsIngest {
    private final StreamRepository streams;
    private final StreamAccess access;
    private final LiveKitIngressClient ingress;
    private final SecretBox secrets;
    private final StreamDriver driver;

    public ObsIngest(StreamRepository streams, StreamAccess access, LiveKitIngressClient ingress, SecretBox secrets,
            StreamDriver driver) {
        this.streams = streams;
        this.access = access;
        this.ingress = ingress;
        this.secrets = secrets;
        this.driver = driver;
    }

    /** What the host puts into OBS (Settings, Stream, Service: Custom): {@code url} as Server, the key as Stream Key. */
    public record Credentials(String ingressId, String url, String streamKey, String state, boolean replacedLivePush,
            Instant createdAt) {
        @Override
        public String toString() {
            return "Credentials[ingressId=" + ingressId + ", url=" + url + ", streamKey=(hidden)]";
        }
    }

    public Uni<Credentials> create(String ref, String caller) {
        return access.hostOf(ref, caller, true).chain(session -> streams.ingress(streams.pool(), session.id(), false)
                .chain(existing -> {
                    if (existing != null) {
                        throw ProblemException.conflict("The session already has an OBS ingest: rotate its key "
                                + "(POST .../stream/ingress/rotate) or revoke it (DELETE .../stream/ingress)");
                    }
                    return replace(session, caller, false);
                }));
    }

    public Uni<Credentials> rotate(String ref, String caller) {
        return access.hostOf(ref, caller, true).chain(session -> streams.ingress(streams.pool(), session.id(), false)
                .chain(existing -> {
                    if (existing == null) {
                        throw ProblemException.notFound("OBS ingest of session " + session.id()
                                + " (create one with POST .../stream/ingress)");
                    }
                    return replace(session, caller, true);
                }));
    }

    public Uni<Credentials> get(String ref, String caller) {
        return access.hostOf(ref, caller, false).chain(session -> streams.ingress(streams.pool(), session.id(), false)
                .map(stored -> {
                    if (stored == null) {
                        throw ProblemException.notFound("OBS ingest of session " + session.id());
                    }
                    return credentials(session.id(), stored, false);
                }));
    }

    public Uni<Void> revoke(String ref, String caller) {
        Instant now = Instant.now();
        return access.hostOf(ref, caller, false).chain(session -> streams.pool().withTransaction(tx -> streams
                .removeIngress(tx, session.id(), now).chain(removed -> {
                    if (removed == null) {
                        throw ProblemException.notFound("OBS ingest of session " + session.id());
                    }
                    return streams.changed(tx, session.id(), now);
                }))).invoke(driver::kick);
    }

    /**
     * Creates an ingress at LiveKit, then (in one transaction, the session's stream row locked) stores it and queues
     * the deletion of the one it replaces. Two hosts' requests racing: the loser's new ingress is queued for deletion.
     */
    private Uni<Credentials> replace(SessionInfo session, String caller, boolean rotation) {
        return streams.quality(session.id())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(quality -> createAtLiveKit(session, quality))
                .chain(created -> {
                    Instant now = Instant.now();
                    SecretBox.Sealed key = secrets.seal(created.streamKey(), context(session.id(), created.ingressId()));
                    return streams.pool().withTransaction(tx -> streams.lockBroadcast(tx, session.id(), now)
                            .chain(() -> streams.ingress(tx, session.id(), true)).chain(old -> {
                                if (old != null && !rotation) {
                                    return streams.queueDeletion(tx, created.ingressId(), session.id(), now)
                                            .map(ignored -> (Credentials) null);
                                }
                                boolean wasLive = old != null && ("ENDPOINT_PUBLISHING".equals(old.state())
                                        || "ENDPOINT_BUFFERING".equals(old.state()));
                                Uni<String> removeOld = old == null ? Uni.createFrom().nullItem()
                                        : streams.removeIngress(tx, session.id(), now);
                                return removeOld.chain(() -> streams.insertIngress(tx, session.id(),
                                        created.ingressId(), created.url(), key, caller, now))
                                        .chain(() -> streams.changed(tx, session.id(), now))
                                        .map(ignored -> new Credentials(created.ingressId(), created.url(),
                                                created.streamKey(), "ENDPOINT_INACTIVE", wasLive, now));
                            })).invoke(driver::kick).map(credentials -> {
                                if (credentials == null) {
                                    throw ProblemException.conflict("The session already has an OBS ingest");
                                }
                                return credentials;
                            });
                });
    }

    private LiveKitIngressClient.Created createAtLiveKit(SessionInfo session, Quality quality) {
        try {
            return ingress.createRtmp("livestage-" + session.slug(), session.id().toString(), "obs-" + session.slug(),
                    session.title() + " (OBS)", StreamRequests.ingressAudio(),
                    session.video() ? StreamRequests.ingressVideo(quality) : null);
        } catch (LiveKitCallFailed e) {
            throw ProblemException.fromStatus(503, "LiveKit did not create the ingress; try again in a moment");
        }
    }

    private Credentials credentials(UUID session, StoredIngress stored, boolean replaced) {
        return new Credentials(stored.ingressId(), stored.url(),
                secrets.open(stored.streamKey(), context(session, stored.ingressId())), stored.state(), replaced,
                stored.createdAt());
    }

    static String context(UUID session, String ingressId) {
        return "ingress:" + session + ":" + ingressId;
    }
}
