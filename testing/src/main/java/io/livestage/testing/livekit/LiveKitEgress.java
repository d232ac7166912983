package io.livestage.testing.livekit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;

import livekit.LivekitEgress.DirectFileOutput;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressSourceType;
import livekit.LivekitEgress.EgressStatus;
import livekit.LivekitEgress.EncodedFileOutput;
import livekit.LivekitEgress.EncodedFileType;
import livekit.LivekitEgress.FileInfo;
import livekit.LivekitEgress.ListEgressRequest;
import livekit.LivekitEgress.ListEgressResponse;
import livekit.LivekitEgress.ParticipantEgressRequest;
import livekit.LivekitEgress.RoomCompositeEgressRequest;
import livekit.LivekitEgress.StopEgressRequest;
import livekit.LivekitEgress.TrackCompositeEgressRequest;
import livekit.LivekitEgress.TrackEgressRequest;
import livekit.LivekitEgress.UpdateLayoutRequest;
import livekit.LivekitEgress.UpdateStreamRequest;
import livekit.LivekitEgress.WebEgressRequest;
import livekit.LivekitModels.AudioCodec;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's Egress service as the {@link LiveKitStub} serves it ({@code POST /twirp/livekit.Egress/<Method>}, JSON or
 * protobuf like RoomService), with a simulated egress worker that records audio to real files: obtained with
 * {@link LiveKitStub#egress()}.
 * <p>
 * Lifecycle (livekit pkg/service/egress.go, ioservice.go; livekit/egress pkg/pipeline/controller.go): a start answers
 * the EgressInfo in {@code EGRESS_STARTING} and emits {@code egress_started}; after {@link #startDelay} it becomes
 * {@code EGRESS_ACTIVE} ({@code egress_updated}); {@code StopEgress}, or the room closing, makes it
 * {@code EGRESS_ENDING} ({@code egress_updated}) and, after {@link #endDelay}, the file is written and it becomes
 * {@code EGRESS_COMPLETE} ({@code egress_ended} with the file result). Stopped while STARTING it ends
 * {@code EGRESS_ABORTED}; failures end {@code EGRESS_FAILED} without a file. Webhooks go to the stub's
 * {@link LiveKitStub#notifier()} URLs.
 * <p>
 * Files: MP3 and Ogg Opus of digital silence ({@link SilentAudioFiles}) as long as the egress was active (or
 * {@link #recordedDuration}), at the path egress would use, under the host directory {@link #mount}ed where the path
 * points ({@code mount("/out", dir)} for {@code filepath: "/out/{room_name}/{time}.mp3"}). MP4 is not simulated: such
 * an egress fails. {@code size}, {@code duration}, {@code started_at}/{@code ended_at} of the file result describe
 * exactly the file written.
 */
public final class LiveKitEgress {

    /** The Egress methods the stub implements; the other four answer {@code unimplemented}. */
    public static final List<String> IMPLEMENTED_METHODS = List.of("StartRoomCompositeEgress", "StartTrackEgress",
            "UpdateLayout", "ListEgress", "StopEgress");

    static final String SERVICE = "livekit.Egress";
    private static final Duration DEFAULT_START_DELAY = Duration.ofMillis(100);
    private static final Duration DEFAULT_END_DELAY = Duration.ofMillis(50);
    private static final int DEFAULT_BITRATE_KBPS = 128;
    private static final int DEFAULT_FREQUENCY = 44100;
    private static final List<String> OGG_TRACK_CODECS = List.of("audio/opus", "audio/red", "audio/pcmu", "audio/pcma");

    /** A Twirp method: its request type and its handler (null: unimplemented). */
    record Rpc(Message prototype, BiFunction<Message, TokenClaims, Message> handler) {
    }

    private enum FileKind {
        MP3(".mp3"), OGG(".ogg"), MP4(".mp4");

        final String extension;

        FileKind(String extension) {
            this.extension = extension;
        }
    }

    /** One egress: its public info plus what the simulated worker needs. */
    private static final class Egress {
        final EgressInfo.Builder info;
        final String requestedPath;
        final boolean disableManifest;
        final Map<String, String> replacements;
        final String identifier;
        final TrackInfo track;
        final String publisher;
        final ZonedDateTime createdAt;
        FileKind kind;
        int bitrateKbps = DEFAULT_BITRATE_KBPS;
        int frequency = DEFAULT_FREQUENCY;
        boolean held;
        String failure;
        long activeAtNanos;
        long eosAtNanos;

        Egress(EgressInfo.Builder info, String requestedPath, boolean disableManifest, Map<String, String> replacements,
                String identifier, TrackInfo track, String publisher, ZonedDateTime createdAt) {
            this.info = info;
            this.requestedPath = requestedPath;
            this.disableManifest = disableManifest;
            this.replacements = replacements;
            this.identifier = identifier;
            this.track = track;
            this.publisher = publisher;
            this.createdAt = createdAt;
        }

        FileInfo.Builder file() {
            return info.getFileResultsBuilder(0);
        }

        /** Keeps the deprecated single {@code file} result equal to {@code file_results[0]}, as egress does. */
        EgressInfo snapshot() {
            return info.setFile(info.getFileResults(0)).build();
        }

        boolean terminal() {
            return info.getStatusValue() >= EgressStatus.EGRESS_COMPLETE_VALUE;
        }
    }

    private final LiveKitStub stub;
    private final WebhookNotifier notifier;
    private final EgressVolumes volumes = new EgressVolumes();
    private final ScheduledExecutorService worker;
    private final Map<String, Rpc> rpcs = new LinkedHashMap<>();
    private final Map<String, Egress> egresses = new LinkedHashMap<>();
    private final ArrayDeque<String> failNext = new ArrayDeque<>();
    private int holdNext;
    private Duration startDelay = DEFAULT_START_DELAY;
    private Duration endDelay = DEFAULT_END_DELAY;
    private Duration recordedDuration;

    LiveKitEgress(LiveKitStub stub, WebhookNotifier notifier, String name) {
        this.stub = stub;
        this.notifier = notifier;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name + "-egress");
            thread.setDaemon(true);
            return thread;
        });
        rpcs.put("StartRoomCompositeEgress",
                new Rpc(RoomCompositeEgressRequest.getDefaultInstance(), this::startRoomComposite));
        rpcs.put("StartParticipantEgress", new Rpc(ParticipantEgressRequest.getDefaultInstance(), null));
        rpcs.put("StartTrackCompositeEgress", new Rpc(TrackCompositeEgressRequest.getDefaultInstance(), null));
        rpcs.put("StartTrackEgress", new Rpc(TrackEgressRequest.getDefaultInstance(), this::startTrack));
        rpcs.put("StartWebEgress", new Rpc(WebEgressRequest.getDefaultInstance(), null));
        rpcs.put("UpdateLayout", new Rpc(UpdateLayoutRequest.getDefaultInstance(), this::updateLayout));
        rpcs.put("UpdateStream", new Rpc(UpdateStreamRequest.getDefaultInstance(), null));
        rpcs.put("ListEgress", new Rpc(ListEgressRequest.getDefaultInstance(), this::list));
        rpcs.put("StopEgress", new Rpc(StopEgressRequest.getDefaultInstance(), this::stop));
    }

    Map<String, Rpc> rpcs() {
        return rpcs;
    }

    // Configuration

    /** Mounts a host directory at an absolute path of the egress container, like a volume ({@code /out}). */
    public LiveKitEgress mount(String containerPath, Path hostDirectory) {
        volumes.mount(containerPath, hostDirectory);
        return this;
    }

    /** The temporary directory standing for the egress container outside the mounts (deleted by close). */
    public Path containerRoot() {
        return volumes.containerRoot();
    }

    /** The host file behind a {@code location} egress reported. */
    public Path hostPath(String location) {
        return volumes.hostPath(location);
    }

    /** How long an egress stays STARTING before it becomes ACTIVE (default 100 ms). */
    public synchronized LiveKitEgress startDelay(Duration delay) {
        this.startDelay = requireNonNegative(delay);
        return this;
    }

    /** How long an egress stays ENDING before its file is written and it completes (default 50 ms). */
    public synchronized LiveKitEgress endDelay(Duration delay) {
        this.endDelay = requireNonNegative(delay);
        return this;
    }

    /**
     * Files of egresses completing from now on last {@code duration} (e.g. an hour-long episode in a fast test)
     * instead of the time they were active; {@code null} restores the wall clock.
     */
    public synchronized LiveKitEgress recordedDuration(Duration duration) {
        this.recordedDuration = duration == null ? null : requireNonNegative(duration);
        return this;
    }

    // Faults and control

    /** The next egress started fails instead of becoming ACTIVE: EGRESS_FAILED with {@code error}, no file. */
    public synchronized void failNext(String error) {
        failNext.add(error);
    }

    /** The next egress started stays EGRESS_STARTING until {@link #activate}d, stopped or failed. */
    public synchronized void holdNextStarting() {
        holdNext++;
    }

    /** Makes a STARTING egress ACTIVE now (also one held by {@link #holdNextStarting}). */
    public synchronized void activate(String egressId) {
        Egress egress = require(egressId);
        if (egress.info.getStatus() != EgressStatus.EGRESS_STARTING) {
            throw new IllegalStateException(egressId + " is " + egress.info.getStatus() + ", not STARTING");
        }
        egress.held = false;
        becomeActive(egress);
    }

    /** Fails a running egress now (the pipeline broke): EGRESS_FAILED with {@code error}, {@code egress_ended}, no file. */
    public synchronized void fail(String egressId, String error) {
        Egress egress = require(egressId);
        if (egress.terminal()) {
            throw new IllegalStateException(egressId + " already ended: " + egress.info.getStatus());
        }
        setFailed(egress, error, 500);
    }

    /**
     * The room closed (all participants left and its empty timeout passed; {@code DeleteRoom} does this too): its
     * egresses end like on StopEgress, with the end reason {@code Source closed}.
     */
    public synchronized void roomClosed(String room) {
        for (Egress egress : egresses.values()) {
            if (room.equals(egress.info.getRoomName()) && !egress.terminal()) {
                endOfStream(egress, "Source closed");
            }
        }
    }

    // Inspection

    /** Every egress started since the last reset, oldest first, as ListEgress would show it. */
    public synchronized List<EgressInfo> egresses() {
        return egresses.values().stream().map(Egress::snapshot).toList();
    }

    public synchronized Optional<EgressInfo> egress(String egressId) {
        Egress egress = egresses.get(egressId);
        return egress == null ? Optional.empty() : Optional.of(egress.snapshot());
    }

    /** Waits until the egress has the status; returns its info then. */
    public EgressInfo awaitStatus(String egressId, EgressStatus status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                Egress egress = egresses.get(egressId);
                if (egress != null && egress.info.getStatus() == status) {
                    return egress.snapshot();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(egressId + " did not reach " + status + " within " + timeout + "; it is "
                            + (egress == null ? "unknown" : egress.info.getStatus()));
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

    /** Forgets egresses and faults and restores the default delays; mounts and written files stay. */
    public synchronized void reset() {
        egresses.clear();
        failNext.clear();
        holdNext = 0;
        startDelay = DEFAULT_START_DELAY;
        endDelay = DEFAULT_END_DELAY;
        recordedDuration = null;
    }

    void close() {
        worker.shutdownNow();
        volumes.deleteContainerRoot();
    }

    // Twirp handlers (called by the stub, under its lock)

    private Message startRoomComposite(Message message, TokenClaims claims) {
        RoomCompositeEgressRequest request = (RoomCompositeEgressRequest) message;
        ensureRecordPermission(claims);
        Room room = roomOrNotFound(request.getRoomName());
        List<EncodedFileOutput> files = request.getFileOutputsCount() == 0 && request.hasFile()
                ? List.of(request.getFile()) : request.getFileOutputsList();
        if (files.size() > 1) {
            throw invalidField("multiple file outputs");
        }
        if (request.getStreamOutputsCount() > 0 || request.hasStream() || request.getSegmentOutputsCount() > 0
                || request.hasSegments() || request.getImageOutputsCount() > 0) {
            throw new LiveKitStub.TwirpError(501, "unimplemented",
                    "the LiveKit stub records files only: stream, segment and image outputs are not simulated");
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
        FileKind kind = fileKind(file.getFileType(), request.getAudioOnly(), codec);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        Map<String, String> replacements = EgressFilepaths.roomReplacements(room.getName(), room.getSid(), now);
        String filename = EgressFilepaths.storagePath(file.getFilepath(), replacements, room.getName(), kind.extension,
                now);
        boolean sdk = request.getAudioOnly() && request.getLayout().isEmpty() && request.getCustomBaseUrl().isEmpty();
        EgressInfo.Builder info = newInfo(room, sdk).setRoomComposite(request)
                .addFileResults(FileInfo.newBuilder().setFilename(filename));
        Egress egress = new Egress(info, file.getFilepath(), file.getDisableManifest(), replacements, room.getName(),
                null, null, now);
        egress.kind = kind;
        if (request.hasAdvanced()) {
            if (request.getAdvanced().getAudioBitrate() > 0) {
                egress.bitrateKbps = request.getAdvanced().getAudioBitrate();
            }
            if (request.getAdvanced().getAudioFrequency() > 0) {
                egress.frequency = request.getAdvanced().getAudioFrequency();
            }
        }
        return started(egress);
    }

    private Message startTrack(Message message, TokenClaims claims) {
        TrackEgressRequest request = (TrackEgressRequest) message;
        ensureRecordPermission(claims);
        Room room = roomOrNotFound(request.getRoomName());
        if (request.getTrackId().isEmpty()) {
            throw invalidField("track_id");
        }
        if (request.hasWebsocketUrl()) {
            throw new LiveKitStub.TwirpError(501, "unimplemented",
                    "the LiveKit stub records files only: websocket track egress is not simulated");
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
        for (ParticipantInfo participant : stub.participants(room.getName())) {
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
        EgressInfo.Builder info = newInfo(room, true).setTrack(request)
                .addFileResults(FileInfo.newBuilder().setFilename(
                        EgressFilepaths.replace(EgressFilepaths.clean(file.getFilepath()), replacements)));
        Egress egress = new Egress(info, file.getFilepath(), file.getDisableManifest(), replacements,
                request.getTrackId(), track, publisher, now);
        if (track == null) {
            egress.failure = "track " + request.getTrackId() + " not found";
        }
        return started(egress);
    }

    private Message updateLayout(Message message, TokenClaims claims) {
        UpdateLayoutRequest request = (UpdateLayoutRequest) message;
        ensureRecordPermission(claims);
        synchronized (this) {
            Egress egress = egressOrNotFound(request.getEgressId());
            // LiveKit forwards the layout to the egress participant's metadata; once it has left, that fails.
            if (egress.info.getStatus() != EgressStatus.EGRESS_ACTIVE) {
                throw new LiveKitStub.TwirpError(404, "not_found", "participant does not exist");
            }
            return egress.snapshot();
        }
    }

    private Message list(Message message, TokenClaims claims) {
        ListEgressRequest request = (ListEgressRequest) message;
        ensureRecordPermission(claims);
        synchronized (this) {
            ListEgressResponse.Builder response = ListEgressResponse.newBuilder();
            if (!request.getEgressId().isEmpty()) {
                return response.addItems(egressOrNotFound(request.getEgressId()).snapshot()).build();
            }
            for (Egress egress : egresses.values()) {
                boolean inRoom = request.getRoomName().isEmpty()
                        || request.getRoomName().equals(egress.info.getRoomName());
                if (inRoom && (!request.getActive() || !egress.terminal())) {
                    response.addItems(egress.snapshot());
                }
            }
            return response.build();
        }
    }

    private Message stop(Message message, TokenClaims claims) {
        StopEgressRequest request = (StopEgressRequest) message;
        ensureRecordPermission(claims);
        synchronized (this) {
            Egress egress = egressOrNotFound(request.getEgressId());
            if (egress.terminal()) {
                throw new LiveKitStub.TwirpError(412, "failed_precondition",
                        "egress with status " + egress.info.getStatus() + " cannot be stopped");
            }
            endOfStream(egress, "StopEgress API");
            return egress.snapshot();
        }
    }

    // The simulated worker (all transitions under this monitor, webhooks emitted in transition order)

    private synchronized Message started(Egress egress) {
        String id = egress.info.getEgressId();
        egresses.put(id, egress);
        if (egress.failure == null && !failNext.isEmpty()) {
            egress.failure = failNext.poll();
        }
        if (holdNext > 0) {
            holdNext--;
            egress.held = true;
        }
        emit(LiveKitWebhooks.EGRESS_STARTED, egress);
        schedule(startDelay, () -> {
            synchronized (this) {
                if (!current(egress) || egress.info.getStatus() != EgressStatus.EGRESS_STARTING || egress.held) {
                    return;
                }
                if (egress.failure != null) {
                    setFailed(egress, egress.failure, egress.track == null && egress.info.hasTrack() ? 404 : 500);
                } else {
                    becomeActive(egress);
                }
            }
        });
        return egress.snapshot();
    }

    private void becomeActive(Egress egress) {
        long now = nowNanos();
        if (egress.info.hasTrack()) {
            if (egress.track == null) {
                setFailed(egress, "track " + egress.info.getTrack().getTrackId() + " not found", 404);
                return;
            }
            if (!isOggAudio(egress.track)) {
                setFailed(egress, "the LiveKit stub records audio tracks only, not " + egress.track.getMimeType(), 500);
                return;
            }
            egress.kind = FileKind.OGG;
            Map<String, String> replacements = new LinkedHashMap<>(egress.replacements);
            replacements.put("{track_id}", egress.track.getSid());
            replacements.put("{track_type}", egress.track.getType().name().toLowerCase(Locale.ROOT));
            replacements.put("{track_source}", egress.track.getSource().name().toLowerCase(Locale.ROOT));
            replacements.put("{publisher_identity}", egress.publisher);
            egress.file().setFilename(EgressFilepaths.storagePath(egress.requestedPath, replacements,
                    egress.identifier, egress.kind.extension, egress.createdAt));
        }
        egress.activeAtNanos = now;
        egress.file().setStartedAt(now);
        egress.info.setStatus(EgressStatus.EGRESS_ACTIVE).setUpdatedAt(now);
        emit(LiveKitWebhooks.EGRESS_UPDATED, egress);
    }

    /** Controller.SendEOS: STARTING aborts, ACTIVE starts ending, ENDING answers as it is. */
    private void endOfStream(Egress egress, String reason) {
        if (egress.info.getStatus() == EgressStatus.EGRESS_ENDING) {
            return;
        }
        long now = nowNanos();
        egress.info.setDetails("End reason: " + reason);
        if (egress.info.getStatus() == EgressStatus.EGRESS_STARTING) {
            egress.info.setStatus(EgressStatus.EGRESS_ABORTED).setError("Stop called before pipeline could start")
                    .setErrorCode(412).setUpdatedAt(now).setEndedAt(now);
            emit(LiveKitWebhooks.EGRESS_ENDED, egress);
            return;
        }
        egress.eosAtNanos = now;
        egress.info.setStatus(EgressStatus.EGRESS_ENDING).setUpdatedAt(now);
        emit(LiveKitWebhooks.EGRESS_UPDATED, egress);
        schedule(endDelay, () -> complete(egress));
    }

    /** Writes the file outside the monitor, then completes unless the egress failed meanwhile. */
    private void complete(Egress egress) {
        String location;
        FileKind kind;
        Duration duration;
        EgressInfo info;
        synchronized (this) {
            if (!current(egress) || egress.info.getStatus() != EgressStatus.EGRESS_ENDING) {
                return;
            }
            location = EgressVolumes.location(egress.file().getFilename());
            kind = egress.kind;
            duration = recordedDuration != null ? recordedDuration
                    : Duration.ofNanos(egress.eosAtNanos - egress.activeAtNanos);
            info = egress.snapshot();
        }
        SilentAudioFiles.Written written;
        String manifest = null;
        try {
            Path target = volumes.hostPath(location);
            written = switch (kind) {
                case MP3 -> SilentAudioFiles.writeMp3(target, duration, mp3Bitrate(egress.bitrateKbps),
                        mp3Rate(egress.frequency));
                case OGG -> SilentAudioFiles.writeOggOpus(target, duration);
                case MP4 -> throw new UnsupportedOperationException(
                        "the LiveKit stub writes MP3 and OGG files only, not MP4");
            };
            if (!egress.disableManifest) {
                manifest = EgressVolumes.location(parent(location) + "/" + info.getEgressId() + ".json");
                writeManifest(volumes.hostPath(manifest), info, location, written.durationNanos());
            }
        } catch (UncheckedIOException | UnsupportedOperationException e) {
            synchronized (this) {
                if (current(egress) && egress.info.getStatus() == EgressStatus.EGRESS_ENDING) {
                    setFailed(egress, e instanceof UncheckedIOException io
                            ? "Local upload failed: " + io.getCause() : e.getMessage(), 500);
                }
            }
            return;
        }
        synchronized (this) {
            if (!current(egress) || egress.info.getStatus() != EgressStatus.EGRESS_ENDING) {
                return;
            }
            long startedAt = egress.activeAtNanos;
            egress.file().setStartedAt(startedAt).setEndedAt(startedAt + written.durationNanos())
                    .setDuration(written.durationNanos()).setSize(written.size()).setLocation(location);
            if (manifest != null) {
                egress.info.setManifestLocation(manifest);
            }
            long now = nowNanos();
            egress.info.setStatus(EgressStatus.EGRESS_COMPLETE).setUpdatedAt(now).setEndedAt(now);
            emit(LiveKitWebhooks.EGRESS_ENDED, egress);
        }
    }

    private void setFailed(Egress egress, String error, int errorCode) {
        long now = nowNanos();
        egress.info.setStatus(EgressStatus.EGRESS_FAILED).setError(error).setErrorCode(errorCode)
                .setUpdatedAt(now).setEndedAt(now);
        if (egress.info.getDetails().isEmpty()) {
            egress.info.setDetails("End reason: Failure");
        }
        emit(LiveKitWebhooks.EGRESS_ENDED, egress);
    }

    /** LiveKit's NotifyEgressEvent: the room (sid and name only) and the info; changes wake awaitStatus. */
    private void emit(String event, Egress egress) {
        EgressInfo info = egress.snapshot();
        WebhookEvent.Builder webhook = LiveKitWebhooks.event(event).setEgressInfo(info);
        if (!info.getRoomName().isEmpty()) {
            webhook.setRoom(Room.newBuilder().setSid(info.getRoomId()).setName(info.getRoomName()));
        }
        notifier.emit(webhook.build());
        notifyAll();
    }

    /** False once {@link #reset} forgot the egress: its pending transitions must not reach the next test. */
    private boolean current(Egress egress) {
        return egresses.get(egress.info.getEgressId()) == egress;
    }

    private void schedule(Duration delay, Runnable task) {
        worker.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    // Helpers

    private static EgressInfo.Builder newInfo(Room room, boolean sdkSource) {
        long now = nowNanos();
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
    private static FileKind fileKind(EncodedFileType type, boolean audioOnly, AudioCodec codec) {
        boolean any = codec == AudioCodec.DEFAULT_AC;
        FileKind kind = switch (type) {
            case MP3 -> any || codec == AudioCodec.AC_MP3 || codec == AudioCodec.OPUS || codec == AudioCodec.AAC
                    ? FileKind.MP3 : null;
            case OGG -> any || codec == AudioCodec.OPUS ? FileKind.OGG : null;
            case MP4 -> any || codec == AudioCodec.AAC || codec == AudioCodec.OPUS ? FileKind.MP4 : null;
            default -> !audioOnly ? FileKind.MP4
                    : any || codec == AudioCodec.OPUS ? FileKind.OGG
                    : codec == AudioCodec.AAC ? FileKind.MP4
                    : codec == AudioCodec.AC_MP3 ? FileKind.MP3 : null;
        };
        if (kind == null) {
            throw new LiveKitStub.TwirpError(400, "invalid_argument",
                    "no supported codec is compatible with all outputs");
        }
        return kind;
    }

    /** pkg/types TrackOutputTypes: Opus (also as RED), PCMU and PCMA tracks are written as OGG. */
    private static boolean isOggAudio(TrackInfo track) {
        String mime = track.getMimeType().toLowerCase(Locale.ROOT);
        return track.getType() == TrackType.AUDIO && (mime.isEmpty() || OGG_TRACK_CODECS.contains(mime));
    }

    /** The nearest MPEG-1 Layer III bitrate (lame's rounding of an odd value). */
    private static int mp3Bitrate(int kbps) {
        int best = SilentAudioFiles.MP3_BITRATES.get(1);
        for (int candidate : SilentAudioFiles.MP3_BITRATES.subList(1, SilentAudioFiles.MP3_BITRATES.size())) {
            if (Math.abs(candidate - kbps) < Math.abs(best - kbps)) {
                best = candidate;
            }
        }
        return best;
    }

    private static int mp3Rate(int frequency) {
        return SilentAudioFiles.MP3_SAMPLE_RATES.contains(frequency) ? frequency : DEFAULT_FREQUENCY;
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

    private Room roomOrNotFound(String name) {
        // LiveKit loads the room before asking a worker (egressLauncher.StartEgress).
        return stub.room(name).orElseThrow(LiveKitStub::roomNotFound);
    }

    private Egress egressOrNotFound(String egressId) {
        Egress egress = egresses.get(egressId);
        if (egress == null) {
            throw new LiveKitStub.TwirpError(404, "not_found", "egress does not exist");
        }
        return egress;
    }

    private Egress require(String egressId) {
        Egress egress = egresses.get(egressId);
        if (egress == null) {
            throw new IllegalArgumentException("no egress " + egressId);
        }
        return egress;
    }

    /** EnsureRecordPermission, wrapped like every grant check in twirpAuthError. */
    private static void ensureRecordPermission(TokenClaims claims) {
        if (claims == null || !claims.grant("roomRecord")) {
            throw LiveKitStub.permissionsDenied();
        }
    }

    private static LiveKitStub.TwirpError invalidField(String field) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", "request has missing or invalid field: " + field);
    }

    private static LiveKitStub.TwirpError cloudStorage() {
        return new LiveKitStub.TwirpError(501, "unimplemented",
                "the LiveKit stub writes to local storage only: s3, gcp, azure and aliOSS uploads are not simulated");
    }

    private static Duration requireNonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        return duration;
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
