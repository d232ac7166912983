package io.livestage.testing.gladia;

/**
 * A {@code transcript} message the {@link GladiaStub} sent, in decoded form.
 *
 * @param utteranceId {@code data.id}, shared by the partial and the final of one utterance ({@code 00_00000003})
 * @param isFinal {@code data.is_final}
 * @param text {@code data.utterance.text}
 * @param start {@code data.utterance.start}, seconds of audio since the session's first byte
 * @param end {@code data.utterance.end}, likewise
 * @param startByte the byte offset {@code start} was computed from
 * @param endByte the byte offset {@code end} was computed from
 * @param language {@code data.utterance.language}
 * @param sentNanos {@link System#nanoTime()} just before the write
 * @param connection the number of the connection it went out on
 */
public record Transcript(String utteranceId, boolean isFinal, String text, double start, double end, long startByte,
        long endByte, String language, long sentNanos, int connection) {

    @Override
    public String toString() {
        return (isFinal ? "final " : "partial ") + utteranceId + " [" + start + "," + end + "] \"" + text + "\"";
    }
}
