package io.livestage.testing.livekit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.StreamInfo;
import livekit.LivekitEgress.UpdateStreamRequest;
import livekit.LivekitModels.Room;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * The simulated egress worker and LiveKit's egress store: every transition of every {@link EgressJob} happens under
 * this monitor and emits its webhook there, so webhooks leave in the order of the transitions
 * (livekit/egress pkg/pipeline/controller.go; livekit pkg/service/ioservice.go). Files are written outside the
 * monitor, on the worker thread.
 */
final class EgressRecorder {

    static final Duration DEFAULT_START_DELAY = Duration.ofMillis(100);
    static final Duration DEFAULT_END_DELAY = Duration.ofMillis(50);

    private final WebhookNotifier notifier;
    private final EgressVolumes volumes;
    private final ScheduledExecutorService worker;
    private final Map<String, EgressJob> jobs = new LinkedHashMap<>();
    private final ArrayDeque<String> failNext = new ArrayDeque<>();
    private int holdNext;
    private Duration startDelay = DEFAULT_START_DELAY;
    private Duration endDelay = DEFAULT_END_DELAY;
    private Duration recordedDuration;
    private Duration segmentInterval;

    EgressRecorder(WebhookNotifier notifier, EgressVolumes volumes, String name) {
        this.notifier = notifier;
        this.volumes = volumes;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-egress");
            thread.setDaemon(true);
            return thread;
        });
    }

    synchronized void startDelay(Duration delay) {
        this.startDelay = delay;
    }

    synchronized void endDelay(Duration delay) {
        this.endDelay = delay;
    }

    synchronized void recordedDuration(Duration duration) {
        this.recordedDuration = duration;
    }

    synchronized void segmentInterval(Duration interval) {
        this.segmentInterval = interval;
    }

    synchronized void failNext(String error) {
        failNext.add(error);
    }

    synchronized void holdNextStarting() {
        holdNext++;
    }

    synchronized void reset() {
        jobs.clear();
        failNext.clear();
        holdNext = 0;
        startDelay = DEFAULT_START_DELAY;
        endDelay = DEFAULT_END_DELAY;
        recordedDuration = null;
        segmentInterval = null;
    }

    void close() {
        worker.shutdownNow();
    }

    synchronized List<EgressInfo> list(String room, boolean activeOnly) {
        return jobs.values().stream()
                .filter(job -> room.isEmpty() || room.equals(job.info.getRoomName()))
                .filter(job -> !activeOnly || !job.terminal())
                .map(EgressJob::snapshot)
                .toList();
    }

    synchronized Optional<EgressInfo> get(String egressId) {
        EgressJob job = jobs.get(egressId);
        return job == null ? Optional.empty() : Optional.of(job.snapshot());
    }

    /** Waits until the egress has the status; returns its info then. */
    EgressInfo awaitStatus(String egressId, EgressStatus status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                EgressJob job = jobs.get(egressId);
                if (job != null && job.status() == status) {
                    return job.snapshot();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(egressId + " did not reach " + status + " within " + timeout + "; it is "
                            + (job == null ? "unknown" : job.status()));
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + egressId, e);
                }
            }
        }
    }

    /** Stores the job, emits {@code egress_started} (STARTING) and schedules its start. */
    synchronized EgressInfo start(EgressJob job) {
        jobs.put(job.id(), job);
        if (job.failure == null && !failNext.isEmpty()) {
            job.failure = failNext.poll();
        }
        if (holdNext > 0) {
            holdNext--;
            job.held = true;
        }
        emit(LiveKitWebhooks.EGRESS_STARTED, job);
        schedule(startDelay, () -> {
            synchronized (this) {
                if (current(job) && job.status() == EgressStatus.EGRESS_STARTING && !job.held) {
                    if (job.failure != null) {
                        setFailed(job, job.failure, job.info.hasTrack() && job.track == null ? 404 : 500);
                    } else {
                        becomeActive(job);
                    }
                }
            }
        });
        return job.snapshot();
    }

    /** StopEgress: LiveKit's answers for an unknown or ended egress, else the handler's SendEOS. */
    synchronized EgressInfo stop(String egressId) {
        EgressJob job = jobs.get(egressId);
        if (job == null) {
            throw notFound();
        }
        if (job.terminal()) {
            throw new LiveKitStub.TwirpError(412, "failed_precondition",
                    "egress with status " + job.status() + " cannot be stopped");
        }
        endOfStream(job, "StopEgress API");
        return job.snapshot();
    }

    synchronized void activate(String egressId) {
        EgressJob job = require(egressId);
        if (job.status() != EgressStatus.EGRESS_STARTING) {
            throw new IllegalStateException(egressId + " is " + job.status() + ", not STARTING");
        }
        job.held = false;
        becomeActive(job);
    }

    synchronized void fail(String egressId, String error) {
        EgressJob job = require(egressId);
        if (job.terminal()) {
            throw new IllegalStateException(egressId + " already ended: " + job.status());
        }
        setFailed(job, error, 500);
    }

    synchronized void roomClosed(String room) {
        for (EgressJob job : jobs.values()) {
            if (room.equals(job.info.getRoomName()) && !job.terminal()) {
                endOfStream(job, "Source closed");
            }
        }
    }

    static LiveKitStub.TwirpError notFound() {
        return new LiveKitStub.TwirpError(404, "not_found", "egress does not exist");
    }

    private EgressJob require(String egressId) {
        EgressJob job = jobs.get(egressId);
        if (job == null) {
            throw new IllegalArgumentException("no egress " + egressId);
        }
        return job;
    }

    private void becomeActive(EgressJob job) {
        if (job.info.hasTrack()) {
            String failure = job.subscribeTrack();
            if (failure != null) {
                setFailed(job, failure, job.track == null ? 404 : 500);
                return;
            }
        }
        long now = EgressJob.nowNanos();
        job.activeAtNanos = now;
        if (job.fileOutput) {
            job.file().setStartedAt(now);
        }
        // The stub's RTMP streams connect at once.
        for (EgressJob.Stream stream : job.activeStreams()) {
            job.streamInfo(stream).setStartedAt(now);
        }
        if (job.segments != null) {
            job.segmentsInfo().setStartedAt(now);
            startSegments(job, now);
        }
        job.info.setStatus(EgressStatus.EGRESS_ACTIVE).setUpdatedAt(now);
        emit(LiveKitWebhooks.EGRESS_UPDATED, job);
    }

    /** While ACTIVE, the worker writes a segment every interval. */
    private void startSegments(EgressJob job, long now) {
        Duration interval = segmentInterval != null ? segmentInterval
                : Duration.ofSeconds(job.segments.segmentDuration);
        job.segmentIntervalNanos = interval.toNanos();
        job.lastSegmentAtNanos = now;
        job.segmentTicker = worker.scheduleAtFixedRate(() -> writeSegment(job), job.segmentIntervalNanos,
                job.segmentIntervalNanos, TimeUnit.NANOSECONDS);
    }

    /** One tick of the segment writer: a full segment, files written outside the monitor. */
    private void writeSegment(EgressJob job) {
        long frames;
        long startedAt;
        synchronized (this) {
            if (!current(job) || job.status() != EgressStatus.EGRESS_ACTIVE) {
                stopSegments(job);
                return;
            }
            frames = job.segments.fullSegmentFrames();
            startedAt = job.activeAtNanos;
        }
        EgressSegments.Segment segment;
        try {
            segment = job.segments.write(volumes, startedAt, frames);
        } catch (UncheckedIOException e) {
            synchronized (this) {
                if (current(job) && job.status() == EgressStatus.EGRESS_ACTIVE) {
                    setFailed(job, "Local upload failed: " + e.getCause(), 500);
                }
            }
            return;
        }
        synchronized (this) {
            job.lastSegmentAtNanos = EgressJob.nowNanos();
            if (current(job)) {
                recordSegment(job, segment);
            }
        }
    }

    /** SegmentSink: count and size grow with every segment; the playlists' locations once uploaded. */
    private static void recordSegment(EgressJob job, EgressSegments.Segment segment) {
        job.segmentsInfo().setSegmentCount(job.segmentsInfo().getSegmentCount() + 1)
                .setSize(job.segmentsInfo().getSize() + segment.size())
                .setDuration(job.segments.writtenNanos())
                .setPlaylistLocation(job.segments.playlistLocation())
                .setLivePlaylistLocation(job.segments.livePlaylistLocation());
    }

    private static void stopSegments(EgressJob job) {
        if (job.segmentTicker != null) {
            job.segmentTicker.cancel(false);
        }
    }

    /** Controller.SendEOS: STARTING aborts, ACTIVE starts ending, ENDING goes on. */
    private void endOfStream(EgressJob job, String reason) {
        if (job.status() == EgressStatus.EGRESS_ENDING) {
            return;
        }
        long now = EgressJob.nowNanos();
        job.info.setDetails("End reason: " + reason);
        if (job.status() == EgressStatus.EGRESS_STARTING) {
            job.info.setStatus(EgressStatus.EGRESS_ABORTED).setError("Stop called before pipeline could start")
                    .setErrorCode(412).setUpdatedAt(now).setEndedAt(now);
            emit(LiveKitWebhooks.EGRESS_ENDED, job);
            return;
        }
        job.eosAtNanos = now;
        stopSegments(job);
        job.info.setStatus(EgressStatus.EGRESS_ENDING).setUpdatedAt(now);
        emit(LiveKitWebhooks.EGRESS_UPDATED, job);
        schedule(endDelay, () -> complete(job));
    }

    /**
     * Writes the file and the last segment (closing the playlists) outside the monitor, then completes unless the
     * egress failed or was forgotten meanwhile; streams still sending finish (controller updateEndTime).
     */
    private void complete(EgressJob job) {
        String location = null;
        Duration duration = null;
        EgressInfo info;
        long lastFrames = 0;
        long segmentsStartedAt = 0;
        synchronized (this) {
            if (!current(job) || job.status() != EgressStatus.EGRESS_ENDING) {
                return;
            }
            if (job.fileOutput) {
                location = EgressVolumes.location(job.file().getFilename());
                duration = recordedDuration != null ? recordedDuration
                        : Duration.ofNanos(job.eosAtNanos - job.activeAtNanos);
            }
            if (job.segments != null) {
                // The segment open at the end of stream, as long as it had been recording then (at least a frame).
                double share = Math.min(1, Math.max(0, job.eosAtNanos - job.lastSegmentAtNanos)
                        / (double) Math.max(1, job.segmentIntervalNanos));
                lastFrames = Math.max(1, Math.round(job.segments.fullSegmentFrames() * share));
                segmentsStartedAt = job.activeAtNanos;
            }
            info = job.snapshot();
        }
        SilentAudioFiles.Written written = null;
        EgressSegments.Segment lastSegment = null;
        String manifest = null;
        try {
            if (location != null) {
                written = write(job, volumes.hostPath(location), duration);
                if (!job.disableManifest) {
                    manifest = EgressVolumes.location(parent(location) + "/" + info.getEgressId() + ".json");
                    writeManifest(volumes.hostPath(manifest), info, location, written.durationNanos());
                }
            }
            if (job.segments != null) {
                lastSegment = job.segments.write(volumes, segmentsStartedAt, lastFrames);
                job.segments.close(volumes);
            }
        } catch (UncheckedIOException e) {
            synchronized (this) {
                if (current(job) && job.status() == EgressStatus.EGRESS_ENDING) {
                    setFailed(job, "Local upload failed: " + e.getCause(), 500);
                }
            }
            return;
        }
        synchronized (this) {
            if (!current(job) || job.status() != EgressStatus.EGRESS_ENDING) {
                return;
            }
            long startedAt = job.activeAtNanos;
            if (written != null) {
                job.file().setStartedAt(startedAt).setEndedAt(startedAt + written.durationNanos())
                        .setDuration(written.durationNanos()).setSize(written.size()).setLocation(location);
            }
            if (manifest != null) {
                job.info.setManifestLocation(manifest);
            }
            if (lastSegment != null) {
                recordSegment(job, lastSegment);
                job.segmentsInfo().setEndedAt(startedAt + job.segments.writtenNanos());
            }
            long now = EgressJob.nowNanos();
            for (EgressJob.Stream stream : job.activeStreams()) {
                endStream(job.streamInfo(stream).setStatus(StreamInfo.Status.FINISHED), job.eosAtNanos);
            }
            job.info.setStatus(EgressStatus.EGRESS_COMPLETE).setUpdatedAt(now).setEndedAt(now);
            emit(LiveKitWebhooks.EGRESS_ENDED, job);
        }
    }

    /** Stream.UpdateEndTime: the end, and the duration when the stream had started. */
    private static void endStream(StreamInfo.Builder stream, long endedAt) {
        stream.setEndedAt(endedAt);
        if (stream.getStartedAt() == 0) {
            stream.setStartedAt(endedAt);
        } else {
            stream.setDuration(endedAt - stream.getStartedAt());
        }
    }

    // --------------------------------------------------------------------------------------------------------
    // Streams (livekit/egress pkg/pipeline/controller.go UpdateStream, streamFinished, streamFailed, streamUpdated)

    /** UpdateStream: adds, then removes; valid changes apply even when others are refused, as in egress. */
    synchronized EgressInfo updateStream(UpdateStreamRequest request) {
        EgressJob job = jobs.get(request.getEgressId());
        if (job == null) {
            throw notFound();
        }
        requireUpdatable(job);
        if (!job.streamOutput) {
            throw new LiveKitStub.TwirpError(400, "invalid_argument", "UpdateStream called on non-streaming egress");
        }
        List<LiveKitStub.TwirpError> errors = new ArrayList<>();
        long now = EgressJob.nowNanos();
        for (String url : request.getAddOutputUrlsList()) {
            try {
                EgressJob.Stream stream = EgressRequests.addStream(job, EgressStreams.validate(url));
                if (job.status() == EgressStatus.EGRESS_ACTIVE) {
                    job.streamInfo(stream).setStartedAt(now);
                }
            } catch (LiveKitStub.TwirpError e) {
                errors.add(e);
            }
        }
        for (String url : request.getRemoveOutputUrlsList()) {
            try {
                EgressJob.Stream stream = activeStream(job, url);
                if (stream == null) {
                    errors.add(new LiveKitStub.TwirpError(404, "not_found", "stream " + url + " not found"));
                } else {
                    endStream(job.streamInfo(stream).setStatus(StreamInfo.Status.FINISHED), EgressJob.nowNanos());
                    if (job.outputCount() == 0) {
                        endOfStream(job, "All streams stopped");
                    }
                }
            } catch (LiveKitStub.TwirpError e) {
                errors.add(e);
            }
        }
        streamUpdated(job);
        if (!errors.isEmpty()) {
            // The handler fails the call; LiveKit then answers by the egress' status (pkg/service/egress.go).
            requireUpdatable(job);
            LiveKitStub.TwirpError first = errors.getFirst();
            throw new LiveKitStub.TwirpError(first.status, first.code,
                    String.join("\n", errors.stream().map(Throwable::getMessage).toList()));
        }
        return job.snapshot();
    }

    /** A stream of the egress fails (the RTMP server hung up): FAILED; the egress fails if nothing else remains. */
    synchronized void failStream(String egressId, String url, String error) {
        EgressJob job = require(egressId);
        if (job.terminal()) {
            throw new IllegalStateException(egressId + " already ended: " + job.status());
        }
        EgressJob.Stream stream = activeStream(job, url);
        if (stream == null) {
            throw new IllegalArgumentException("no active stream " + url + " in " + egressId);
        }
        endStream(job.streamInfo(stream).setStatus(StreamInfo.Status.FAILED).setError(error), EgressJob.nowNanos());
        if (job.outputCount() == 0) {
            setFailed(job, error, 503);
            return;
        }
        streamUpdated(job);
    }

    /** The full URLs of the streams still sending. */
    synchronized List<String> streamUrls(String egressId) {
        return require(egressId).activeStreams().stream().map(stream -> stream.url().raw()).toList();
    }

    /** StreamConfig.GetStream: by the URL as egress stored it (the full URL, never the redacted one). */
    private static EgressJob.Stream activeStream(EgressJob job, String rawUrl) {
        String parsed = EgressStreams.parse(rawUrl);
        for (EgressJob.Stream stream : job.activeStreams()) {
            if (stream.url().parsed().equals(parsed)) {
                return stream;
            }
        }
        return null;
    }

    /** The worker re-sends the ACTIVE info once every stream has started or failed (the stub's start at once). */
    private void streamUpdated(EgressJob job) {
        if (job.status() == EgressStatus.EGRESS_ACTIVE) {
            job.info.setUpdatedAt(EgressJob.nowNanos());
            emit(LiveKitWebhooks.EGRESS_UPDATED, job);
        }
    }

    private static void requireUpdatable(EgressJob job) {
        if (job.status() != EgressStatus.EGRESS_STARTING && job.status() != EgressStatus.EGRESS_ACTIVE) {
            throw new LiveKitStub.TwirpError(412, "failed_precondition",
                    "egress with status " + job.status() + " cannot be updated");
        }
    }

    private static SilentAudioFiles.Written write(EgressJob job, Path target, Duration duration) {
        return switch (job.kind) {
            case MP3 -> SilentAudioFiles.writeMp3(target, duration, nearestMp3Bitrate(job.bitrateKbps), rate(job));
            case OGG -> SilentAudioFiles.writeOggOpus(target, duration);
            case MP4 -> SilentAudioFiles.writeMp4Aac(target, duration, rate(job));
        };
    }

    /** The requested audio_frequency when both writers support it (32, 44.1 or 48 kHz), else egress' default. */
    private static int rate(EgressJob job) {
        return SilentAudioFiles.MP3_SAMPLE_RATES.contains(job.frequency) ? job.frequency : EgressJob.DEFAULT_FREQUENCY;
    }

    private void setFailed(EgressJob job, String error, int errorCode) {
        stopSegments(job);
        long now = EgressJob.nowNanos();
        job.info.setStatus(EgressStatus.EGRESS_FAILED).setError(error).setErrorCode(errorCode)
                .setUpdatedAt(now).setEndedAt(now);
        if (job.info.getDetails().isEmpty()) {
            job.info.setDetails("End reason: Failure");
        }
        emit(LiveKitWebhooks.EGRESS_ENDED, job);
    }

    /** LiveKit's NotifyEgressEvent: the room (sid and name only) and the info; also wakes awaitStatus. */
    private void emit(String event, EgressJob job) {
        EgressInfo info = job.snapshot();
        WebhookEvent.Builder webhook = LiveKitWebhooks.event(event).setEgressInfo(info);
        if (!info.getRoomName().isEmpty()) {
            webhook.setRoom(Room.newBuilder().setSid(info.getRoomId()).setName(info.getRoomName()));
        }
        notifier.emit(webhook.build());
        notifyAll();
    }

    /** False once {@link #reset} forgot the job: its pending transitions must not reach the next test. */
    private boolean current(EgressJob job) {
        return jobs.get(job.id()) == job;
    }

    private void schedule(Duration delay, Runnable task) {
        worker.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The nearest MPEG-1 Layer III bitrate to the requested one. */
    private static int nearestMp3Bitrate(int kbps) {
        List<Integer> bitrates = SilentAudioFiles.MP3_BITRATES.subList(1, SilentAudioFiles.MP3_BITRATES.size());
        int best = bitrates.getFirst();
        for (int candidate : bitrates) {
            if (Math.abs(candidate - kbps) < Math.abs(best - kbps)) {
                best = candidate;
            }
        }
        return best;
    }

    private static String parent(String location) {
        int slash = location.lastIndexOf('/');
        return slash <= 0 ? "" : location.substring(0, slash);
    }

    /** egress pkg/config/manifest.go: {@code <egress id>.json} beside the file (unless disable_manifest). */
    private static void writeManifest(Path path, EgressInfo info, String location, long durationNanos) {
        ObjectNode manifest = LiveKitJson.MAPPER.createObjectNode()
                .put("egress_id", info.getEgressId())
                .put("room_id", info.getRoomId())
                .put("room_name", info.getRoomName())
                .put("started_at", info.getStartedAt())
                .put("ended_at", info.getFileResults(0).getStartedAt() + durationNanos);
        if (info.hasTrack()) {
            manifest.put("track_id", info.getTrack().getTrackId());
        }
        manifest.putArray("files").addObject().put("filename", info.getFileResults(0).getFilename())
                .put("location", location);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, manifest + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
