package io.livestage.testing.livekit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import com.google.protobuf.Message;
import livekit.LivekitEgress.EgressInfo;
import livekit.LivekitEgress.EgressStatus;
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
import livekit.LivekitModels.Room;

/**
 * LiveKit's Egress service as the {@link LiveKitStub} serves it ({@code POST /twirp/livekit.Egress/<Method>}, JSON or
 * protobuf like RoomService), with a simulated egress worker that records audio to real files, writes real HLS and
 * keeps RTMP streams' state; obtained with {@link LiveKitStub#egress()}.
 * <p>
 * Lifecycle (livekit pkg/service/egress.go, ioservice.go; livekit/egress pkg/pipeline/controller.go): a start answers
 * the EgressInfo in {@code EGRESS_STARTING} and emits {@code egress_started}; after {@link #startDelay} it becomes
 * {@code EGRESS_ACTIVE} ({@code egress_updated}); {@code StopEgress}, or the room closing, makes it
 * {@code EGRESS_ENDING} ({@code egress_updated}) and, after {@link #endDelay}, the file is written and it becomes
 * {@code EGRESS_COMPLETE} ({@code egress_ended} with the results). Stopped while STARTING it ends
 * {@code EGRESS_ABORTED}; failures end {@code EGRESS_FAILED} without a file. Webhooks go to the stub's
 * {@link LiveKitStub#notifier()} URLs.
 * <p>
 * Outputs of StartRoomCompositeEgress, as egress allows them (pkg/config/output.go): at most one file, one stream
 * output (any number of RTMP URLs; none only next to another output, for "HLS now, RTMP later") and one segment
 * output; one audio codec must suit them all, so an OGG file cannot share an egress with HLS or RTMP
 * ({@code invalid_argument}, the start is refused).
 * <ul>
 * <li>Files: MP3, Ogg Opus or MP4 (AAC) of digital silence ({@link SilentAudioFiles}) as long as the egress was
 * active (or {@link #recordedDuration}), at the path egress would use, under the host directory {@link #mount}ed
 * where the path points ({@code mount("/out", dir)} for {@code filepath: "/out/{room_name}/{time}.mp3"}).
 * {@code size}, {@code duration}, {@code started_at}/{@code ended_at} of the file result describe exactly the file
 * written.</li>
 * <li>Segments (HLS): while ACTIVE, a segment of {@code segment_duration} (default 4 s) of silent MPEG-TS
 * ({@link SilentMpegTs}) every {@link #segmentInterval} (by default the segment duration itself), with the EVENT
 * playlist and the 5-segment live playlist updated each time ({@link EgressSegments}); on end the last, shorter
 * segment and {@code #EXT-X-ENDLIST}. {@code segment_results[0]} counts them as they are written.</li>
 * <li>Streams (RTMP): nothing is sent; each URL has a {@code stream_results} entry with the stream key redacted
 * ({@code rtmps://host/app/{abc...xyz}}, protocol utils/redact.go), started when the egress becomes ACTIVE.
 * {@code UpdateStream} adds and removes URLs (by the full URL; removing the last output ends the egress, "All streams
 * stopped"); {@link #failStream} breaks one. After each change the worker re-sends {@code egress_updated}. The full
 * URLs never appear in an EgressInfo: {@link #streamUrls} has them.</li>
 * </ul>
 */
public final class LiveKitEgress {

    /** The Egress methods the stub implements; the other three answer {@code unimplemented}. */
    public static final List<String> IMPLEMENTED_METHODS = List.of("StartRoomCompositeEgress", "StartTrackEgress",
            "UpdateLayout", "UpdateStream", "ListEgress", "StopEgress");

    static final String SERVICE = "livekit.Egress";

    /** A Twirp method: its request type and its handler (null: unimplemented). */
    record Rpc(Message prototype, BiFunction<Message, TokenClaims, Message> handler) {
    }

    private final LiveKitStub stub;
    private final EgressVolumes volumes = new EgressVolumes();
    private final EgressRecorder recorder;
    private final Map<String, Rpc> rpcs = new LinkedHashMap<>();

    LiveKitEgress(LiveKitStub stub, WebhookNotifier notifier, String name) {
        this.stub = stub;
        this.recorder = new EgressRecorder(notifier, volumes, name);
        rpcs.put("StartRoomCompositeEgress",
                new Rpc(RoomCompositeEgressRequest.getDefaultInstance(), this::startRoomComposite));
        rpcs.put("StartParticipantEgress", new Rpc(ParticipantEgressRequest.getDefaultInstance(), null));
        rpcs.put("StartTrackCompositeEgress", new Rpc(TrackCompositeEgressRequest.getDefaultInstance(), null));
        rpcs.put("StartTrackEgress", new Rpc(TrackEgressRequest.getDefaultInstance(), this::startTrack));
        rpcs.put("StartWebEgress", new Rpc(WebEgressRequest.getDefaultInstance(), null));
        rpcs.put("UpdateLayout", new Rpc(UpdateLayoutRequest.getDefaultInstance(), this::updateLayout));
        rpcs.put("UpdateStream", new Rpc(UpdateStreamRequest.getDefaultInstance(), this::updateStream));
        rpcs.put("ListEgress", new Rpc(ListEgressRequest.getDefaultInstance(), this::list));
        rpcs.put("StopEgress", new Rpc(StopEgressRequest.getDefaultInstance(), this::stop));
    }

    Map<String, Rpc> rpcs() {
        return rpcs;
    }

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
    public LiveKitEgress startDelay(Duration delay) {
        recorder.startDelay(requireNonNegative(delay));
        return this;
    }

    /** How long an egress stays ENDING before its file is written and it completes (default 50 ms). */
    public LiveKitEgress endDelay(Duration delay) {
        recorder.endDelay(requireNonNegative(delay));
        return this;
    }

    /**
     * Files of egresses completing from now on last {@code duration} (e.g. an hour-long episode in a fast test)
     * instead of the time they were active; {@code null} restores the wall clock.
     */
    public LiveKitEgress recordedDuration(Duration duration) {
        recorder.recordedDuration(duration == null ? null : requireNonNegative(duration));
        return this;
    }

    /**
     * How often the worker writes an HLS segment while an egress is ACTIVE (e.g. 200 ms in a test), whatever the
     * {@code segment_duration} the playlists and segments describe; {@code null} restores real time (one segment
     * per segment duration). Applies to egresses becoming ACTIVE from now on.
     */
    public LiveKitEgress segmentInterval(Duration interval) {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("the segment interval must be positive, not " + interval);
        }
        recorder.segmentInterval(interval);
        return this;
    }

    /**
     * The RTMP stream {@code fullUrl} (as it was added, with its key) of a running egress fails, e.g. the server hung
     * up: its result becomes FAILED with {@code error} and {@code egress_updated} is sent; if it was the egress' last
     * output, the egress fails instead (EGRESS_FAILED with {@code error}, {@code egress_ended}), as in egress'
     * streamFailed.
     */
    public void failStream(String egressId, String fullUrl, String error) {
        recorder.failStream(egressId, fullUrl, error);
    }

    /** The full URLs (stream keys included) of the egress' streams still sending, in the order they were added. */
    public List<String> streamUrls(String egressId) {
        return recorder.streamUrls(egressId);
    }

    /** A stream URL as LiveKit shows it in {@code stream_results} and in the echoed request (utils.RedactStreamKey). */
    public static String redactStreamUrl(String url) {
        return EgressStreams.redactStreamKey(url);
    }

    /** The next egress started fails instead of becoming ACTIVE: EGRESS_FAILED with {@code error}, no file. */
    public void failNext(String error) {
        recorder.failNext(error);
    }

    /** The next egress started stays EGRESS_STARTING until {@link #activate}d, stopped or failed. */
    public void holdNextStarting() {
        recorder.holdNextStarting();
    }

    /** Makes a STARTING egress ACTIVE now (also one held by {@link #holdNextStarting}). */
    public void activate(String egressId) {
        recorder.activate(egressId);
    }

    /** Fails a running egress now (the pipeline broke): EGRESS_FAILED with {@code error}, {@code egress_ended}, no file. */
    public void fail(String egressId, String error) {
        recorder.fail(egressId, error);
    }

    /**
     * The room closed (all participants left and its empty timeout passed; {@code DeleteRoom} does this too): its
     * egresses end like on StopEgress, with the end reason {@code Source closed}.
     */
    public void roomClosed(String room) {
        recorder.roomClosed(room);
    }

    /** Every egress started since the last reset, oldest first, as ListEgress shows it. */
    public List<EgressInfo> egresses() {
        return recorder.list("", false);
    }

    public Optional<EgressInfo> egress(String egressId) {
        return recorder.get(egressId);
    }

    /** Waits until the egress has the status; returns its info then. */
    public EgressInfo awaitStatus(String egressId, EgressStatus status, Duration timeout) {
        return recorder.awaitStatus(egressId, status, timeout);
    }

    /** Forgets egresses and faults and restores the default delays and segment interval; mounts and files stay. */
    public void reset() {
        recorder.reset();
    }

    void close() {
        recorder.close();
        volumes.deleteContainerRoot();
    }

    private Message startRoomComposite(Message message, TokenClaims claims) {
        RoomCompositeEgressRequest request = (RoomCompositeEgressRequest) message;
        ensureRecordPermission(claims);
        Room room = roomOrNotFound(request.getRoomName());
        return recorder.start(EgressRequests.roomComposite(request, room));
    }

    private Message startTrack(Message message, TokenClaims claims) {
        TrackEgressRequest request = (TrackEgressRequest) message;
        ensureRecordPermission(claims);
        Room room = roomOrNotFound(request.getRoomName());
        return recorder.start(EgressRequests.track(request, room, stub.participants(room.getName())));
    }

    private Message updateLayout(Message message, TokenClaims claims) {
        UpdateLayoutRequest request = (UpdateLayoutRequest) message;
        ensureRecordPermission(claims);
        EgressInfo info = recorder.get(request.getEgressId()).orElseThrow(EgressRecorder::notFound);
        // LiveKit forwards the layout to the egress participant's metadata; once it has left, that fails.
        if (info.getStatus() != EgressStatus.EGRESS_ACTIVE) {
            throw new LiveKitStub.TwirpError(404, "not_found", "participant does not exist");
        }
        return info;
    }

    private Message updateStream(Message message, TokenClaims claims) {
        UpdateStreamRequest request = (UpdateStreamRequest) message;
        ensureRecordPermission(claims);
        return recorder.updateStream(request);
    }

    /** IOInfoService.ListEgress: an egress id wins over the other filters; active = not yet ended. */
    private Message list(Message message, TokenClaims claims) {
        ListEgressRequest request = (ListEgressRequest) message;
        ensureRecordPermission(claims);
        if (!request.getEgressId().isEmpty()) {
            return ListEgressResponse.newBuilder()
                    .addItems(recorder.get(request.getEgressId()).orElseThrow(EgressRecorder::notFound)).build();
        }
        return ListEgressResponse.newBuilder().addAllItems(recorder.list(request.getRoomName(), request.getActive()))
                .build();
    }

    private Message stop(Message message, TokenClaims claims) {
        StopEgressRequest request = (StopEgressRequest) message;
        ensureRecordPermission(claims);
        return recorder.stop(request.getEgressId());
    }

    /** Starts load the room first (egressLauncher.StartEgress). */
    private Room roomOrNotFound(String name) {
        return stub.room(name).orElseThrow(LiveKitStub::roomNotFound);
    }

    /** EnsureRecordPermission, wrapped like every grant check in twirpAuthError. */
    private static void ensureRecordPermission(TokenClaims claims) {
        if (claims == null || !claims.grant("roomRecord")) {
            throw LiveKitStub.permissionsDenied();
        }
    }

    private static Duration requireNonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        return duration;
    }
}
