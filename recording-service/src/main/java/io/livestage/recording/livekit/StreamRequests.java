package io.livestage.recording.livekit;

import java.util.List;
import java.util.UUID;

import livekit.LivekitEgress.EncodingOptions;
import livekit.LivekitEgress.EncodingOptionsPreset;
import livekit.LivekitEgress.SegmentedFileOutput;
import livekit.LivekitEgress.SegmentedFileProtocol;
import livekit.LivekitEgress.StreamOutput;
import livekit.LivekitEgress.StreamProtocol;
import livekit.LivekitIngress.IngressAudioEncodingPreset;
import livekit.LivekitIngress.IngressAudioOptions;
import livekit.LivekitIngress.IngressVideoEncodingOptions;
import livekit.LivekitIngress.IngressVideoEncodingPreset;
import livekit.LivekitIngress.IngressVideoOptions;
import livekit.LivekitModels.AudioCodec;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.VideoCodec;
import livekit.LivekitModels.VideoLayer;
import livekit.LivekitModels.VideoQuality;

import io.livestage.recording.streaming.model.Quality;

/**
 * What a session's stream asks LiveKit for. The stream egress is one room composite with an HLS segment output
 * ({@code <directory>/hls/<session>/}: {@code index.m3u8} the whole stream, {@code live.m3u8} the live window, segments
 * {@code seg_NNNNN.ts}) and an RTMP stream output carrying the restream targets' URLs: HLS and RTMP share AAC (+H.264),
 * which is why recordings (MP3, Ogg) are egresses of their own. Video sessions are encoded at the chosen
 * {@link Quality}; audio sessions audio only, at the chosen AAC bitrate. The OBS ingress transcodes to the same quality.
 */
public final class StreamRequests {
    /** The stream egress' outputs and encoding. */
    public record Request(SegmentedFileOutput segments, StreamOutput stream, EncodingOptionsPreset preset,
            EncodingOptions advanced, boolean audioOnly) {
    }

    private StreamRequests() {
    }

    public static Request of(String directory, UUID session, boolean video, Quality quality, int audioKbps,
            int segmentSeconds, List<String> urls) {
        String folder = hlsFolder(directory, session);
        SegmentedFileOutput segments = SegmentedFileOutput.newBuilder().setProtocol(SegmentedFileProtocol.HLS_PROTOCOL)
                .setFilenamePrefix(folder + "seg").setPlaylistName(folder + "index.m3u8")
                .setLivePlaylistName(folder + "live.m3u8").setSegmentDuration(segmentSeconds).build();
        StreamOutput stream = StreamOutput.newBuilder().setProtocol(StreamProtocol.RTMP).addAllUrls(urls).build();
        if (!video) {
            return new Request(segments, stream, null, EncodingOptions.newBuilder().setAudioCodec(AudioCodec.AAC)
                    .setAudioBitrate(audioKbps).setAudioFrequency(48000).build(), true);
        }
        return switch (quality) {
            case P720 -> new Request(segments, stream, EncodingOptionsPreset.H264_720P_30, null, false);
            case P1080 -> new Request(segments, stream, EncodingOptionsPreset.H264_1080P_30, null, false);
            case P2160 -> new Request(segments, stream, null, EncodingOptions.newBuilder().setWidth(quality.width())
                    .setHeight(quality.height()).setFramerate(quality.framerate()).setDepth(24)
                    .setVideoCodec(VideoCodec.H264_HIGH).setVideoBitrate(quality.videoBitrateKbps())
                    .setKeyFrameInterval(4).setAudioCodec(AudioCodec.AAC).setAudioBitrate(audioKbps)
                    .setAudioFrequency(48000).build(), false);
        };
    }

    /** {@code <directory>/hls/<session>/}: where egress writes a session's HLS (the same folder as recordings). */
    public static String hlsFolder(String directory, UUID session) {
        String base = directory == null || directory.isBlank() ? "" : directory.endsWith("/") ? directory
                : directory + "/";
        return base + "hls/" + session + "/";
    }

    /** The OBS ingress' audio: Opus stereo 96 kbps (LiveKit's preset). */
    public static IngressAudioOptions ingressAudio() {
        return IngressAudioOptions.newBuilder().setName("obs-audio").setSource(TrackSource.MICROPHONE)
                .setPreset(IngressAudioEncodingPreset.OPUS_STEREO_96KBPS).build();
    }

    /** The OBS ingress' video: simulcast layers up to the chosen quality (4K has no LiveKit preset: explicit layers). */
    public static IngressVideoOptions ingressVideo(Quality quality) {
        IngressVideoOptions.Builder video = IngressVideoOptions.newBuilder().setName("obs-video")
                .setSource(TrackSource.CAMERA);
        return switch (quality) {
            case P720 -> video.setPreset(IngressVideoEncodingPreset.H264_720P_30FPS_3_LAYERS).build();
            case P1080 -> video.setPreset(IngressVideoEncodingPreset.H264_1080P_30FPS_3_LAYERS).build();
            case P2160 -> video.setOptions(IngressVideoEncodingOptions.newBuilder().setVideoCodec(VideoCodec.H264_HIGH)
                    .setFrameRate(quality.framerate())
                    .addLayers(layer(VideoQuality.LOW, 1280, 720, 2_000_000))
                    .addLayers(layer(VideoQuality.MEDIUM, 1920, 1080, 4_500_000))
                    .addLayers(layer(VideoQuality.HIGH, quality.width(), quality.height(),
                            quality.videoBitrateKbps() * 1000)))
                    .build();
        };
    }

    private static VideoLayer layer(VideoQuality quality, int width, int height, int bitrate) {
        return VideoLayer.newBuilder().setQuality(quality).setWidth(width).setHeight(height).setBitrate(bitrate)
                .build();
    }
}
