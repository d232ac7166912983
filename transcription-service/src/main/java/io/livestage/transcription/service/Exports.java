package io.livestage.transcription.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.livestage.transcription.model.StoredSegment;

/**
 * A transcript as WebVTT (with {@code <v Speaker>} voice spans), SubRip and plain text. Cue times are relative to
 * {@code zero} (the session's start, or its first segment's), so they line up with a recording of the session.
 */
public final class Exports {

    private Exports() {
    }

    public static Instant zero(Instant sessionStart, List<StoredSegment> segments) {
        Instant first = segments.isEmpty() ? null : segments.get(0).startAt();
        if (sessionStart == null) {
            return first == null ? Instant.EPOCH : first;
        }
        return first != null && first.isBefore(sessionStart) ? first : sessionStart;
    }

    public static String webVtt(List<StoredSegment> segments, Instant zero) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        int n = 0;
        for (StoredSegment s : segments) {
            out.append('\n').append(++n).append('\n')
                    .append(time(s.startAt(), zero, '.')).append(" --> ").append(time(end(s), zero, '.')).append('\n')
                    .append("<v ").append(vttEscape(speaker(s)).replace(">", "")).append('>')
                    .append(vttEscape(s.text())).append('\n');
        }
        return out.toString();
    }

    public static String srt(List<StoredSegment> segments, Instant zero) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (StoredSegment s : segments) {
            if (n > 0) {
                out.append('\n');
            }
            out.append(++n).append('\n')
                    .append(time(s.startAt(), zero, ',')).append(" --> ").append(time(end(s), zero, ',')).append('\n')
                    .append(speaker(s)).append(": ").append(oneLine(s.text())).append('\n');
        }
        return out.toString();
    }

    public static String text(List<StoredSegment> segments, Instant zero) {
        StringBuilder out = new StringBuilder();
        for (StoredSegment s : segments) {
            out.append('[').append(time(s.startAt(), zero, '.'), 0, 8).append("] ").append(speaker(s)).append(": ")
                    .append(oneLine(s.text())).append('\n');
        }
        return out.toString();
    }

    private static Instant end(StoredSegment s) {
        // a cue needs a positive duration
        return s.endAt().isAfter(s.startAt()) ? s.endAt() : s.startAt().plusMillis(1);
    }

    private static String speaker(StoredSegment s) {
        return s.speakerName() != null && !s.speakerName().isBlank() ? oneLine(s.speakerName()) : s.participantIdentity();
    }

    /** {@code HH:MM:SS.mmm} (or {@code ,mmm} for SRT); hours grow past 99 if they must. */
    static String time(Instant at, Instant zero, char millisSeparator) {
        long millis = Math.max(0, Duration.between(zero, at).toMillis());
        return String.format("%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millisSeparator, millis % 1000);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** WebVTT cue text: no {@code -->}, &, < escaped, one line (a blank line would end the cue). */
    private static String vttEscape(String text) {
        return oneLine(text).replace("&", "&amp;").replace("<", "&lt;").replace("-->", "--&gt;");
    }
}
