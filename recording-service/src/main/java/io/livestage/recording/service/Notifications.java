package io.livestage.recording.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import io.livestage.events.EventType;
import io.livestage.events.PodcastEvent;
import io.livestage.events.RecordingEvent;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.Notification;
import io.livestage.recording.repository.NotificationRepository;
import io.livestage.recording.repository.NotificationRepository.Draft;

/**
 * What users are told about their sessions' recordings and episodes. Each recording event tells the session's host
 * (and the cohost who started a recording by hand): "Recording started" once per recording, "Recording ready" per file
 * with its download link, "Recording failed" per output with LiveKit's reason; a published episode says so. Written in the transaction of the event, so
 * a notification exists exactly when its event does. Users list theirs and mark them read.
 */
@ApplicationScoped
public class Notifications {
    public static final int MAX_LIMIT = 100;

    private final NotificationRepository notifications;

    public Notifications(NotificationRepository notifications) {
        this.notifications = notifications;
    }

    /** Notes what {@code event} tells its users, in the event's transaction. */
    public Uni<Void> onRecording(SqlClient tx, RecordingEvent event, Instant now) {
        return notifications.notify(tx, draft(event), now);
    }

    /** The notification an event makes (pure). */
    static Draft draft(RecordingEvent event) {
        UUID session = UUID.fromString(event.sessionId());
        UUID recording = UUID.fromString(event.recordingId());
        String kind = EventType.forPayload(event.getClass()).typeName();
        String recordingLink = "/api/sessions/" + session + "/recordings/" + recording;
        return switch (event) {
            case RecordingStarted started -> new Draft(session, kind, recording, null, "Recording started: ", "", null,
                    recordingLink, true);
            case RecordingCompleted completed -> new Draft(session, kind, recording, null, "Recording ready: ",
                    " (" + completed.format() + ", " + clock(completed.durationMillis()) + ")", null,
                    recordingLink + "/files/" + completed.format().name().toLowerCase(Locale.ROOT), false);
            case RecordingFailed failed -> new Draft(session, kind, recording, null, "Recording failed: ",
                    " (" + failed.format() + "): " + failed.reason(), null, recordingLink, false);
        };
    }

    /** Notes what a podcast event tells its users (a publication; nothing for an unpublished episode). */
    public Uni<Void> onPodcast(SqlClient tx, PodcastEvent event, Instant now) {
        return event instanceof PodcastPublished published ? notifications.notify(tx, draft(published), now)
                : Uni.createFrom().voidItem();
    }

    /** "Episode published: <episode title>", linking to the episode. */
    static Draft draft(PodcastPublished published) {
        return new Draft(UUID.fromString(published.sessionId()), EventType.forPayload(published.getClass()).typeName(),
                UUID.fromString(published.recordingId()), UUID.fromString(published.episodeId()), null, null,
                "Episode published: " + published.title(), "/api/episodes/" + published.episodeId(), false);
    }

    /** A duration as h:mm:ss or m:ss. */
    static String clock(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(),
                d.toSecondsPart()) : String.format(Locale.ROOT, "%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }

    /** The caller's notifications, newest first, and how many are unread. */
    public Uni<Page> list(String user, boolean unreadOnly, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.invalid("limit", "limit is between 1 and " + MAX_LIMIT);
        }
        return notifications.list(user, unreadOnly, limit)
                .chain(items -> notifications.unread(user).map(unread -> new Page(items, unread)));
    }

    public Uni<Void> markRead(String user, UUID id) {
        return notifications.markRead(user, id, Instant.now()).map(found -> {
            if (!found) {
                throw ProblemException.notFound("notification " + id);
            }
            return null;
        });
    }

    public Uni<Integer> markAllRead(String user) {
        return notifications.markAllRead(user, Instant.now());
    }

    /** A page of notifications and the caller's unread count. */
    public record Page(List<Notification> items, long unread) {
    }
}
