package io.livestage.testing.livekit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.Message;
import livekit.LivekitIngress.CreateIngressRequest;
import livekit.LivekitIngress.DeleteIngressRequest;
import livekit.LivekitIngress.IngressAudioEncodingPreset;
import livekit.LivekitIngress.IngressAudioOptions;
import livekit.LivekitIngress.IngressInfo;
import livekit.LivekitIngress.IngressInfoOrBuilder;
import livekit.LivekitIngress.IngressInput;
import livekit.LivekitIngress.IngressState;
import livekit.LivekitIngress.IngressVideoEncodingPreset;
import livekit.LivekitIngress.IngressVideoOptions;
import livekit.LivekitIngress.InputAudioState;
import livekit.LivekitIngress.InputVideoState;
import livekit.LivekitIngress.ListIngressRequest;
import livekit.LivekitIngress.ListIngressResponse;
import livekit.LivekitIngress.UpdateIngressRequest;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.VideoLayer;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * LiveKit's Ingress service as the {@link LiveKitStub} serves it ({@code POST /twirp/livekit.Ingress/<Method>}, JSON
 * or protobuf like RoomService), with test hooks standing for an encoder (OBS) publishing to the ingress; obtained
 * with {@link LiveKitStub#ingress()}.
 * <p>
 * API (livekit pkg/service/ingress.go; protocol ingress/validation.go): every call needs the {@code ingressAdmin}
 * video grant, else {@code unauthenticated} "permissions denied" like every grant LiveKit checks. CreateIngress
 * gives RTMP and WHIP ingresses an {@code IN_} id, a 12-character stream key, {@code reusable=true} and the
 * configured base URL ({@link #rtmpBaseUrl}, {@link #whipBaseUrl}) in state ENDPOINT_INACTIVE; a participant identity
 * is required, URL_INPUT needs an http(s)/srt {@code url} and a room. UpdateIngress changes the non-empty fields of a
 * reusable ingress (an ingress in ERROR becomes INACTIVE first); DeleteIngress ends a running session first.
 * ListIngress filters by room, or answers the one {@code ingress_id}.
 * <p>
 * Sessions (livekit pkg/service/ioservice_ingress.go, telemetry events.go): {@link #publish} → ENDPOINT_PUBLISHING
 * with {@code ingress_started}; {@link #stopPublishing} → ENDPOINT_INACTIVE, {@link #error} → ENDPOINT_ERROR, each
 * with {@code ingress_ended}; the webhooks carry {@code room:{name}} and {@code ingressInfo}, none for create, update
 * or delete, none for a status that does not change. While publishing into an existing room the ingress is a
 * participant of kind INGRESS (with {@code participant_joined} / {@code participant_left} from the notifier).
 */
public final class LiveKitIngress {

    /** Every Ingress method of the API. */
    public static final List<String> IMPLEMENTED_METHODS = List.of("CreateIngress", "UpdateIngress", "ListIngress",
            "DeleteIngress");
    /** The RTMP base URL ({@code ingress.rtmp_base_url} of livekit.yaml) until {@link #rtmpBaseUrl} changes it. */
    public static final String DEFAULT_RTMP_BASE_URL = "rtmp://localhost:1935/live";
    /** The WHIP base URL ({@code ingress.whip_base_url}) until {@link #whipBaseUrl} changes it. */
    public static final String DEFAULT_WHIP_BASE_URL = "http://localhost:8080/w";

    static final String SERVICE = "livekit.Ingress";
    private static final Set<String> PULL_SCHEMES = Set.of("http", "https", "srt");

    private final LiveKitStub stub;
    private final WebhookNotifier notifier;
    /** The stub's lock: API handlers already hold it, and the room state it guards is touched here too. */
    private final Object lock;
    private final Map<String, LiveKitEgress.Rpc> rpcs = new LinkedHashMap<>();
    private final Map<String, IngressInfo.Builder> ingresses = new LinkedHashMap<>();
    private String rtmpBaseUrl = DEFAULT_RTMP_BASE_URL;
    private String whipBaseUrl = DEFAULT_WHIP_BASE_URL;

    LiveKitIngress(LiveKitStub stub, WebhookNotifier notifier, Object lock) {
        this.stub = stub;
        this.notifier = notifier;
        this.lock = lock;
        rpcs.put("CreateIngress", new LiveKitEgress.Rpc(CreateIngressRequest.getDefaultInstance(), this::create));
        rpcs.put("UpdateIngress", new LiveKitEgress.Rpc(UpdateIngressRequest.getDefaultInstance(), this::update));
        rpcs.put("ListIngress", new LiveKitEgress.Rpc(ListIngressRequest.getDefaultInstance(), this::list));
        rpcs.put("DeleteIngress", new LiveKitEgress.Rpc(DeleteIngressRequest.getDefaultInstance(), this::delete));
    }

    Map<String, LiveKitEgress.Rpc> rpcs() {
        return rpcs;
    }

    /** The {@code url} of RTMP ingresses created from now on (OBS's "Server"). */
    public LiveKitIngress rtmpBaseUrl(String url) {
        synchronized (lock) {
            this.rtmpBaseUrl = Objects.requireNonNull(url, "url");
        }
        return this;
    }

    /** The {@code url} of WHIP ingresses created from now on. */
    public LiveKitIngress whipBaseUrl(String url) {
        synchronized (lock) {
            this.whipBaseUrl = Objects.requireNonNull(url, "url");
        }
        return this;
    }

    /** Every ingress, oldest first, as ListIngress shows it. */
    public List<IngressInfo> ingresses() {
        synchronized (lock) {
            return ingresses.values().stream().map(IngressInfo.Builder::build).toList();
        }
    }

    public Optional<IngressInfo> ingress(String ingressId) {
        synchronized (lock) {
            IngressInfo.Builder info = ingresses.get(ingressId);
            return info == null ? Optional.empty() : Optional.of(info.build());
        }
    }

    /**
     * An encoder connects with the ingress' stream key and publishes: ENDPOINT_PUBLISHING with {@code started_at},
     * the room's sid and the input's audio and video as the ingress' presets describe them ({@code ingress_started}).
     * When the room exists the ingress joins it first as a participant of kind INGRESS publishing a microphone and a
     * camera track ({@code participant_joined}). An ingress without a room goes to ENDPOINT_ERROR instead, as the
     * ingress service refuses it.
     *
     * @throws IllegalStateException when the ingress is already publishing or is disabled
     */
    public IngressInfo publish(String ingressId) {
        synchronized (lock) {
            IngressInfo.Builder info = require(ingressId);
            IngressState.Status status = info.getState().getStatus();
            if (status == IngressState.Status.ENDPOINT_PUBLISHING || status == IngressState.Status.ENDPOINT_BUFFERING) {
                throw new IllegalStateException(ingressId + " is already " + status);
            }
            if (info.hasEnabled() && !info.getEnabled()) {
                throw new IllegalStateException(ingressId + " is disabled: LiveKit refuses the session");
            }
            if (info.getRoomName().isEmpty()) {
                return error(ingressId, "invalid ingress: no room name");
            }
            long now = EgressJob.nowNanos();
            IngressState.Builder state = IngressState.newBuilder()
                    .setStatus(IngressState.Status.ENDPOINT_PUBLISHING)
                    .setStartedAt(now)
                    .setUpdatedAt(now)
                    .setResourceId(Ids.next(resourcePrefix(info.getInputType())))
                    .setVideo(videoState(info))
                    .setAudio(audioState(info));
            Optional<Room> room = stub.room(info.getRoomName());
            if (room.isPresent()) {
                ParticipantInfo participant = stub.join(info.getRoomName(), participant(info));
                state.setRoomId(room.get().getSid()).addAllTracks(participant.getTracksList());
                notifier.emit(LiveKitWebhooks.participantJoined(stub.room(info.getRoomName()).orElseThrow(),
                        participant));
            }
            info.setState(state);
            notifyState(info, true);
            return info.build();
        }
    }

    /** The encoder stops: ENDPOINT_INACTIVE (a reusable ingress; COMPLETE otherwise), {@code ingress_ended}. */
    public IngressInfo stopPublishing(String ingressId) {
        synchronized (lock) {
            IngressInfo.Builder info = require(ingressId);
            IngressState.Status status = info.getState().getStatus();
            if (status != IngressState.Status.ENDPOINT_PUBLISHING && status != IngressState.Status.ENDPOINT_BUFFERING) {
                throw new IllegalStateException(ingressId + " is not publishing but " + status);
            }
            endSession(info, info.getReusable() ? IngressState.Status.ENDPOINT_INACTIVE
                    : IngressState.Status.ENDPOINT_COMPLETE, null);
            return info.build();
        }
    }

    /**
     * The session fails (or a connection is refused): ENDPOINT_ERROR with {@code message}, {@code ingress_ended}
     * unless it already was in ERROR.
     */
    public IngressInfo error(String ingressId, String message) {
        synchronized (lock) {
            endSession(require(ingressId), IngressState.Status.ENDPOINT_ERROR, message);
            return ingresses.get(ingressId).build();
        }
    }

    /** Forgets every ingress (no webhooks); the base URLs stay. */
    public void reset() {
        synchronized (lock) {
            ingresses.clear();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // API

    private Message create(Message message, TokenClaims claims) {
        CreateIngressRequest request = (CreateIngressRequest) message;
        String url = switch (request.getInputType()) {
            case RTMP_INPUT -> rtmpBaseUrl;
            case WHIP_INPUT -> whipBaseUrl;
            case URL_INPUT -> request.getUrl();
            default -> throw invalidArgument("invalid ingress type");
        };
        ensureIngressAdmin(claims);
        boolean pull = request.getInputType() == IngressInput.URL_INPUT;
        if (pull) {
            if (url.isEmpty()) {
                throw invalidIngress("missing URL parameter");
            }
            String scheme = EgressStreams.scheme(url);
            if (!PULL_SCHEMES.contains(scheme)) {
                throw invalidIngress("invalid url scheme " + scheme);
            }
        }
        IngressInfo.Builder info = IngressInfo.newBuilder()
                .setIngressId(Ids.INGRESS + Ids.shortUuid())
                .setName(request.getName())
                .setUrl(url)
                .setInputType(request.getInputType())
                .setRoomName(request.getRoomName())
                .setParticipantIdentity(request.getParticipantIdentity())
                .setParticipantName(request.getParticipantName())
                .setParticipantMetadata(request.getParticipantMetadata())
                .setState(IngressState.getDefaultInstance());
        if (!pull) {
            info.setStreamKey(Ids.shortUuid()).setReusable(true);
        }
        if (request.hasAudio()) {
            info.setAudio(request.getAudio());
        }
        if (request.hasVideo()) {
            info.setVideo(request.getVideo());
        }
        if (request.hasEnableTranscoding()) {
            info.setEnableTranscoding(request.getEnableTranscoding());
        }
        if (request.hasEnabled()) {
            info.setEnabled(request.getEnabled());
        }
        if (pull && info.getRoomName().isEmpty()) {
            throw invalidIngress("no room name");
        }
        validate(info);
        updateEnableTranscoding(info);
        ingresses.put(info.getIngressId(), info);
        return info.build();
    }

    /** updateInfoUsingRequest on a copy, stored only when valid; an ingress in ERROR becomes INACTIVE first. */
    private Message update(Message message, TokenClaims claims) {
        UpdateIngressRequest request = (UpdateIngressRequest) message;
        ensureIngressAdmin(claims);
        IngressInfo.Builder stored = ingresses.get(request.getIngressId());
        if (stored == null) {
            throw ingressNotFound();
        }
        if (!stored.getReusable()) {
            throw invalidArgument("ingress is not reusable and cannot be modified");
        }
        if (stored.getState().getStatus() == IngressState.Status.ENDPOINT_ERROR) {
            stored.setState(stored.getState().toBuilder().setStatus(IngressState.Status.ENDPOINT_INACTIVE)
                    .setUpdatedAt(EgressJob.nowNanos()));
            notifyState(stored, true);
        }
        if (stored.getState().getStatus() == IngressState.Status.ENDPOINT_COMPLETE) {
            return stored.build();
        }
        IngressInfo.Builder info = stored.clone();
        if (!request.getName().isEmpty()) {
            info.setName(request.getName());
        }
        if (!request.getRoomName().isEmpty()) {
            info.setRoomName(request.getRoomName());
        }
        if (!request.getParticipantIdentity().isEmpty()) {
            info.setParticipantIdentity(request.getParticipantIdentity());
        }
        if (!request.getParticipantName().isEmpty()) {
            info.setParticipantName(request.getParticipantName());
        }
        if (request.hasEnableTranscoding()) {
            info.setEnableTranscoding(request.getEnableTranscoding());
        }
        if (!request.getParticipantMetadata().isEmpty()) {
            info.setParticipantMetadata(request.getParticipantMetadata());
        }
        if (request.hasAudio()) {
            info.setAudio(request.getAudio());
        }
        if (request.hasVideo()) {
            info.setVideo(request.getVideo());
        }
        if (request.hasEnabled()) {
            info.setEnabled(request.getEnabled());
        }
        validate(info);
        updateEnableTranscoding(info);
        ingresses.put(info.getIngressId(), info);
        return info.build();
    }

    private Message list(Message message, TokenClaims claims) {
        ListIngressRequest request = (ListIngressRequest) message;
        ensureIngressAdmin(claims);
        ListIngressResponse.Builder response = ListIngressResponse.newBuilder();
        if (!request.getIngressId().isEmpty()) {
            IngressInfo.Builder info = ingresses.get(request.getIngressId());
            if (info == null) {
                throw ingressNotFound();
            }
            return response.addItems(info).build();
        }
        for (IngressInfo.Builder info : ingresses.values()) {
            if (request.getRoomName().isEmpty() || request.getRoomName().equals(info.getRoomName())) {
                response.addItems(info);
            }
        }
        return response.build();
    }

    /** A running session is stopped first (its ingress_ended), then the ingress is gone; answered INACTIVE. */
    private Message delete(Message message, TokenClaims claims) {
        DeleteIngressRequest request = (DeleteIngressRequest) message;
        ensureIngressAdmin(claims);
        IngressInfo.Builder info = ingresses.get(request.getIngressId());
        if (info == null) {
            throw ingressNotFound();
        }
        IngressState.Status status = info.getState().getStatus();
        if (status == IngressState.Status.ENDPOINT_PUBLISHING || status == IngressState.Status.ENDPOINT_BUFFERING) {
            endSession(info, IngressState.Status.ENDPOINT_INACTIVE, null);
        }
        ingresses.remove(request.getIngressId());
        info.setState(info.getState().toBuilder().setStatus(IngressState.Status.ENDPOINT_INACTIVE));
        return info.build();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sessions

    private IngressInfo.Builder require(String ingressId) {
        IngressInfo.Builder info = ingresses.get(ingressId);
        if (info == null) {
            throw new IllegalArgumentException("no ingress " + ingressId);
        }
        return info;
    }

    /** SetStatus (ended_at once) and the state update; the participant leaves before the ingress reports it. */
    private void endSession(IngressInfo.Builder info, IngressState.Status status, String error) {
        IngressState.Builder state = info.getState().toBuilder();
        boolean changed = state.getStatus() != status;
        long now = EgressJob.nowNanos();
        state.setStatus(status).setUpdatedAt(now);
        if (state.getEndedAt() == 0) {
            state.setEndedAt(now);
        }
        if (error != null && state.getError().isEmpty()) {
            state.setError(error);
        }
        ParticipantInfo joined = stub.participant(info.getRoomName(), info.getParticipantIdentity())
                .filter(participant -> participant.getKind() == ParticipantInfo.Kind.INGRESS)
                .orElse(null);
        if (joined != null && changed) {
            Room room = stub.room(info.getRoomName()).orElseThrow();
            ParticipantInfo left = stub.leave(info.getRoomName(), info.getParticipantIdentity());
            notifier.emit(LiveKitWebhooks.participantLeft(room, left, DisconnectReason.CLIENT_INITIATED));
        }
        info.setState(state);
        notifyState(info, changed);
    }

    /** IOInfoService.UpdateIngressState: a webhook only when the status changed, and not for BUFFERING. */
    private void notifyState(IngressInfo.Builder info, boolean changed) {
        if (!changed) {
            return;
        }
        String event = switch (info.getState().getStatus()) {
            case ENDPOINT_PUBLISHING -> LiveKitWebhooks.INGRESS_STARTED;
            case ENDPOINT_INACTIVE, ENDPOINT_ERROR, ENDPOINT_COMPLETE -> LiveKitWebhooks.INGRESS_ENDED;
            default -> null;
        };
        if (event != null) {
            WebhookEvent webhook = LiveKitWebhooks.event(event)
                    .setRoom(Room.newBuilder().setName(info.getRoomName()))
                    .setIngressInfo(info.build())
                    .build();
            notifier.emit(webhook);
        }
    }

    /** The ingress in the room: kind INGRESS, publishing what it transcodes (Opus audio, H.264 video). */
    private static ParticipantInfo participant(IngressInfo.Builder info) {
        InputVideoState video = videoState(info);
        TrackInfo audio = TrackInfo.newBuilder().setType(TrackType.AUDIO)
                .setSource(source(info.getAudio().getSource(), TrackSource.MICROPHONE))
                .setName(info.getAudio().getName().isEmpty() ? "audio" : info.getAudio().getName())
                .setMimeType("audio/opus").setStereo(audioState(info).getChannels() == 2).build();
        TrackInfo camera = TrackInfo.newBuilder().setType(TrackType.VIDEO)
                .setSource(source(info.getVideo().getSource(), TrackSource.CAMERA))
                .setName(info.getVideo().getName().isEmpty() ? "video" : info.getVideo().getName())
                .setMimeType("video/H264").setWidth(video.getWidth()).setHeight(video.getHeight()).build();
        return ParticipantInfo.newBuilder().setIdentity(info.getParticipantIdentity())
                .setName(info.getParticipantName()).setMetadata(info.getParticipantMetadata())
                .setKind(ParticipantInfo.Kind.INGRESS).addTracks(audio).addTracks(camera).build();
    }

    private static TrackSource source(TrackSource requested, TrackSource fallback) {
        return requested == TrackSource.UNKNOWN ? fallback : requested;
    }

    /** The video an encoder sends for the ingress' preset (livekit_ingress.proto preset comments) or options. */
    static InputVideoState videoState(IngressInfoOrBuilder info) {
        IngressVideoOptions video = info.getVideo();
        int width = 1280;
        int height = 720;
        double framerate = 30;
        int bitrate = 1_900_000;
        if (video.hasOptions()) {
            if (video.getOptions().getFrameRate() > 0) {
                framerate = video.getOptions().getFrameRate();
            }
            VideoLayer largest = null;
            for (VideoLayer layer : video.getOptions().getLayersList()) {
                if (largest == null || layer.getWidth() * layer.getHeight() > largest.getWidth() * largest.getHeight()) {
                    largest = layer;
                }
            }
            if (largest != null) {
                width = largest.getWidth();
                height = largest.getHeight();
                bitrate = largest.getBitrate() > 0 ? largest.getBitrate() : bitrate;
            }
        } else {
            IngressVideoEncodingPreset preset = video.getPreset();
            String name = preset == IngressVideoEncodingPreset.UNRECOGNIZED ? "" : preset.name();
            boolean highMotion = name.endsWith("HIGH_MOTION");
            if (name.contains("1080P")) {
                width = 1920;
                height = 1080;
                bitrate = highMotion ? 4_500_000 : 3_500_000;
            } else if (name.contains("540P")) {
                width = 960;
                height = 540;
                framerate = 25;
                bitrate = highMotion ? 1_300_000 : 1_000_000;
            } else {
                bitrate = highMotion ? 2_500_000 : 1_900_000;
            }
        }
        return InputVideoState.newBuilder().setMimeType("video/H264").setAverageBitrate(bitrate).setWidth(width)
                .setHeight(height).setFramerate(framerate).build();
    }

    /** The audio an encoder sends: AAC over RTMP, Opus over WHIP; channels and bitrate of the preset or options. */
    static InputAudioState audioState(IngressInfoOrBuilder info) {
        IngressAudioOptions audio = info.getAudio();
        int channels = 2;
        int bitrate = 96_000;
        if (audio.hasOptions()) {
            channels = audio.getOptions().getChannels() > 0 ? audio.getOptions().getChannels() : channels;
            bitrate = audio.getOptions().getBitrate() > 0 ? audio.getOptions().getBitrate() : bitrate;
        } else if (audio.getPreset() == IngressAudioEncodingPreset.OPUS_MONO_64KBS) {
            channels = 1;
            bitrate = 64_000;
        }
        String mime = info.getInputType() == IngressInput.RTMP_INPUT ? "audio/aac" : "audio/opus";
        return InputAudioState.newBuilder().setMimeType(mime).setAverageBitrate(bitrate).setChannels(channels)
                .setSampleRate(48_000).build();
    }

    private static String resourcePrefix(IngressInput input) {
        return switch (input) {
            case WHIP_INPUT -> Ids.WHIP_RESOURCE;
            case URL_INPUT -> Ids.URL_RESOURCE;
            default -> Ids.RTMP_RESOURCE;
        };
    }

    // ------------------------------------------------------------------------------------------------------------
    // Validation (protocol ingress/validation.go ValidateForSerialization; livekit ingress.go updateEnableTranscoding)

    private static void validate(IngressInfo.Builder info) {
        if (info.getParticipantIdentity().isEmpty()) {
            throw invalidIngress("no participant identity");
        }
        if (info.getInputType() == IngressInput.URL_INPUT && info.hasEnabled() && !info.getEnabled()) {
            throw invalidIngress("disabled non reusable ingress");
        }
        boolean transcoding;
        if (info.getInputType() == IngressInput.WHIP_INPUT) {
            transcoding = info.hasEnableTranscoding() && info.getEnableTranscoding();
        } else {
            if (info.hasEnableTranscoding() && !info.getEnableTranscoding()) {
                throw invalidTranscoding("bypassing transcoding impossible with selected input type");
            }
            transcoding = true;
        }
        if (!transcoding) {
            if (info.getVideo().hasPreset() || info.getVideo().hasOptions()) {
                throw invalidTranscoding("video encoding options must be empty if transcoding is disabled");
            }
            if (info.getAudio().hasPreset() || info.getAudio().hasOptions()) {
                throw invalidTranscoding("audio encoding options must be empty if transcoding is disabled");
            }
        }
    }

    /** WHIP defaults to no transcoding, the rest to transcoding; {@code bypass_transcoding} mirrors it. */
    private static void updateEnableTranscoding(IngressInfo.Builder info) {
        if (info.hasEnableTranscoding()) {
            info.setBypassTranscoding(!info.getEnableTranscoding());
        } else if (info.getInputType() == IngressInput.WHIP_INPUT) {
            info.setEnableTranscoding(false).setBypassTranscoding(true);
        } else {
            info.setEnableTranscoding(true);
        }
    }

    /** EnsureIngressAdminPermission, wrapped in twirpAuthError like every grant check. */
    private static void ensureIngressAdmin(TokenClaims claims) {
        if (claims == null || !claims.grant("ingressAdmin")) {
            throw LiveKitStub.permissionsDenied();
        }
    }

    private static LiveKitStub.TwirpError ingressNotFound() {
        return new LiveKitStub.TwirpError(404, "not_found", "ingress does not exist");
    }

    private static LiveKitStub.TwirpError invalidIngress(String reason) {
        return invalidArgument("invalid ingress: " + reason);
    }

    private static LiveKitStub.TwirpError invalidTranscoding(String reason) {
        return invalidArgument("invalid transcoding bypass configuration: " + reason);
    }

    private static LiveKitStub.TwirpError invalidArgument(String message) {
        return new LiveKitStub.TwirpError(400, "invalid_argument", message);
    }
}
