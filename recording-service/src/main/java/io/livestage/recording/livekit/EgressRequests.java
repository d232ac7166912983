package io.livestage.recording.livekit;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.EncodingOptions;
import livekit.LivekitEgress.EncodingOptionsPreset;
import livekit.LivekitEgress.S3Upload;
import livekit.LivekitModels.AudioCodec;

import io.livestage.events.recording.RecordingFormat;
import io.livestage.recording.config.RecordingConfig;

/**
 * What a room-composite egress for one output format asks LiveKit for: MP3 is audio only (egress records it through
 * the SDK, without Chrome) with explicit MP3 encoding; MP4 composes video with the configured preset. One egress per
 * format, because egress picks one audio codec for all outputs of an egress. A speaker track is a track egress of the
 * participant's microphone track to a file: egress writes an Opus track as Ogg, without transcoding.
 */
public final class EgressRequests {
    private static final Pattern TRACK_FILE = Pattern.compile("^[0-9a-fA-F-]{36}-track-([A-Za-z0-9_]+)-");

    /** The room-composite request of one output. */
    public record Request(EncodedFileOutput file, EncodingOptionsPreset preset, EncodingOptions advanced,
            boolean audioOnly) {
    }

    private EgressRequests() {
    }

    public static Request of(RecordingConfig config, UUID sessionId, UUID recordingId, RecordingFormat format) {
        RecordingConfig.Storage storage = config.storage();
        boolean s3 = storage.type() == RecordingConfig.Storage.Type.S3;
        EncodedFileOutput.Builder file = EncodedFileOutput.newBuilder()
                .setFilepath(filepath(s3 ? storage.s3().prefix() : storage.directory(), sessionId, recordingId, format));
        if (s3) {
            file.setS3(s3Upload(storage.s3()));
        }
        return switch (format) {
            case MP3 -> new Request(file.setFileType(EncodedFileType.MP3).build(), null,
                    EncodingOptions.newBuilder().setAudioCodec(AudioCodec.AC_MP3)
                            .setAudioBitrate(config.audio().bitrateKbps())
                            .setAudioFrequency(config.audio().frequency()).build(),
                    true);
            case MP4 -> new Request(file.setFileType(EncodedFileType.MP4).build(),
                    EncodingOptionsPreset.valueOf(config.video().preset()), null, false);
        };
    }

    /** The track egress of a speaker track: its microphone track to {@link #trackFilepath}. */
    public static DirectFileOutput track(RecordingConfig config, UUID sessionId, UUID recordingId, String trackSid) {
        return DirectFileOutput.newBuilder()
                .setFilepath(trackFilepath(config.storage().directory(), sessionId, recordingId, trackSid)).build();
    }

    /**
     * {@code <directory>/<session>/<recording>-track-<track sid>-{time}.ogg}: the recording id first, as for the
     * composite files, then the track, so an egress whose start answer was lost is recognised as this track's.
     */
    public static String trackFilepath(String directory, UUID sessionId, UUID recordingId, String trackSid) {
        return base(directory) + sessionId + "/" + recordingId + "-track-" + trackSid + "-{time}.ogg";
    }

    /** The track sid a requested track file path names ({@link #trackFilepath}), or null. */
    public static String trackOf(String filepath) {
        if (filepath == null) {
            return null;
        }
        Matcher matcher = TRACK_FILE.matcher(filepath.substring(filepath.lastIndexOf('/') + 1));
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * The bucket egress uploads to ({@code storage.type=s3}): LiveKit's S3Upload with the configured endpoint, region,
     * bucket, key pair and path style (the startup check has made sure bucket and keys are set).
     */
    static S3Upload s3Upload(RecordingConfig.S3 s3) {
        S3Upload.Builder upload = S3Upload.newBuilder().setRegion(s3.region()).setBucket(s3.bucket().orElse(""))
                .setAccessKey(s3.accessKey().orElse("")).setSecret(s3.secret().orElse(""))
                .setForcePathStyle(s3.forcePathStyle());
        s3.endpoint().ifPresent(upload::setEndpoint);
        return upload.build();
    }

    /**
     * {@code <directory>/<session>/<recording>-{time}.<ext>}: egress fills in {@code {time}}; the recording id lets the
     * service recognise an egress whose start answer it never received (ListEgress and webhooks show the path).
     */
    public static String filepath(String directory, UUID sessionId, UUID recordingId, RecordingFormat format) {
        return base(directory) + sessionId + "/" + recordingId + "-{time}." + format.name().toLowerCase(Locale.ROOT);
    }

    private static String base(String directory) {
        return directory == null || directory.isBlank() ? "" : directory.endsWith("/") ? directory : directory + "/";
    }

    /** The recording a requested file path names ({@link #filepath}), or null. */
    public static UUID recordingOf(String filepath) {
        if (filepath == null) {
            return null;
        }
        String name = filepath.substring(filepath.lastIndexOf('/') + 1);
        if (name.length() < 36) {
            return null;
        }
        try {
            return UUID.fromString(name.substring(0, 36));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
