package io.livestage.recording.podcast;

/** One chapter of an episode: where it starts (milliseconds from the recording's start) and its title. */
public record Chapter(long startMillis, String title) {
}
