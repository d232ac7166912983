package io.livestage.recording.podcast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.livestage.events.SessionEvent;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.stage.GuestApproved;

/**
 * Chapters from a session's timeline, as pure functions: which session events open a chapter (the start, a guest
 * approved onto the stage, a participant made cohost; titled with the session's title or the speaker's name), and a
 * recording's chapters — the entry in effect when the recording started, at 0, then every entry within the recording,
 * as offsets from its start, ascending.
 */
public final class Chapters {
    /** The longest chapter title (the column's size). */
    public static final int MAX_TITLE = 200;

    private Chapters() {
    }

    /**
     * The timeline entry a session event adds, if any. {@code time} is the event's {@code ce_time}, used when the
     * event carries no time of its own; {@code sequence} its {@code ce_sequence} (the entry's identity).
     */
    public static Optional<TimelineEntry> entryOf(SessionEvent event, Instant time, long sequence) {
        return switch (event) {
            case SessionStarted started when started.session() != null -> Optional.of(new TimelineEntry(
                    first(started.session().startedAt(), time), TimelineEntry.Kind.SESSION_STARTED,
                    title(started.session().title(), "Start"), null, "session-started"));
            case GuestApproved approved when approved.participant() != null -> Optional.of(new TimelineEntry(
                    first(approved.request() == null ? null : approved.request().decidedAt(), time),
                    TimelineEntry.Kind.SPEAKER, speaker(approved.participant(),
                            approved.request() == null ? null : approved.request().name()), null, "seq-" + sequence));
            case ParticipantRoleChanged changed when changed.participant() != null
                    && changed.participant().role() == ParticipantRole.COHOST
                    && changed.previousRole() != ParticipantRole.COHOST -> Optional.of(new TimelineEntry(time,
                            TimelineEntry.Kind.SPEAKER, speaker(changed.participant(), null), null,
                            "seq-" + sequence));
            default -> Optional.empty();
        };
    }

    /** The chapters of a recording from {@code from} to {@code to} out of the session's timeline. */
    public static List<Chapter> ofRecording(List<TimelineEntry> timeline, Instant from, Instant to) {
        List<TimelineEntry> sorted = timeline.stream().sorted(Comparator.comparing(TimelineEntry::at)).toList();
        List<Chapter> chapters = new ArrayList<>();
        TimelineEntry current = null;
        for (TimelineEntry entry : sorted) {
            if (!entry.at().isAfter(from)) {
                current = entry;
            }
        }
        if (current != null) {
            chapters.add(new Chapter(0, current.title()));
        }
        for (TimelineEntry entry : sorted) {
            if (entry.at().isAfter(from) && !entry.at().isAfter(to)) {
                chapters.add(new Chapter(Duration.between(from, entry.at()).toMillis(), entry.title()));
            }
        }
        return chapters;
    }

    private static String speaker(ParticipantSnapshot participant, String requestName) {
        String name = participant.name() != null && !participant.name().isBlank() ? participant.name() : requestName;
        return title(name, participant.userId() != null ? participant.userId() : participant.identity());
    }

    private static String title(String text, String fallback) {
        String title = text == null || text.isBlank() ? fallback : text.strip();
        return title.length() <= MAX_TITLE ? title : title.substring(0, MAX_TITLE);
    }

    private static Instant first(Instant own, Instant fallback) {
        return own != null ? own : fallback;
    }
}
