package io.livestage.recording.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code livestage.recording.*}. */
@ConfigMapping(prefix = "livestage.recording")
public interface RecordingConfig {

    Storage storage();

    Audio audio();

    Video video();

    Egress egress();

    /**
     * The public base URL podcast apps reach this service at (the gateway): feeds link their self URL, enclosures,
     * transcripts and chapters under it.
     */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    Feeds feeds();

    Streaming streaming();

    /** Live streaming (ADR 0015): OBS ingest, restream targets, HLS, the stream status. */
    interface Streaming {
        /**
         * The AES-256 keys that encrypt stream keys at rest: {@code id:base64-of-32-bytes}, comma separated
         * ({@code LIVESTAGE_STREAM_KEYS}). Every stored ciphertext names its key id, so a new key is added here, made
         * {@link #currentKey()}, and the old one kept while anything still uses it.
         */
        String keys();

        /** The key id new ciphertexts are written with. */
        String currentKey();

        /** Length of an HLS segment, in seconds (LiveKit's default is 4). */
        @WithDefault("4")
        int segmentSeconds();

        /** A failed restream target is added again after this wait, doubling up to {@link #retryMax()}. */
        @WithDefault("2s")
        Duration retryInitial();

        @WithDefault("1m")
        Duration retryMax();

        /** Attempts after which a failing restream target is given up (the host can start it again). */
        @WithDefault("5")
        int retryLimit();

        /** The shortest time between two status pushes of one session (changes in between are sent together). */
        @WithDefault("50ms")
        Duration statusThrottle();
    }

    /** The RSS feeds (rendered feeds are kept in memory while their channel and episodes do not change). */
    interface Feeds {
        /** Upper bound of the rendered feeds kept, in bytes (least recently used ones go first). */
        @WithDefault("67108864")
        long cacheBytes();

        /** {@code Cache-Control: public, max-age} of a feed, in seconds. */
        @WithDefault("60")
        int maxAgeSeconds();
    }

    /**
     * Where egress writes files and where this service reads them: a folder both share (local, the default) or an
     * S3-compatible bucket (ADR 0013).
     */
    interface Storage {
        /** {@code local}: a shared folder, files served here with Range support; {@code s3}: a bucket, presigned. */
        @WithDefault("local")
        Type type();

        /**
         * The folder in egress's file system that is the shared storage (e.g. {@code /out}, a mounted volume); file
         * paths are {@code <directory>/<session id>/<recording id>-{time}.<ext>}. Empty: egress's working directory.
         */
        @WithDefault("/out")
        String directory();

        /**
         * The same folder as this service sees it ({@code <local-directory>/<session id>/...}); absent: the same path
         * as {@link #directory()} (the volume is mounted at the same place in both containers). The file
         * endpoint and the podcast library read the files here.
         */
        Optional<String> localDirectory();

        S3 s3();

        enum Type {
            LOCAL,
            S3
        }
    }

    /** The bucket of {@code storage.type=s3}: egress uploads to it, the file endpoint redirects to presigned GETs. */
    interface S3 {
        /** {@code https://s3.<region>.amazonaws.com} when absent; MinIO and others: their URL. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        Optional<String> accessKey();

        /** Never logged; the startup check names a missing key, never a value. */
        Optional<String> secret();

        /** {@code https://endpoint/bucket/key} instead of {@code https://bucket.endpoint/key} (MinIO). */
        @WithDefault("false")
        boolean forcePathStyle();

        /** Object keys are {@code <prefix>/<session id>/<recording id>-{time}.<ext>}. */
        @WithDefault("recordings")
        String prefix();

        /** How long a presigned GET stays valid. */
        @WithDefault("5m")
        Duration presignTtl();
    }

    /** The MP3 output (LiveKit's EncodingOptions; egress's own defaults are 128 kbps, 44.1 kHz). */
    interface Audio {
        @WithDefault("128")
        int bitrateKbps();

        @WithDefault("44100")
        int frequency();
    }

    /** The MP4 output of VIDEO sessions. */
    interface Video {
        /** A LiveKit {@code EncodingOptionsPreset}. */
        @WithDefault("H264_720P_30")
        String preset();
    }

    /** The egress driver (starts and stops) and the reconcile loop (ListEgress). */
    interface Egress {
        /** How often the driver looks for starts and stops due (a commit wakes it at once as well). */
        @WithDefault("1s")
        Duration pollEvery();

        /** How long a replica holds an output it is starting or stopping before another may retry it. */
        @WithDefault("30s")
        Duration lease();

        /** First wait before another start attempt (the room does not exist yet, LiveKit unreachable); doubles. */
        @WithDefault("50ms")
        Duration retryInitial();

        @WithDefault("5s")
        Duration retryMax();

        /** How often the reconcile loop compares live outputs with LiveKit's ListEgress. */
        @WithDefault("30s")
        Duration reconcileEvery();

        /** An egress still STARTING this long after LiveKit accepted it is failed (and stopped). */
        @WithDefault("2m")
        Duration startingTimeout();

        /** Outputs handled per driver or reconcile round. */
        @WithDefault("50")
        int batchSize();
    }
}
