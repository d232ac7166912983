package io.livestage.recording.podcast.service;

import java.util.List;

import io.livestage.recording.podcast.Chapter;
import io.livestage.recording.podcast.Episode;

/** An episode with its chapters, as the host's API shows it. */
public record EpisodeView(Episode episode, List<Chapter> chapters) {
}
