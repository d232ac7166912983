package io.livestage.recording.podcast;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.livestage.events.participant.ParticipantJoined;
import io.livestage.events.participant.ParticipantRole;
import io.livestage.events.participant.ParticipantRoleChanged;
import io.livestage.events.participant.ParticipantSnapshot;
import io.livestage.events.session.SessionKind;
import io.livestage.events.session.SessionSnapshot;
import io.livestage.events.session.SessionStarted;
import io.livestage.events.session.SessionStatus;
import io.livestage.events.session.SessionVisibility;
import io.livestage.events.stage.GuestApproved;
import io.livestage.events.stage.StageRequestSnapshot;
import io.livestage.events.stage.StageRequestStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ChaptersTest {
    private static final Instant START = Instant.parse("2026-11-21T18:00:00Z");

    private static TimelineEntry entry(long secondsAfterStart, String title) {
        return new TimelineEntry(START.plusSeconds(secondsAfterStart), TimelineEntry.Kind.SPEAKER, title, null,
                "k-" + secondsAfterStart);
    }

    private static ParticipantSnapshot participant(String name, ParticipantRole role) {
        return new ParticipantSnapshot("u-1", "u-1", name, role, SessionKind.AUDIO, false, false, START, null, 0);
    }

    @Test
    void aRecordingsChaptersStartWithTheEntryInEffectAtZeroThenTheEntriesWithinItAscending() {
        Instant from = START.plusSeconds(5);
        Instant to = START.plusSeconds(3600);
        List<TimelineEntry> timeline = List.of(entry(600, "Bob"), entry(0, "The show"), entry(3601, "after the end"),
                entry(125, "Marker"), entry(3600, "at the end"));
        assertThat(Chapters.ofRecording(timeline, from, to)).containsExactly(new Chapter(0, "The show"),
                new Chapter(120_000, "Marker"), new Chapter(595_000, "Bob"), new Chapter(3_595_000, "at the end"));
    }

    @Test
    void entriesBeforeAnEarlierEntryAreNotChaptersAndAnEmptyTimelineHasNone() {
        Instant from = START.plusSeconds(100);
        assertThat(Chapters.ofRecording(List.of(entry(0, "Start"), entry(50, "Alice"), entry(150, "Bob")), from,
                from.plusSeconds(100))).containsExactly(new Chapter(0, "Alice"), new Chapter(50_000, "Bob"));
        assertThat(Chapters.ofRecording(List.of(), from, from.plusSeconds(10))).isEmpty();
        assertThat(Chapters.ofRecording(List.of(entry(150, "Later")), from, from.plusSeconds(100)))
                .as("nothing was going on at the start: no chapter at 0").containsExactly(new Chapter(50_000, "Later"));
    }

    @Test
    void theSessionStartGuestsApprovedAndNewCohostsOpenChapters() {
        Instant eventTime = START.plusSeconds(42);
        SessionSnapshot session = new SessionSnapshot("s", "slug", "Friday Show", null, "u-host", null,
                SessionKind.AUDIO, SessionVisibility.PUBLIC, SessionStatus.ACTIVE, null, START, null, START, null);
        assertThat(Chapters.entryOf(new SessionStarted(session), eventTime, 3)).hasValueSatisfying(e -> {
            assertThat(e.at()).isEqualTo(START);
            assertThat(e.title()).isEqualTo("Friday Show");
            assertThat(e.kind()).isEqualTo(TimelineEntry.Kind.SESSION_STARTED);
        });

        StageRequestSnapshot request = new StageRequestSnapshot("r1", "u-1", "u-1", "Bobby", StageRequestStatus.APPROVED,
                0, 0, START, START.plusSeconds(30), "u-host");
        assertThat(Chapters.entryOf(new GuestApproved(request, participant("Bob Guest", ParticipantRole.GUEST), false),
                eventTime, 7)).hasValueSatisfying(e -> {
                    assertThat(e.at()).as("the decision's time").isEqualTo(START.plusSeconds(30));
                    assertThat(e.title()).isEqualTo("Bob Guest");
                    assertThat(e.dedupeKey()).isEqualTo("seq-7");
                });

        assertThat(Chapters.entryOf(new ParticipantRoleChanged(participant(" ", ParticipantRole.COHOST),
                ParticipantRole.VIEWER, "u-host"), eventTime, 8)).hasValueSatisfying(e -> {
                    assertThat(e.at()).as("the event's time").isEqualTo(eventTime);
                    assertThat(e.title()).as("no name: the user id").isEqualTo("u-1");
                });
        assertThat(Chapters.entryOf(new ParticipantRoleChanged(participant("Carol", ParticipantRole.VIEWER),
                ParticipantRole.COHOST, "u-host"), eventTime, 9)).as("a demotion").isEmpty();
        assertThat(Chapters.entryOf(new ParticipantJoined(participant("Dan", ParticipantRole.VIEWER), false),
                eventTime, 10)).isEmpty();
    }
}
