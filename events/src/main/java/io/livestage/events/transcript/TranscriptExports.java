package io.livestage.events.transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A transcript as WebVTT (with {@code <v Speaker>} voice spans), SubRip and plain text: the one renderer of
 * transcription-service's exports and recording-service's podcast transcripts. Cue times are relative to {@code zero}
 * (a session's start, or a recording's), so they line up with what is played; a cue that began before it starts at 0.
 */
public final class TranscriptExports {

    /**
     * One final segment to render: who spoke (the speaker's name, or their participant identity when the name is
     * unknown), when (absolute times) and what.
     */
    public record Cue(String participantIdentity, String speakerName, Instant startAt, Instant endAt, String text) {
    }

    private TranscriptExports() {
    }

    /** The earlier of {@code sessionStart} and the first cue's start (the first cue's when the start is unknown). */
    public static Instant zero(Instant sessionStart, List<Cue> cues) {
        Instant first = cues.isEmpty() ? null : cues.get(0).startAt();
        if (sessionStart == null) {
            return first == null ? Instant.EPOCH : first;
        }
        return first != null && first.isBefore(sessionStart) ? first : sessionStart;
    }

    public static String webVtt(List<Cue> cues, Instant zero) {
        StringBuilder out = new StringBuilder("WEBVTT\n");
        int n = 0;
        for (Cue c : cues) {
            out.append('\n').append(++n).append('\n')
                    .append(time(c.startAt(), zero, '.')).append(" --> ").append(time(end(c, zero), zero, '.'))
                    .append('\n').append("<v ").append(vttEscape(speaker(c)).replace(">", "")).append('>')
                    .append(vttEscape(c.text())).append('\n');
        }
        return out.toString();
    }

    public static String srt(List<Cue> cues, Instant zero) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Cue c : cues) {
            if (n > 0) {
                out.append('\n');
            }
            out.append(++n).append('\n')
                    .append(time(c.startAt(), zero, ',')).append(" --> ").append(time(end(c, zero), zero, ','))
                    .append('\n').append(speaker(c)).append(": ").append(oneLine(c.text())).append('\n');
        }
        return out.toString();
    }

    public static String text(List<Cue> cues, Instant zero) {
        StringBuilder out = new StringBuilder();
        for (Cue c : cues) {
            out.append('[').append(time(c.startAt(), zero, '.'), 0, 8).append("] ").append(speaker(c)).append(": ")
                    .append(oneLine(c.text())).append('\n');
        }
        return out.toString();
    }

    /** {@code HH:MM:SS.mmm} (or {@code ,mmm} for SRT) of {@code at} after {@code zero}, never negative. */
    public static String time(Instant at, Instant zero, char millisSeparator) {
        long millis = Math.max(0, Duration.between(zero, at).toMillis());
        return String.format("%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60,
                millisSeparator, millis % 1000);
    }

    /** A cue needs a positive duration, also when it began before {@code zero}. */
    private static Instant end(Cue c, Instant zero) {
        Instant start = c.startAt().isBefore(zero) ? zero : c.startAt();
        return c.endAt().isAfter(start) ? c.endAt() : start.plusMillis(1);
    }

    private static String speaker(Cue c) {
        return c.speakerName() != null && !c.speakerName().isBlank() ? oneLine(c.speakerName())
                : c.participantIdentity();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    /** WebVTT cue text: no {@code -->}, &, < escaped, one line (a blank line would end the cue). */
    private static String vttEscape(String text) {
        return oneLine(text).replace("&", "&amp;").replace("<", "&lt;").replace("-->", "--&gt;");
    }
}
