package io.livestage.testing.livekit;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressSourceType;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.TrackEgressRequest;
import livekit.LivekitModels.AudioCodec;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;

/**
 * The egress worker's validation of a start request and the {@link EgressJob} it makes of it (livekit/egress
 * pkg/config/pipeline.go Update, output.go, output_file.go, pkg/types codec compatibility): the info answered in
 * {@code EGRESS_STARTING}, the file name, type and encoding. Refusals are LiveKit's Twirp errors.
 */
final class EgressRequests {

    private EgressRequests() {
    }

    static EgressJob roomComposite(RoomCompositeEgressRequest request, Room room) {
        List<EncodedFileOutput> files = request.getFileOutputsCount() == 0 && request.hasFile()
                ? List.of(request.getFile()) : request.getFileOutputsList();
        if (files.size() > 1) {
            throw invalidField("multiple file outputs");
        }
        if (request.getStreamOutputsCount() > 0 || request.hasStream() || request.getSegmentOutputsCount() > 0
                || request.hasSegments() || request.getImageOutputsCount() > 0) {
            throw unimplemented("stream, segment and image outputs are not simulated");
        }
        if (files.isEmpty()) {
            throw invalidField("output");
        }
        if (request.getAudioOnly() && request.getVideoOnly()) {
            throw invalidField("audio_only and video_only");
        }
        EncodedFileOutput file = files.getFirst();
        if (file.getOutputCase() != EncodedFileOutput.OutputCase.OUTPUT_NOT_SET) {
            throw cloudStorage();
        }
        AudioCodec codec = request.hasAdvanced() ? request.getAdvanced().getAudioCodec() : AudioCodec.DEFAULT_AC;
        EgressJob.FileKind kind = fileKind(file.getFileType(), request.getAudioOnly(), codec);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Map<String, String> replacements = EgressFilepaths.roomReplacements(room.getName(), room.getSid(), now);
        String filename = EgressFilepaths.storagePath(file.getFilepath(), replacements, room.getName(), kind.extension,
                now);
        // Audio only without a layout or custom template: the SDK source, no Chrome (pipeline.go ShouldUseSDKSource).
        boolean sdk = request.getAudioOnly() && request.getLayout().isEmpty() && request.getCustomBaseUrl().isEmpty();
        EgressInfo.Builder info = startingInfo(room, sdk).setRoomComposite(request)
                .addFileResults(FileInfo.newBuilder().setFilename(filename));
        EgressJob job = new EgressJob(info, file.getFilepath(), file.getDisableManifest(), replacements, now, null,
                null);
        job.kind = kind;
        if (request.hasAdvanced() && request.getAdvanced().getAudioBitrate() > 0) {
            job.bitrateKbps = request.getAdvanced().getAudioBitrate();
        }
        if (request.hasAdvanced() && request.getAdvanced().getAudioFrequency() > 0) {
            job.frequency = request.getAdvanced().getAudioFrequency();
        }
        return job;
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

    /** The file type egress settles on (pkg/types CodecCompatibility, AudioOnlyFileOutputTypes). */
    private static EgressJob.FileKind fileKind(EncodedFileType type, boolean audioOnly, AudioCodec codec) {
        boolean any = codec == AudioCodec.DEFAULT_AC;
        EgressJob.FileKind kind = switch (type) {
            case MP3 -> any || codec == AudioCodec.AC_MP3 || codec == AudioCodec.OPUS || codec == AudioCodec.AAC
                    ? EgressJob.FileKind.MP3 : null;
            case OGG -> any || codec == AudioCodec.OPUS ? EgressJob.FileKind.OGG : null;
            case MP4 -> any || codec == AudioCodec.AAC || codec == AudioCodec.OPUS ? EgressJob.FileKind.MP4 : null;
            default -> !audioOnly ? EgressJob.FileKind.MP4
                    : any || codec == AudioCodec.OPUS ? EgressJob.FileKind.OGG
                    : codec == AudioCodec.AAC ? EgressJob.FileKind.MP4
                    : codec == AudioCodec.AC_MP3 ? EgressJob.FileKind.MP3 : null;
        };
        if (kind == null) {
            throw new LiveKitStub.TwirpError(400, "invalid_argument",
                    "no supported codec is compatible with all outputs");
        }
        return kind;
    }

    private static LiveKitStub.TwirpError invalidField(String field) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", "request has missing or invalid field: " + field);
    }

    private static LiveKitStub.TwirpError unimplemented(String what) {
        return new LiveKitStub.TwirpError(501, "unimplemented", "the LiveKit stub records files only: " + what);
    }

    private static LiveKitStub.TwirpError cloudStorage() {
        return new LiveKitStub.TwirpError(501, "unimplemented",
                "the LiveKit stub writes to local storage only: s3, gcp, azure and aliOSS uploads are not simulated");
    }
}
