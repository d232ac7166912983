package io.livestage.events.livekit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.livestage.events.livekit.ProtoJson.number;
import static io.livestage.events.livekit.ProtoJson.object;
import static io.livestage.events.livekit.ProtoJson.objects;
import static io.livestage.events.livekit.ProtoJson.text;
import static io.livestage.events.livekit.ProtoJson.time;

/**
 * A typed view of LiveKit's {@code EgressInfo} as {@link LiveKitWebhookReceived#egressInfo()} carries it: LiveKit's
 * protojson, where zero values are omitted (no {@code status} means {@code EGRESS_STARTING}), int64 fields are
 * strings and every time is Unix nanoseconds. Only what consumers act on is typed; the map keeps the rest.
 *
 * @param request the kind of egress request ({@code roomComposite}, {@code track}, {@code participant}, ...), null
 *        when LiveKit sent none
 * @param fileOutputs the files the request asked for ({@code fileOutputs}, or the deprecated single {@code file})
 * @param fileResults the files written so far (with {@code COMPLETE}: all of them)
 * @param streamResults the RTMP/SRT streams of a stream output, their URLs redacted by LiveKit (the stream key is
 *        replaced), each ACTIVE, FINISHED or FAILED
 * @param segmentResults the HLS playlists of a segment output
 */
public record EgressInfo(
        String egressId,
        String roomId,
        String roomName,
        Status status,
        Instant startedAt,
        Instant endedAt,
        Instant updatedAt,
        String error,
        int errorCode,
        String details,
        String request,
        List<FileOutput> fileOutputs,
        List<FileResult> fileResults,
        List<StreamResult> streamResults,
        List<SegmentResult> segmentResults) {

    /** The infos of before streams and segments were read: none of either. */
    public EgressInfo(String egressId, String roomId, String roomName, Status status, Instant startedAt,
            Instant endedAt, Instant updatedAt, String error, int errorCode, String details, String request,
            List<FileOutput> fileOutputs, List<FileResult> fileResults) {
        this(egressId, roomId, roomName, status, startedAt, endedAt, updatedAt, error, errorCode, details, request,
                fileOutputs, fileResults, List.of(), List.of());
    }

    /** The request kinds of LiveKit's {@code EgressInfo.request} oneof, in its JSON names. */
    private static final List<String> REQUESTS = List.of("roomComposite", "web", "participant", "trackComposite",
            "track", "replay");

    /** LiveKit's {@code EgressStatus}, numbered as in its protobuf. */
    public enum Status {
        EGRESS_STARTING,
        EGRESS_ACTIVE,
        EGRESS_ENDING,
        EGRESS_COMPLETE,
        EGRESS_FAILED,
        EGRESS_ABORTED,
        EGRESS_LIMIT_REACHED;

        /** No further change comes after this status. */
        public boolean terminal() {
            return ordinal() >= EGRESS_COMPLETE.ordinal();
        }

        /** An omitted status is the zero value, STARTING; a number is the protobuf enum number. */
        static Status parse(Object value) {
            if (value == null) {
                return EGRESS_STARTING;
            }
            if (value instanceof Number n) {
                int index = n.intValue();
                if (index < 0 || index >= values().length) {
                    throw new IllegalArgumentException("Unknown egress status " + n);
                }
                return values()[index];
            }
            return valueOf(value.toString());
        }
    }

    /** A requested file: {@code fileType} (MP4, OGG, MP3; DEFAULT_FILETYPE when omitted) and the path template. */
    public record FileOutput(String fileType, String filepath) {
    }

    /** LiveKit's {@code FileInfo}: a file egress wrote. */
    public record FileResult(String filename, String location, long size, Duration duration, Instant startedAt,
            Instant endedAt) {
    }

    /**
     * LiveKit's {@code StreamInfo}: one URL of a stream output. {@code url} is redacted by LiveKit
     * ({@code rtmps://host/app/{abc...xyz}}); {@code status} ACTIVE (omitted in JSON), FINISHED or FAILED.
     */
    public record StreamResult(String url, StreamStatus status, String error, Instant startedAt, Instant endedAt,
            Instant lastRetryAt, int retries) {
    }

    /** {@code StreamInfo.Status}, numbered as in LiveKit's protobuf. */
    public enum StreamStatus {
        ACTIVE,
        FINISHED,
        FAILED;

        static StreamStatus parse(Object value) {
            if (value == null) {
                return ACTIVE;
            }
            if (value instanceof Number n) {
                return values()[n.intValue()];
            }
            return valueOf(value.toString());
        }
    }

    /**
     * LiveKit's {@code SegmentsInfo}: the HLS playlists of a segment output (names relative to the storage, locations
     * where they were written), the segments written so far and their total size and duration.
     */
    public record SegmentResult(String playlistName, String livePlaylistName, String playlistLocation,
            String livePlaylistLocation, long segmentCount, long size, Duration duration, Instant startedAt,
            Instant endedAt) {
    }

    /** Reads LiveKit's JSON object (as a map of maps, lists, strings and numbers). */
    public static EgressInfo of(Map<String, Object> json) {
        if (json == null) {
            throw new IllegalArgumentException("No egressInfo");
        }
        String request = null;
        Map<String, Object> requestBody = Map.of();
        for (String kind : REQUESTS) {
            if (json.get(kind) instanceof Map<?, ?> body) {
                request = kind;
                requestBody = object(body);
                break;
            }
        }
        return new EgressInfo(text(json, "egressId"), text(json, "roomId"), text(json, "roomName"),
                Status.parse(json.get("status")), time(json, "startedAt"), time(json, "endedAt"),
                time(json, "updatedAt"), text(json, "error"), (int) number(json, "errorCode"), text(json, "details"),
                request, fileOutputs(requestBody), fileResults(json), streamResults(json), segmentResults(json));
    }

    private static List<StreamResult> streamResults(Map<String, Object> json) {
        List<StreamResult> results = new ArrayList<>();
        for (Map<String, Object> stream : objects(json.get("streamResults"))) {
            results.add(new StreamResult(text(stream, "url"), StreamStatus.parse(stream.get("status")),
                    text(stream, "error"), time(stream, "startedAt"), time(stream, "endedAt"),
                    time(stream, "lastRetryAt"), (int) number(stream, "retries")));
        }
        return List.copyOf(results);
    }

    private static List<SegmentResult> segmentResults(Map<String, Object> json) {
        List<SegmentResult> results = new ArrayList<>();
        for (Map<String, Object> s : objects(json.get("segmentResults"))) {
            results.add(new SegmentResult(text(s, "playlistName"), text(s, "livePlaylistName"),
                    text(s, "playlistLocation"), text(s, "livePlaylistLocation"), number(s, "segmentCount"),
                    number(s, "size"), Duration.ofNanos(number(s, "duration")), time(s, "startedAt"),
                    time(s, "endedAt")));
        }
        return List.copyOf(results);
    }

    /** The first file result, or null when egress wrote none. */
    public FileResult file() {
        return fileResults.isEmpty() ? null : fileResults.get(0);
    }

    private static List<FileOutput> fileOutputs(Map<String, Object> request) {
        List<FileOutput> outputs = new ArrayList<>();
        for (Map<String, Object> output : objects(request.get("fileOutputs"))) {
            outputs.add(new FileOutput(fileType(output), text(output, "filepath")));
        }
        if (outputs.isEmpty() && request.get("file") instanceof Map<?, ?> file) {
            Map<String, Object> single = object(file);
            outputs.add(new FileOutput(fileType(single), text(single, "filepath")));
        }
        return List.copyOf(outputs);
    }

    private static String fileType(Map<String, Object> output) {
        Object type = output.get("fileType");
        return type == null ? "DEFAULT_FILETYPE" : type.toString();
    }

    private static List<FileResult> fileResults(Map<String, Object> json) {
        List<FileResult> results = new ArrayList<>();
        for (Map<String, Object> file : objects(json.get("fileResults"))) {
            results.add(result(file));
        }
        if (results.isEmpty() && json.get("file") instanceof Map<?, ?> legacy) {
            results.add(result(object(legacy)));
        }
        return List.copyOf(results);
    }

    private static FileResult result(Map<String, Object> file) {
        return new FileResult(text(file, "filename"), text(file, "location"), number(file, "size"),
                Duration.ofNanos(number(file, "duration")), time(file, "startedAt"), time(file, "endedAt"));
    }
}
