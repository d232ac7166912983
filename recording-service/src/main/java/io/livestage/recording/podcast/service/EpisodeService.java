package io.livestage.recording.podcast.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.podcast.PodcastUnpublished;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.podcast.Episode;
import io.livestage.recording.podcast.EpisodeStatus;
import io.livestage.recording.podcast.repository.EpisodeRepository;
import io.livestage.recording.repository.SessionRepository;

/**
 * The host's library: list, read, edit, publish ({@code podcast.published}), unpublish and delete
 * ({@code podcast.unpublished} when it was published) episodes, each change and its event in one transaction.
 * Only the session's host changes an episode; its cohosts and, once it is published and not PRIVATE, anyone signed
 * in may read it (others changing it get 403); to everyone else it does not exist (404).
 */
@ApplicationScoped
public class EpisodeService {
    private final EpisodeRepository episodes;
    private final SessionRepository sessions;
    private final PodcastEvents events;

    public EpisodeService(EpisodeRepository episodes, SessionRepository sessions, PodcastEvents events) {
        this.episodes = episodes;
        this.sessions = sessions;
        this.events = events;
    }

    /** The caller's episodes (drafts included), newest first. */
    public Uni<List<EpisodeView>> mine(String caller) {
        return episodes.ofHost(caller).chain(list -> list.isEmpty() ? Uni.createFrom().item(List.<EpisodeView>of())
                : Uni.join().all(list.stream().map(this::view).toList()).andFailFast());
    }

    public Uni<EpisodeView> get(UUID id, String caller) {
        return episodes.find(episodes.pool(), id).chain(e -> readable(e, id, caller)).chain(this::view);
    }

    /** Applies a PATCH body (see {@link EpisodeEdits#patch}). */
    public Uni<EpisodeView> edit(UUID id, String caller, JsonNode body) {
        Map<String, Object> columns = EpisodeEdits.patch(body);
        return change(id, caller, (tx, e) -> columns.isEmpty() ? Uni.createFrom().item(false)
                : episodes.update(tx, id, columns, Instant.now()).replaceWith(false));
    }

    /** Replaces the chapters (see {@link EpisodeEdits#chapters}). */
    public Uni<EpisodeView> chapters(UUID id, String caller, JsonNode body) {
        return change(id, caller, (tx, e) -> episodes.replaceChapters(tx, id,
                EpisodeEdits.chapters(body, e.durationMillis())).replaceWith(false));
    }

    public Uni<EpisodeView> publish(UUID id, String caller) {
        return change(id, caller, (tx, e) -> {
            if (e.status() == EpisodeStatus.PUBLISHED) {
                throw ProblemException.conflict("Episode " + id + " is already published");
            }
            Instant now = Instant.now();
            Instant publishedAt = e.publishedAt() != null ? e.publishedAt() : now;
            return episodes.publish(tx, id, now).chain(() -> events.append(tx, new PodcastPublished(id.toString(),
                    e.sessionId().toString(), e.recordingId().toString(), e.hostId(), e.space(), e.title(),
                    e.visibility(), e.mediaBytes(), e.durationMillis(), publishedAt), now)).replaceWith(true);
        });
    }

    public Uni<EpisodeView> unpublish(UUID id, String caller) {
        return change(id, caller, (tx, e) -> {
            if (e.status() != EpisodeStatus.PUBLISHED) {
                throw ProblemException.conflict("Episode " + id + " is " + e.status() + ", not published");
            }
            Instant now = Instant.now();
            return episodes.unpublish(tx, id, now).chain(() -> events.append(tx, unpublished(e,
                    PodcastUnpublished.Reason.UNPUBLISHED, now), now)).replaceWith(true);
        });
    }

    /** Deletes the episode (the recording and its file stay); a published one is announced unpublished first. */
    public Uni<Void> delete(UUID id, String caller) {
        return episodes.find(episodes.pool(), id).chain(found -> owned(found, id, caller))
                .chain(() -> episodes.pool().withTransaction(tx -> episodes.lock(tx, id).chain(e -> {
                    if (e == null) {
                        throw ProblemException.notFound("episode " + id);
                    }
                    Instant now = Instant.now();
                    Uni<Void> announced = e.status() == EpisodeStatus.PUBLISHED
                            ? events.append(tx, unpublished(e, PodcastUnpublished.Reason.DELETED, now), now)
                            : Uni.createFrom().voidItem();
                    return announced.chain(() -> episodes.delete(tx, id))
                            .replaceWith(e.status() == EpisodeStatus.PUBLISHED);
                })))
                .invoke(announced -> {
                    if (announced) {
                        events.committed();
                    }
                }).replaceWithVoid();
    }

    /**
     * Runs {@code work} on the episode locked in a transaction after checking the caller is its host; {@code work}
     * answers whether it appended an event. Returns the episode as it is after the commit.
     */
    private Uni<EpisodeView> change(UUID id, String caller, BiFunction<SqlClient, Episode, Uni<Boolean>> work) {
        return episodes.find(episodes.pool(), id).chain(found -> owned(found, id, caller))
                .chain(() -> episodes.pool().withTransaction(tx -> episodes.lock(tx, id).chain(e -> {
                    if (e == null) {
                        throw ProblemException.notFound("episode " + id);
                    }
                    return work.apply(tx, e);
                })))
                .invoke(appended -> {
                    if (appended) {
                        events.committed();
                    }
                })
                .chain(() -> episodes.find(episodes.pool(), id)).chain(this::view);
    }

    private Uni<EpisodeView> view(Episode e) {
        return episodes.chapters(episodes.pool(), e.id()).map(chapters -> new EpisodeView(e, chapters));
    }

    /** The host may change the episode; those who may read it get 403, everyone else 404. */
    private Uni<Void> owned(Episode e, UUID id, String caller) {
        if (e != null && caller.equals(e.hostId())) {
            return Uni.createFrom().voidItem();
        }
        return readable(e, id, caller).map(readable -> {
            throw ProblemException.forbidden("only the session's host edits, publishes and deletes its episodes");
        });
    }

    /** The host and the session's cohosts read an episode; anyone signed in reads a published, not PRIVATE one. */
    private Uni<Episode> readable(Episode e, UUID id, String caller) {
        if (e == null) {
            throw ProblemException.notFound("episode " + id);
        }
        if (caller.equals(e.hostId()) || e.status() == EpisodeStatus.PUBLISHED
                && e.visibility() != EpisodeVisibility.PRIVATE) {
            return Uni.createFrom().item(e);
        }
        return sessions.member(e.sessionId(), caller).map(member -> {
            if (member == null || !member.cohost()) {
                throw ProblemException.notFound("episode " + id);
            }
            return e;
        });
    }

    private static PodcastUnpublished unpublished(Episode e, PodcastUnpublished.Reason reason, Instant now) {
        return new PodcastUnpublished(e.id().toString(), e.sessionId().toString(), e.hostId(), reason, now);
    }
}
