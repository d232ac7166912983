package io.livestage.recording.service;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.livestage.events.podcast.EpisodeVisibility;
import io.livestage.events.podcast.PodcastPublished;
import io.livestage.events.recording.RecordingCompleted;
import io.livestage.events.recording.RecordingFailed;
import io.livestage.events.recording.RecordingFormat;
import io.livestage.events.recording.RecordingStarted;
import io.livestage.events.recording.RecordingTrigger;
import io.livestage.recording.repository.NotificationRepository.Draft;

import static org.assertj.core.api.Assertions.assertThat;

/** What each recording event tells the session's host: the kind, the readable line around the title, the link. */
class NotificationsTest {
    private static final String SESSION = "0b6f5d3e-8f7a-4c59-9a61-3c1d2b7e4f00";
    private static final String RECORDING = "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09";
    private static final Instant AT = Instant.parse("2026-11-21T18:00:02Z");
    private static final String BASE = "/api/sessions/" + SESSION + "/recordings/" + RECORDING;

    @Test
    void aStartIsSaidOncePerRecording() {
        Draft d = Notifications.draft(new RecordingStarted(RECORDING, SESSION, "EG_a", RecordingFormat.MP4,
                RecordingTrigger.MANUAL, AT));
        assertThat(d.kind()).isEqualTo("recording.started");
        assertThat(d.once()).isTrue();
        assertThat(d.prefix() + "Friday AMA" + d.suffix()).isEqualTo("Recording started: Friday AMA");
        assertThat(d.link()).isEqualTo(BASE);
    }

    @Test
    void aReadyFileLinksToItsDownload() {
        Draft d = Notifications.draft(new RecordingCompleted(RECORDING, SESSION, "EG_a", RecordingFormat.MP3,
                "audio/mpeg", "/out/x.mp3", 100, 3_723_400, AT, AT));
        assertThat(d.kind()).isEqualTo("recording.completed");
        assertThat(d.once()).isFalse();
        assertThat(d.prefix() + "Friday AMA" + d.suffix()).isEqualTo("Recording ready: Friday AMA (MP3, 1:02:03)");
        assertThat(d.link()).isEqualTo(BASE + "/files/mp3");
    }

    @Test
    void aFailureSaysWhy() {
        Draft d = Notifications.draft(new RecordingFailed(RECORDING, SESSION, null, RecordingFormat.MP3,
                "the session ended before its room existed", null, AT));
        assertThat(d.kind()).isEqualTo("recording.failed");
        assertThat(d.prefix() + "Friday AMA" + d.suffix())
                .isEqualTo("Recording failed: Friday AMA (MP3): the session ended before its room existed");
    }

    @Test
    void durationsReadAsAClock() {
        assertThat(Notifications.clock(0)).isEqualTo("0:00");
        assertThat(Notifications.clock(59_999)).isEqualTo("0:59");
        assertThat(Notifications.clock(1_795_000)).isEqualTo("29:55");
        assertThat(Notifications.clock(36_000_000)).isEqualTo("10:00:00");
    }

    @Test
    void aPublishedEpisodeIsAnnouncedByItsOwnTitle() {
        String episode = "5c7d9e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f";
        Draft d = Notifications.draft(new PodcastPublished(episode, SESSION, RECORDING, "u-alice", null,
                "Episode 1: shop talk", EpisodeVisibility.PUBLIC, 1000, 60_000, AT));
        assertThat(d.kind()).isEqualTo("podcast.published");
        assertThat(d.text()).isEqualTo("Episode published: Episode 1: shop talk");
        assertThat(d.episodeId()).hasToString(episode);
        assertThat(d.link()).isEqualTo("/api/episodes/" + episode);
    }
}
