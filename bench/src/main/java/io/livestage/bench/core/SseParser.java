package io.livestage.bench.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An incremental {@code text/event-stream} parser as the WHATWG HTML standard defines it (9.2.6 "Interpreting an event
 * stream"), fed with the chunks a socket delivers, which split lines and events anywhere: lines end with CRLF, LF or CR
 * (a CR at the end of one chunk and the LF at the start of the next are one line end); {@code field: value} with one
 * optional space after the colon; lines starting with a colon are comments; {@code data} lines are joined with LF; a
 * blank line dispatches the event unless it has no data; {@code id} is the last event id and stays for later events.
 */
public final class SseParser {
    /** One dispatched event: its type ({@code message} when none was given), the last event id, the data. */
    public record Event(String type, String id, String data) {
    }

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Consumer<Event> listener;
    private byte[] line = new byte[512];
    private int length;
    private boolean afterCr;
    private boolean started;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private String lastId = "";

    public SseParser(Consumer<Event> listener) {
        this.listener = listener;
    }

    /** Parses {@code count} bytes of {@code chunk} from {@code offset}, dispatching every event they complete. */
    public void feed(byte[] chunk, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            byte b = chunk[i];
            if (afterCr) {
                afterCr = false;
                if (b == LF) {
                    continue;
                }
            }
            if (b == CR) {
                afterCr = true;
                endLine();
            } else if (b == LF) {
                endLine();
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = b;
            }
        }
    }

    public void feed(byte[] chunk) {
        feed(chunk, 0, chunk.length);
    }

    private void endLine() {
        int start = 0;
        if (!started) {
            started = true;
            // a UTF-8 byte order mark at the start of the stream is not part of the first line
            if (length >= 3 && (line[0] & 0xff) == 0xef && (line[1] & 0xff) == 0xbb && (line[2] & 0xff) == 0xbf) {
                start = 3;
            }
        }
        int n = length - start;
        length = 0;
        if (n == 0) {
            dispatch();
            return;
        }
        if (line[start] == ':') {
            return;
        }
        int colon = -1;
        for (int i = start; i < start + n; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        String field;
        String value;
        if (colon < 0) {
            field = new String(line, start, n, StandardCharsets.UTF_8);
            value = "";
        } else {
            field = new String(line, start, colon - start, StandardCharsets.UTF_8);
            int valueStart = colon + 1;
            if (valueStart < start + n && line[valueStart] == ' ') {
                valueStart++;
            }
            value = new String(line, valueStart, start + n - valueStart, StandardCharsets.UTF_8);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastId = value;
                }
            }
            default -> {
                // retry and unknown fields: nothing to do for a client that never reconnects
            }
        }
    }

    private void dispatch() {
        if (!hasData) {
            type = "";
            return;
        }
        Event event = new Event(type.isEmpty() ? "message" : type, lastId, data.toString());
        data.setLength(0);
        hasData = false;
        type = "";
        listener.accept(event);
    }
}
