package io.livestage.testing.livekit;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressSourceType;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.SegmentedFileOutput;
import livekit.LivekitEgress.StreamInfo;
import livekit.LivekitEgress.StreamOutput;
import livekit.LivekitEgress.TrackEgressRequest;
import livekit.LivekitModels.AudioCodec;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;

/**
 * The egress worker's validation of a start request and the {@link EgressJob} it makes of it (livekit/egress
 * pkg/config/pipeline.go Update, output.go, output_file.go, output_segment.go, urls.go, pkg/types codec
 * compatibility): the info answered in {@code EGRESS_STARTING} (stream keys redacted, also in the echoed request),
 * the file name, type and encoding, the HLS names, the stream URLs. At most one file, one stream (with any number of
 * URLs, none only next to another output) and one segment output. Refusals are LiveKit's Twirp errors: egress
 * validates before it creates the egress, so a refused start leaves no egress behind.
 */
final class EgressRequests {

    private static final String AAC = "audio/aac";
    private static final String OPUS = "audio/opus";
    private static final String MP3 = "audio/mpeg";
    private static final String RAW = "audio/x-raw";
    /** pkg/types OutputType of each file type ("" = not known until the codecs are chosen). */
    private static final Map<EncodedFileType, String> OUTPUT_TYPES = Map.of(EncodedFileType.MP3, "audio/mpeg",
            EncodedFileType.OGG, "audio/ogg", EncodedFileType.MP4, "video/mp4", EncodedFileType.DEFAULT_FILETYPE, "");
    /** pkg/types CodecCompatibility, audio codecs. */
    private static final Map<EncodedFileType, Set<String>> FILE_CODECS = Map.of(EncodedFileType.MP3,
            Set.of(MP3, OPUS, AAC, RAW), EncodedFileType.OGG, Set.of(OPUS), EncodedFileType.MP4, Set.of(AAC, OPUS),
            EncodedFileType.DEFAULT_FILETYPE, Set.of(AAC, OPUS, MP3));

    private EgressRequests() {
    }

    static EgressJob roomComposite(RoomCompositeEgressRequest request, Room room) {
        List<EncodedFileOutput> files = request.getFileOutputsCount() == 0 && request.hasFile()
                ? List.of(request.getFile()) : request.getFileOutputsList();
        if (files.size() > 1) {
            throw invalidField("multiple file outputs");
        }
        List<StreamOutput> streams = request.getStreamOutputsCount() == 0 && request.hasStream()
                ? List.of(request.getStream()) : request.getStreamOutputsList();
        if (streams.size() > 1) {
            throw invalidField("multiple stream outputs");
        }
        List<SegmentedFileOutput> segmentOutputs = request.getSegmentOutputsCount() == 0 && request.hasSegments()
                ? List.of(request.getSegments()) : request.getSegmentOutputsList();
        if (segmentOutputs.size() > 1) {
            throw invalidField("multiple segmented file outputs");
        }
        if (request.getImageOutputsCount() > 0) {
            throw unimplemented("image outputs are not simulated");
        }
        if (files.isEmpty() && streams.isEmpty() && segmentOutputs.isEmpty()) {
            throw invalidField("output");
        }
        if (request.getAudioOnly() && request.getVideoOnly()) {
            throw invalidField("audio_only and video_only");
        }
        EncodedFileOutput file = files.isEmpty() ? null : files.getFirst();
        if (file != null && file.getOutputCase() != EncodedFileOutput.OutputCase.OUTPUT_NOT_SET) {
            throw cloudStorage();
        }
        List<EgressStreams.StreamUrl> urls = streams.isEmpty() ? List.of() : streamUrls(streams.getFirst());
        if (!streams.isEmpty() && urls.isEmpty() && files.isEmpty() && segmentOutputs.isEmpty()) {
            // An empty stream output is only valid next to another output (pkg/config/output.go).
            throw invalidField("stream url");
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Map<String, String> replacements = EgressFilepaths.roomReplacements(room.getName(), room.getSid(), now);
        EgressSegments segments = null;
        if (!segmentOutputs.isEmpty()) {
            SegmentedFileOutput output = segmentOutputs.getFirst();
            if (output.getOutputCase() != SegmentedFileOutput.OutputCase.OUTPUT_NOT_SET) {
                throw cloudStorage();
            }
            segments = EgressSegments.of(output, replacements, room.getName(), now);
        }
        AudioCodec codec = request.hasAdvanced() ? request.getAdvanced().getAudioCodec() : AudioCodec.DEFAULT_AC;
        EgressJob.FileKind kind = checkCodecs(file == null ? null : file.getFileType(), !streams.isEmpty(),
                segments != null, request.getAudioOnly(), request.getVideoOnly(), codec);
        // Audio only without a layout or custom template: the SDK source, no Chrome (pipeline.go ShouldUseSDKSource).
        boolean sdk = request.getAudioOnly() && request.getLayout().isEmpty() && request.getCustomBaseUrl().isEmpty();
        EgressInfo.Builder info = startingInfo(room, sdk).setRoomComposite(redactStreamKeys(request));
        if (file != null) {
            info.addFileResults(FileInfo.newBuilder().setFilename(EgressFilepaths.storagePath(file.getFilepath(),
                    replacements, room.getName(), kind.extension, now)));
        }
        if (segments != null) {
            info.addSegmentResults(segments.initialInfo());
        }
        EgressJob job = new EgressJob(info, file == null ? "" : file.getFilepath(),
                file != null && file.getDisableManifest(), replacements, now, null, null);
        job.kind = kind;
        job.fileOutput = file != null;
        job.segments = segments;
        job.streamOutput = !streams.isEmpty();
        for (EgressStreams.StreamUrl url : urls) {
            addStream(job, url);
        }
        if (request.hasAdvanced() && request.getAdvanced().getAudioBitrate() > 0) {
            job.bitrateKbps = request.getAdvanced().getAudioBitrate();
        }
        if (request.hasAdvanced() && request.getAdvanced().getAudioFrequency() > 0) {
            job.frequency = request.getAdvanced().getAudioFrequency();
        }
        if (segments != null) {
            segments.sampleRate(job.frequency);
        }
        return job;
    }

    /** Adds an ACTIVE stream result (no start time yet: an RTMP stream has one once connected). */
    static EgressJob.Stream addStream(EgressJob job, EgressStreams.StreamUrl url) {
        job.info.addStreamResults(StreamInfo.newBuilder().setUrl(url.redacted()).setStatus(StreamInfo.Status.ACTIVE));
        EgressJob.Stream stream = new EgressJob.Stream(url, job.info.getStreamResultsCount() - 1);
        job.streams.add(stream);
        return stream;
    }

    /** The stream output's URLs, validated like egress' getStreamConfig (RTMP only in the stub). */
    private static List<EgressStreams.StreamUrl> streamUrls(StreamOutput stream) {
        switch (stream.getProtocol()) {
            case DEFAULT_PROTOCOL -> {
                if (stream.getUrlsCount() == 0) {
                    throw invalidField("stream protocol");
                }
                String first = stream.getUrls(0);
                if (!EgressStreams.isStreamScheme(first)) {
                    throw EgressStreams.invalidUrl(first, "invalid protocol");
                }
                if (!EgressStreams.isRtmp(first)) {
                    throw unimplemented("SRT and websocket streams are not simulated, only RTMP");
                }
            }
            case RTMP -> {
            }
            default -> throw unimplemented("SRT and websocket streams are not simulated, only RTMP");
        }
        List<EgressStreams.StreamUrl> urls = new ArrayList<>();
        for (String url : stream.getUrlsList()) {
            urls.add(EgressStreams.validate(url));
        }
        return urls;
    }

    /** protocol egress.RedactEncodedOutputs: stream keys in the request echoed in the info are redacted. */
    private static RoomCompositeEgressRequest redactStreamKeys(RoomCompositeEgressRequest request) {
        RoomCompositeEgressRequest.Builder redacted = request.toBuilder();
        for (int i = 0; i < redacted.getStreamOutputsCount(); i++) {
            StreamOutput.Builder stream = redacted.getStreamOutputsBuilder(i);
            for (int j = 0; j < stream.getUrlsCount(); j++) {
                stream.setUrls(j, EgressStreams.redactStreamKey(stream.getUrls(j)));
            }
        }
        if (redacted.hasStream()) {
            StreamOutput.Builder stream = redacted.getStreamBuilder();
            for (int j = 0; j < stream.getUrlsCount(); j++) {
                stream.setUrls(j, EgressStreams.redactStreamKey(stream.getUrls(j)));
            }
        }
        return redacted.build();
    }

    /** {@code participants}: the room's, to find the published track (the stub's stand-in for subscribing). */
    static EgressJob track(TrackEgressRequest request, Room room, List<ParticipantInfo> participants) {
        if (request.getTrackId().isEmpty()) {
            throw invalidField("track_id");
        }
        if (request.hasWebsocketUrl()) {
            throw unimplemented("websocket track egress is not simulated");
        }
        if (!request.hasFile()) {
            throw invalidField("output");
        }
        DirectFileOutput file = request.getFile();
        if (file.getOutputCase() != DirectFileOutput.OutputCase.OUTPUT_NOT_SET) {
            throw cloudStorage();
        }
        TrackInfo track = null;
        String publisher = null;
        for (ParticipantInfo participant : participants) {
            for (TrackInfo candidate : participant.getTracksList()) {
                if (candidate.getSid().equals(request.getTrackId())) {
                    track = candidate;
                    publisher = participant.getIdentity();
                }
            }
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Map<String, String> replacements = EgressFilepaths.roomReplacements(room.getName(), room.getSid(), now);
        // The file type follows the track's codec, known once subscribed: until then only the templates are replaced.
        EgressInfo.Builder info = startingInfo(room, true).setTrack(request)
                .addFileResults(FileInfo.newBuilder().setFilename(
                        EgressFilepaths.replace(EgressFilepaths.clean(file.getFilepath()), replacements)));
        EgressJob job = new EgressJob(info, file.getFilepath(), file.getDisableManifest(), replacements, now, track,
                publisher);
        job.fileOutput = true;
        if (track == null) {
            job.failure = "track " + request.getTrackId() + " not found";
        }
        return job;
    }

    private static EgressInfo.Builder startingInfo(Room room, boolean sdkSource) {
        long now = EgressJob.nowNanos();
        return EgressInfo.newBuilder()
                .setEgressId(Ids.next(Ids.EGRESS))
                .setRoomId(room.getSid())
                .setRoomName(room.getName())
                .setStatus(EgressStatus.EGRESS_STARTING)
                .setStartedAt(now)
                .setUpdatedAt(now)
                .setSourceType(sdkSource ? EgressSourceType.EGRESS_SOURCE_TYPE_SDK
                        : EgressSourceType.EGRESS_SOURCE_TYPE_WEB);
    }

    /**
     * Egress' codec choice (pkg/config/pipeline.go validateAndUpdateOutputCodecs, updateOutputType; pkg/types
     * CodecCompatibility): one audio codec must suit every output. It is fixed by {@code advanced.audio_codec}, and
     * by a stream output (RTMP is AAC), else any; the file, segment (HLS) and stream outputs narrow it in that order.
     * An audio-only {@code DEFAULT_FILETYPE} becomes the first of OGG, MP4, MP3 that fits (OGG alone, MP4 next to
     * HLS or RTMP). Returns the file type (null without a file).
     */
    private static EgressJob.FileKind checkCodecs(EncodedFileType type, boolean stream, boolean segments,
            boolean audioOnly, boolean videoOnly, AudioCodec codec) {
        String fixed = switch (codec) {
            case OPUS -> OPUS;
            case AAC -> AAC;
            case AC_MP3 -> MP3;
            default -> null;
        };
        if (stream) {
            fixed = AAC;
        }
        Set<String> compatible = new LinkedHashSet<>(fixed == null ? List.of(AAC, OPUS, RAW, MP3) : List.of(fixed));
        Map<String, Set<String>> outputs = new LinkedHashMap<>();
        if (type != null) {
            outputs.put(OUTPUT_TYPES.get(type), FILE_CODECS.get(type));
        }
        if (segments) {
            outputs.put("application/x-mpegurl", Set.of(AAC));
        }
        if (stream) {
            outputs.put("rtmp", Set.of(AAC));
        }
        if (!videoOnly) {
            for (Map.Entry<String, Set<String>> output : outputs.entrySet()) {
                compatible.retainAll(output.getValue());
                if (compatible.isEmpty()) {
                    throw new LiveKitStub.TwirpError(400, "invalid_argument", fixed == null
                            ? "no supported codec is compatible with all outputs"
                            : "format " + output.getKey() + " incompatible with codec " + fixed);
                }
            }
        }
        if (type == null) {
            return null;
        }
        return switch (type) {
            case MP3 -> EgressJob.FileKind.MP3;
            case OGG -> EgressJob.FileKind.OGG;
            case MP4 -> EgressJob.FileKind.MP4;
            default -> !audioOnly ? EgressJob.FileKind.MP4
                    : compatible.contains(OPUS) ? EgressJob.FileKind.OGG
                    : compatible.contains(AAC) ? EgressJob.FileKind.MP4
                    : EgressJob.FileKind.MP3;
        };
    }

    private static LiveKitStub.TwirpError invalidField(String field) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", "request has missing or invalid field: " + field);
    }

    private static LiveKitStub.TwirpError unimplemented(String what) {
        return new LiveKitStub.TwirpError(501, "unimplemented", "the LiveKit stub: " + what);
    }

    private static LiveKitStub.TwirpError cloudStorage() {
        return new LiveKitStub.TwirpError(501, "unimplemented",
                "the LiveKit stub writes to local storage only: s3, gcp, azure and aliOSS uploads are not simulated");
    }
}
