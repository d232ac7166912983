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

    /** Where egress writes files: a folder it shares with recording-service (local storage). */
    interface Storage {
        /**
         * The folder in egress's file system that is the shared storage (e.g. {@code /out}, a mounted volume); file
         * paths are {@code <directory>/<session id>/<recording id>-{time}.<ext>}. Empty: egress's working directory.
         */
        @WithDefault("/out")
        String directory();

        /**
         * The same folder as recording-service sees it, when it is mounted elsewhere (e.g. the tests' temporary
         * folder); empty: the same path as {@link #directory()}. The podcast library reads the MP3s it serves here.
         */
        Optional<String> localDirectory();
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
        @WithDefault("250ms")
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
