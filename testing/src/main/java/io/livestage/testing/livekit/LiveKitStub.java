package io.livestage.testing.livekit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import livekit.LivekitModels.Codec;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.DeleteRoomRequest;
import livekit.LivekitRoom.DeleteRoomResponse;
import livekit.LivekitRoom.ForwardParticipantRequest;
import livekit.LivekitRoom.ListParticipantsRequest;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsRequest;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitRoom.MoveParticipantRequest;
import livekit.LivekitRoom.MuteRoomTrackRequest;
import livekit.LivekitRoom.MuteRoomTrackResponse;
import livekit.LivekitRoom.PerformRpcRequest;
import livekit.LivekitRoom.RemoveParticipantResponse;
import livekit.LivekitRoom.RoomParticipantIdentity;
import livekit.LivekitRoom.SendDataRequest;
import livekit.LivekitRoom.SendDataResponse;
import livekit.LivekitRoom.UpdateParticipantRequest;
import livekit.LivekitRoom.UpdateRoomMetadataRequest;
import livekit.LivekitRoom.UpdateSubscriptionsRequest;
import livekit.LivekitRoom.UpdateSubscriptionsResponse;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * A contract stub of a LiveKit server's RoomService API, speaking the real wire protocol, for tests of code that
 * talks to LiveKit (normally through the official SDK's {@code RoomServiceClient}). No mocks: an HTTP server on a free
 * loopback port, with LiveKit's authentication, Twirp routing and encodings, and an in-memory room state.
 *
 * <pre>{@code
 * try (LiveKitStub livekit = LiveKitStub.start()) {
 *     RoomServiceClient client = RoomServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
 *     livekit.join("r1", "u42", LiveKitStub.microphoneTrack());
 *     client.removeParticipant("r1", "u42").execute();
 *     assertThat(livekit.participant("r1", "u42")).isEmpty();
 * }
 * }</pre>
 *
 * <h2>Wire behaviour (as LiveKit; see testing/README.md for the sources)</h2>
 * <ul>
 * <li>{@code POST /twirp/livekit.RoomService/<Method>} with {@code application/json} (snake_case or camelCase names,
 * unknown fields ignored) or {@code application/protobuf}; the answer uses the request's content type. JSON answers are
 * snake_case with defaults emitted ({@link LiveKitJson#twirp}).</li>
 * <li>Authentication (LiveKit's APIKeyAuthMiddleware): {@code Authorization: Bearer <jwt>} (or {@code ?access_token=}),
 * HS256 with the secret of the {@code iss} API key, {@code exp} required, one minute leeway. A bad header, token or key
 * is answered <b>401 with a plain-text body</b> (not a Twirp JSON error), e.g. {@code invalid authorization token: token
 * signature is invalid: signature is invalid}.</li>
 * <li>Missing grants (no token, no {@code video.roomCreate}/{@code roomList}, no {@code roomAdmin} or {@code video.room}
 * not the request's room) are answered by LiveKit's {@code twirpAuthError}: <b>401
 * {@code {"code":"unauthenticated","msg":"permissions denied"}}</b> — LiveKit never answers {@code permission_denied}
 * for RoomService grants.</li>
 * <li>Twirp errors are JSON {@code {"code","msg"[,"meta"]}} with Twirp's status mapping: {@code not_found} 404
 * ({@code requested room does not exist}, {@code participant does not exist}), {@code malformed} 400 ({@code the json
 * request could not be decoded}), {@code bad_route} 404 (unknown path, method or content type),
 * {@code invalid_argument} 400, {@code failed_precondition} 412 (remote unmute disabled), {@code unavailable} 503.</li>
 * </ul>
 * Every request is recorded ({@link #calls()}, {@link #awaitCall}); failures can be injected ({@link #failNext},
 * {@link #setUnavailable}); webhooks are sent like LiveKit's notifier ({@link #sendWebhook}). The Egress service
 * ({@code /twirp/livekit.Egress/<Method>}, same rules) records real audio files and HLS and keeps RTMP stream state:
 * {@link #egress()}; the Ingress service ({@code /twirp/livekit.Ingress/<Method>}, same rules) has test hooks for a
 * publishing encoder: {@link #ingress()}. Their lifecycle webhooks go to the URLs of {@link #notifier()}.
 */
public final class LiveKitStub implements AutoCloseable {

    /** LiveKit's development key pair ({@code livekit-server --dev}). */
    public static final String DEV_API_KEY = "devkey";
    public static final String DEV_API_SECRET = "secret";

    /** The RoomService methods the stub implements. */
    public static final List<String> IMPLEMENTED_METHODS = List.of("CreateRoom", "ListRooms", "DeleteRoom",
            "ListParticipants", "GetParticipant", "RemoveParticipant", "MutePublishedTrack", "UpdateParticipant",
            "UpdateSubscriptions", "SendData", "UpdateRoomMetadata");

    static final String JSON = "application/json";
    static final String PROTOBUF = "application/protobuf";
    static final String TEXT = "text/plain; charset=utf-8";
    private static final String SERVICE = "livekit.RoomService";
    private static final String PREFIX = "/twirp";
    private static final Pattern TWIRP_PATH = Pattern.compile("^(.*)/([^/]+)/([^/]+)$");
    private static final int LISTED_CALLS = 50;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** LiveKit's default room settings (livekit pkg/config/config.go). */
    private static final int DEFAULT_EMPTY_TIMEOUT = 5 * 60;
    private static final int DEFAULT_DEPARTURE_TIMEOUT = 20;
    private static final List<String> DEFAULT_CODECS = List.of("audio/PCMU", "audio/PCMA", "audio/opus", "audio/red",
            "video/VP8", "video/H264", "video/VP9", "video/AV1", "video/H265", "video/rtx");
    /** Twirp's error code for each HTTP status it uses (twirp ServerHTTPStatusFromErrorCode, inverted). */
    private static final Map<Integer, String> TWIRP_CODES = Map.ofEntries(Map.entry(400, "invalid_argument"),
            Map.entry(401, "unauthenticated"), Map.entry(403, "permission_denied"), Map.entry(404, "not_found"),
            Map.entry(408, "deadline_exceeded"), Map.entry(409, "already_exists"),
            Map.entry(412, "failed_precondition"), Map.entry(429, "resource_exhausted"), Map.entry(500, "internal"),
            Map.entry(501, "unimplemented"), Map.entry(503, "unavailable"));

    private final String apiKey;
    private final String apiSecret;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient webhookClient;
    private final Map<String, Method> methods = new HashMap<>();
    private final Map<String, Method> egressMethods = new HashMap<>();
    private final Map<String, Method> ingressMethods = new HashMap<>();
    private final WebhookNotifier notifier;
    private final LiveKitEgress egress;
    private final LiveKitIngress ingress;

    /** Guards rooms, calls and failures; waited on by awaitCall. */
    private final Object lock = new Object();
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    private final List<RecordedCall> calls = new ArrayList<>();
    private final Map<String, ArrayDeque<Integer>> failures = new HashMap<>();
    private volatile boolean unavailable;
    private volatile boolean remoteUnmuteEnabled;

    private LiveKitStub(String apiKey, String apiSecret) throws IOException {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.apiSecret = Objects.requireNonNull(apiSecret, "apiSecret");
        if (apiKey.isEmpty() || apiSecret.isEmpty()) {
            throw new IllegalArgumentException("API key and secret must not be empty");
        }
        registerMethods();
        String name = "livekit-stub-" + INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.notifier = new WebhookNotifier(this, name);
        this.egress = new LiveKitEgress(this, notifier, name);
        egress.rpcs().forEach((method, rpc) -> egressMethods.put(method, new Method(rpc.prototype(),
                rpc.handler() == null ? null : in -> rpc.handler().apply(in.request, in.claims))));
        this.ingress = new LiveKitIngress(this, notifier, lock);
        ingress.rpcs().forEach((method, rpc) -> ingressMethods.put(method, new Method(rpc.prototype(),
                in -> rpc.handler().apply(in.request, in.claims))));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/", this::exchange);
        this.server.setExecutor(executor);
        this.server.start();
        this.webhookClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    /** Starts a stub with LiveKit's dev key pair {@code devkey} / {@code secret}. */
    public static LiveKitStub start() {
        return start(DEV_API_KEY, DEV_API_SECRET);
    }

    /** Starts a stub that accepts tokens signed with {@code apiSecret} and issued by {@code apiKey}. */
    public static LiveKitStub start(String apiKey, String apiSecret) {
        try {
            return new LiveKitStub(apiKey, apiSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the LiveKit stub", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: the host to give an SDK client (LIVEKIT_URL). */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    public String apiSecret() {
        return apiSecret;
    }

    /** The Egress service and its simulated recorder ({@link LiveKitEgress}). */
    public LiveKitEgress egress() {
        return egress;
    }

    /** The Ingress service and the simulated encoders publishing to it ({@link LiveKitIngress}). */
    public LiveKitIngress ingress() {
        return ingress;
    }

    /** The webhooks the stub sends by itself, and where to ({@link WebhookNotifier#addUrl}). */
    public WebhookNotifier notifier() {
        return notifier;
    }

    @Override
    public void close() {
        server.stop(0);
        egress.close();
        notifier.close();
        webhookClient.shutdownNow();
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Test controls

    /**
     * Forgets rooms, participants, recorded calls, injected failures, egresses, ingresses and emitted webhooks
     * (and resumes a paused notifier); availability and remote unmute reset (egress mounts, ingress base URLs and
     * webhook URLs stay).
     */
    public void reset() {
        synchronized (lock) {
            rooms.clear();
            calls.clear();
            failures.clear();
        }
        unavailable = false;
        remoteUnmuteEnabled = false;
        egress.reset();
        ingress.reset();
        notifier.reset();
    }

    /**
     * The next {@code times} requests for {@code method} (a RoomService method name, or {@code "*"} for any) are
     * answered with {@code httpStatus} before authentication, and change nothing. Statuses Twirp uses get a Twirp JSON
     * error (503 {@code unavailable}, 500 {@code internal}, 429 {@code resource_exhausted}, ...); others, like 502 or 504,
     * a plain-text body as a proxy in front of LiveKit would send. Calls add up.
     */
    public void failNext(String method, int times, int httpStatus) {
        if (times < 0 || httpStatus < 100 || httpStatus > 599) {
            throw new IllegalArgumentException("times must be >= 0 and httpStatus an HTTP status");
        }
        synchronized (lock) {
            ArrayDeque<Integer> queue = failures.computeIfAbsent(method, m -> new ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(httpStatus);
            }
        }
    }

    /**
     * While true, every request is answered 503 {@code {"code":"unavailable","msg":"no response from servers"}} (what
     * LiveKit answers when no node can serve the request) and changes nothing.
     */
    public void setUnavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /**
     * LiveKit refuses {@code MutePublishedTrack(muted=false)} with {@code failed_precondition} "remote unmute not
     * enabled" unless the server runs with {@code room.enable_remote_unmute: true}; so does the stub by default.
     */
    public void setRemoteUnmuteEnabled(boolean enabled) {
        this.remoteUnmuteEnabled = enabled;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Recorded calls

    /** Every request received so far, oldest first. */
    public List<RecordedCall> calls() {
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /**
     * The requests received after the first {@code from}, oldest first: what a poller that has seen {@code from} calls
     * has not (it copies only those, not the whole record as {@link #calls()} does).
     */
    public List<RecordedCall> callsSince(int from) {
        synchronized (lock) {
            return List.copyOf(calls.subList(Math.min(Math.max(0, from), calls.size()), calls.size()));
        }
    }

    /** The requests received so far for one RoomService method, oldest first. */
    public List<RecordedCall> calls(String method) {
        synchronized (lock) {
            return calls.stream().filter(call -> call.method().equals(method)).toList();
        }
    }

    /** Waits for a request for {@code method} (or {@code "*"}) matching the predicate, including ones received before. */
    public RecordedCall awaitCall(String method, Predicate<RecordedCall> predicate, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (RecordedCall call : calls) {
                    if (matches(method, call.method()) && predicate.test(call)) {
                        return call;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(describeCalls("No LiveKit " + method + " call matching the predicate within "
                            + timeout + "."));
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for a LiveKit " + method + " call", e);
                }
            }
        }
    }

    /** Waits for any request for {@code method}. */
    public RecordedCall awaitCall(String method, Duration timeout) {
        return awaitCall(method, call -> true, timeout);
    }

    private String describeCalls(String headline) {
        StringBuilder message = new StringBuilder(headline).append(" The stub received ").append(calls.size())
                .append(" call(s)").append(calls.isEmpty() ? "." : ":");
        int from = Math.max(0, calls.size() - LISTED_CALLS);
        if (from > 0) {
            message.append("\n  ... ").append(from).append(" older call(s)");
        }
        for (RecordedCall call : calls.subList(from, calls.size())) {
            message.append("\n  - ").append(call);
        }
        return message.toString();
    }

    private static boolean matches(String wanted, String method) {
        return wanted == null || "*".equals(wanted) || wanted.equals(method);
    }

    // ------------------------------------------------------------------------------------------------------------
    // State helpers: what clients would do through the signalling connection

    /** A microphone track as a client publishes it (no sid: {@link #join} assigns one). */
    public static TrackInfo microphoneTrack() {
        return TrackInfo.newBuilder().setType(TrackType.AUDIO).setSource(TrackSource.MICROPHONE).setName("microphone")
                .setMimeType("audio/opus").build();
    }

    /** A 720p camera track. */
    public static TrackInfo cameraTrack() {
        return TrackInfo.newBuilder().setType(TrackType.VIDEO).setSource(TrackSource.CAMERA).setName("camera")
                .setMimeType("video/VP8").setWidth(1280).setHeight(720).setSimulcast(true).build();
    }

    /** A 1080p screen-share track. */
    public static TrackInfo screenShareTrack() {
        return TrackInfo.newBuilder().setType(TrackType.VIDEO).setSource(TrackSource.SCREEN_SHARE).setName("screen")
                .setMimeType("video/VP8").setWidth(1920).setHeight(1080).build();
    }

    /** Creates the room as LiveKit's auto-create would (defaults), or returns the existing one unchanged. */
    public Room createRoom(String name) {
        synchronized (lock) {
            return snapshot(roomOrCreate(name));
        }
    }

    /**
     * Simulates a client joining {@code room} (created if absent, like LiveKit's auto-create) as {@code identity} with
     * the token defaults (can publish, subscribe and publish data) and the given published tracks (sids assigned when
     * empty). A participant with the same identity is replaced, as LiveKit does on a duplicate identity.
     */
    public ParticipantInfo join(String room, String identity, TrackInfo... tracks) {
        ParticipantInfo.Builder participant = ParticipantInfo.newBuilder().setIdentity(identity);
        for (TrackInfo track : tracks) {
            participant.addTracks(track);
        }
        return join(room, participant.build());
    }

    /**
     * Like {@link #join(String, String, TrackInfo...)} with full control: name, metadata, attributes, kind, permission
     * (default: the token defaults) and tracks are taken from {@code participant}; sid, state (ACTIVE) and join times
     * are filled in when unset.
     */
    public ParticipantInfo join(String room, ParticipantInfo participant) {
        if (participant.getIdentity().isEmpty()) {
            throw new IllegalArgumentException("a participant needs an identity");
        }
        synchronized (lock) {
            RoomState state = roomOrCreate(room);
            int max = state.room.getMaxParticipants();
            if (max > 0 && state.participants.size() >= max
                    && !state.participants.containsKey(participant.getIdentity())) {
                throw new IllegalStateException("room " + room + " is full (max_participants " + max + ")");
            }
            long now = System.currentTimeMillis();
            ParticipantInfo.Builder builder = participant.toBuilder();
            if (builder.getSid().isEmpty()) {
                builder.setSid(Ids.next(Ids.PARTICIPANT));
            }
            builder.setState(ParticipantInfo.State.ACTIVE);
            if (builder.getJoinedAt() == 0) {
                builder.setJoinedAt(now / 1000).setJoinedAtMs(now);
            }
            if (!builder.hasPermission()) {
                builder.setPermission(ParticipantPermission.newBuilder()
                        .setCanSubscribe(true).setCanPublish(true).setCanPublishData(true));
            }
            for (int i = 0; i < builder.getTracksCount(); i++) {
                if (builder.getTracks(i).getSid().isEmpty()) {
                    builder.setTracks(i, builder.getTracks(i).toBuilder().setSid(Ids.next(Ids.TRACK)));
                }
            }
            builder.setIsPublisher(builder.getTracksCount() > 0);
            state.participants.remove(builder.getIdentity());
            state.participants.put(builder.getIdentity(), builder);
            return builder.build();
        }
    }

    /** Simulates the participant publishing a track; returns it with its sid. */
    public TrackInfo publishTrack(String room, String identity, TrackInfo track) {
        synchronized (lock) {
            ParticipantInfo.Builder participant = requireParticipant(room, identity);
            TrackInfo published = track.getSid().isEmpty() ? track.toBuilder().setSid(Ids.next(Ids.TRACK)).build()
                    : track;
            participant.addTracks(published).setIsPublisher(true).setVersion(participant.getVersion() + 1);
            return published;
        }
    }

    /** Simulates the participant disconnecting; returns its last state as DISCONNECTED (e.g. for participant_left). */
    public ParticipantInfo leave(String room, String identity) {
        synchronized (lock) {
            ParticipantInfo.Builder participant = requireParticipant(room, identity);
            rooms.get(room).participants.remove(identity);
            return participant.setState(ParticipantInfo.State.DISCONNECTED).build();
        }
    }

    public Optional<Room> room(String name) {
        synchronized (lock) {
            RoomState state = rooms.get(name);
            return state == null ? Optional.empty() : Optional.of(snapshot(state));
        }
    }

    public List<Room> rooms() {
        synchronized (lock) {
            return rooms.values().stream().map(LiveKitStub::snapshot).toList();
        }
    }

    public Optional<ParticipantInfo> participant(String room, String identity) {
        synchronized (lock) {
            RoomState state = rooms.get(room);
            ParticipantInfo.Builder participant = state == null ? null : state.participants.get(identity);
            return participant == null ? Optional.empty() : Optional.of(participant.build());
        }
    }

    /** The participants of the room (empty when the room does not exist). */
    public List<ParticipantInfo> participants(String room) {
        synchronized (lock) {
            RoomState state = rooms.get(room);
            return state == null ? List.of()
                    : state.participants.values().stream().map(ParticipantInfo.Builder::build).toList();
        }
    }

    private ParticipantInfo.Builder requireParticipant(String room, String identity) {
        RoomState state = rooms.get(room);
        ParticipantInfo.Builder participant = state == null ? null : state.participants.get(identity);
        if (participant == null) {
            throw new IllegalArgumentException("no participant " + identity + " in room " + room);
        }
        return participant;
    }

    private RoomState roomOrCreate(String name) {
        return rooms.computeIfAbsent(name, n -> {
            long now = System.currentTimeMillis();
            Room.Builder room = Room.newBuilder()
                    .setSid(Ids.next(Ids.ROOM))
                    .setName(n)
                    .setEmptyTimeout(DEFAULT_EMPTY_TIMEOUT)
                    .setDepartureTimeout(DEFAULT_DEPARTURE_TIMEOUT)
                    .setCreationTime(now / 1000)
                    .setCreationTimeMs(now)
                    .setTurnPassword(Ids.random(43));
            for (String mime : DEFAULT_CODECS) {
                room.addEnabledCodecs(Codec.newBuilder().setMime(mime));
            }
            return new RoomState(room);
        });
    }

    private static Room snapshot(RoomState state) {
        int publishers = (int) state.participants.values().stream().filter(ParticipantInfo.Builder::getIsPublisher)
                .count();
        return state.room.clone().setNumParticipants(state.participants.size()).setNumPublishers(publishers).build();
    }

    private static final class RoomState {
        final Room.Builder room;
        final Map<String, ParticipantInfo.Builder> participants = new LinkedHashMap<>();

        RoomState(Room.Builder room) {
            this.room = room;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Webhooks

    /**
     * POSTs the event to {@code targetUrl} exactly like LiveKit's webhook notifier (protocol
     * webhook/resource_url_notifier.go): body {@link LiveKitJson#webhook}, {@code Content-Type:
     * application/webhook+json}, {@code User-Agent: LiveKit}, {@code Authorization: <jwt>} without "Bearer" (see
     * {@link #signedWebhook}). One attempt, no retries.
     *
     * @return the HTTP status the receiver answered
     */
    public int sendWebhook(String targetUrl, WebhookEvent event) {
        String body = LiveKitJson.webhook(event);
        return postWebhook(targetUrl, body, signedWebhook(body));
    }

    /** POSTs an arbitrary body with an arbitrary Authorization header like the notifier (for tampering tests). */
    public int postWebhook(String targetUrl, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(targetUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/webhook+json")
                .header("User-Agent", "LiveKit")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return webhookClient.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("webhook POST to " + targetUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting a webhook to " + targetUrl, e);
        }
    }

    /**
     * The {@code Authorization} header value LiveKit sends with {@code body}: an HS256 JWT (no "Bearer") with
     * {@code iss} = API key, {@code exp} = now + 5 min, {@code nbf} = {@code iat} = now and {@code sha256} =
     * base64(SHA-256(UTF-8 bytes of body)).
     */
    public String signedWebhook(String body) {
        return signedWebhook(body, Duration.ofMinutes(5));
    }

    /** {@link #signedWebhook(String)} with another validity (negative for an already expired token). */
    public String signedWebhook(String body, Duration validFor) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = LiveKitJson.MAPPER.createObjectNode()
                .put("iss", apiKey)
                .put("exp", now + validFor.toSeconds())
                .put("nbf", now)
                .put("iat", now)
                .put("sha256", sha256(body));
        return Hs256Jwt.sign(claims, apiSecret);
    }

    /** base64(SHA-256(UTF-8 bytes)), the {@code sha256} claim of a webhook token. */
    public static String sha256(String body) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // HTTP

    private record Reply(int status, String contentType, byte[] body, String errorCode, Message response) {
    }

    /** A Twirp error answer (always JSON, whatever the request's content type). */
    static final class TwirpError extends RuntimeException {
        final int status;
        final String code;
        final Map<String, String> meta;

        TwirpError(int status, String code, String msg) {
            this(status, code, msg, Map.of());
        }

        TwirpError(int status, String code, String msg, Map<String, String> meta) {
            super(msg, null, false, false);
            this.status = status;
            this.code = code;
            this.meta = meta;
        }

        Reply reply() {
            ObjectNode body = LiveKitJson.MAPPER.createObjectNode().put("code", code).put("msg", getMessage());
            if (!meta.isEmpty()) {
                ObjectNode metaNode = body.putObject("meta");
                meta.forEach(metaNode::put);
            }
            return new Reply(status, JSON, body.toString().getBytes(StandardCharsets.UTF_8), code, null);
        }
    }

    private static TwirpError badRoute(String msg, String httpMethod, String path) {
        return new TwirpError(404, "bad_route", msg, Map.of("twirp_invalid_route", httpMethod + " " + path));
    }

    static TwirpError permissionsDenied() {
        return new TwirpError(401, "unauthenticated", "permissions denied");
    }

    static TwirpError roomNotFound() {
        return new TwirpError(404, "not_found", "requested room does not exist");
    }

    private static TwirpError participantNotFound() {
        return new TwirpError(404, "not_found", "participant does not exist");
    }

    private static Reply plain(int status, String text, String errorCode) {
        return new Reply(status, TEXT, text.getBytes(StandardCharsets.UTF_8), errorCode, null);
    }

    /** One request being processed. */
    private final class Incoming {
        final HttpExchange exchange;
        final String httpMethod;
        final String path;
        final String contentType;
        final byte[] body;
        final long receivedNanos;
        final Instant receivedAt;
        String method;
        Method spec;
        boolean json;
        Message request;
        String decodeError;
        TokenClaims claims;

        Incoming(HttpExchange exchange, byte[] body, long receivedNanos, Instant receivedAt) {
            this.exchange = exchange;
            this.httpMethod = exchange.getRequestMethod();
            this.path = exchange.getRequestURI().getPath();
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            this.contentType = type == null ? "" : type;
            this.body = body;
            this.receivedNanos = receivedNanos;
            this.receivedAt = receivedAt;
        }
    }

    private void exchange(HttpExchange exchange) throws IOException {
        long nanos = System.nanoTime();
        Instant at = Instant.now();
        try (exchange) {
            Incoming in = new Incoming(exchange, exchange.getRequestBody().readAllBytes(), nanos, at);
            Reply reply;
            try {
                reply = process(in);
            } catch (TwirpError e) {
                reply = e.reply();
            } catch (RuntimeException e) {
                reply = new TwirpError(500, "internal", "livekit stub failure: " + e).reply();
            }
            record(in, reply);
            boolean withBody = reply.body().length > 0 && !"HEAD".equals(in.httpMethod);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), withBody ? reply.body().length : -1);
            if (withBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private void record(Incoming in, Reply reply) {
        JsonNode json = in.request == null ? null : LiveKitJson.twirpTree(in.request);
        RecordedCall call = new RecordedCall(in.method == null ? in.path : in.method, in.contentType, in.request, json,
                in.claims, in.receivedNanos, in.receivedAt, reply.status(), reply.errorCode(), reply.response());
        synchronized (lock) {
            calls.add(call);
            lock.notifyAll();
        }
    }

    private Reply process(Incoming in) {
        route(in);
        decode(in);
        // Verified first only so that refused calls are recorded with their claims; the order of the answers is
        // unchanged: an unavailable server or an injected failure answers before authentication would.
        Reply authFailure = authenticate(in);
        if (unavailable) {
            throw new TwirpError(503, "unavailable", "no response from servers");
        }
        Integer injected = nextFailure(in.method);
        if (injected != null) {
            String code = TWIRP_CODES.get(injected);
            if (code == null) {
                return plain(injected, injected + " injected by the LiveKit stub", "http_" + injected);
            }
            throw new TwirpError(injected, code, "injected failure (LiveKit stub failNext)");
        }
        if (authFailure != null) {
            return authFailure;
        }
        // Twirp's routing and decoding (livekit_room.twirp.go ServeHTTP / serve<Method>)
        if (!"POST".equals(in.httpMethod)) {
            throw badRoute("unsupported method \"" + in.httpMethod + "\" (only POST is allowed)", in.httpMethod, in.path);
        }
        if (in.spec == null) {
            Matcher matcher = TWIRP_PATH.matcher(in.path);
            if (matcher.matches() && service(matcher.group(2)) != null && !PREFIX.equals(matcher.group(1))) {
                throw badRoute("invalid path prefix \"" + matcher.group(1) + "\", expected \"" + PREFIX + "\", on path \""
                        + in.path + "\"", in.httpMethod, in.path);
            }
            throw badRoute("no handler for path \"" + in.path + "\"", in.httpMethod, in.path);
        }
        String mediaType = mediaType(in.contentType);
        if (!JSON.equals(mediaType) && !PROTOBUF.equals(mediaType)) {
            throw badRoute("unexpected Content-Type: \"" + in.contentType + "\"", in.httpMethod, in.path);
        }
        if (in.decodeError != null) {
            throw new TwirpError(400, "malformed", in.decodeError);
        }
        if (in.spec.handler == null) {
            throw new TwirpError(501, "unimplemented", "the LiveKit stub does not implement " + in.method);
        }
        Message response;
        synchronized (lock) {
            response = in.spec.handler.apply(in);
        }
        byte[] body = in.json ? LiveKitJson.twirp(response).getBytes(StandardCharsets.UTF_8) : response.toByteArray();
        return new Reply(200, in.json ? JSON : PROTOBUF, body, null, response);
    }

    /** Finds the RoomService, Egress or Ingress method of the path (kept for recording even when refused later). */
    private void route(Incoming in) {
        Matcher matcher = TWIRP_PATH.matcher(in.path);
        Map<String, Method> service = matcher.matches() ? service(matcher.group(2)) : null;
        if (service != null) {
            in.method = matcher.group(3);
            if (PREFIX.equals(matcher.group(1))) {
                in.spec = service.get(in.method);
            }
        }
    }

    private Map<String, Method> service(String name) {
        return switch (name) {
            case SERVICE -> methods;
            case LiveKitEgress.SERVICE -> egressMethods;
            case LiveKitIngress.SERVICE -> ingressMethods;
            default -> null;
        };
    }

    private void decode(Incoming in) {
        String mediaType = mediaType(in.contentType);
        in.json = !PROTOBUF.equals(mediaType);
        if (in.spec == null || !(JSON.equals(mediaType) || PROTOBUF.equals(mediaType))) {
            return;
        }
        try {
            if (in.json) {
                String text = new String(in.body, StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    throw new InvalidProtocolBufferException("empty body");
                }
                in.request = LiveKitJson.parse(text, in.spec.prototype.newBuilderForType()).build();
            } else {
                in.request = in.spec.prototype.getParserForType().parseFrom(in.body);
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            in.decodeError = in.json ? "the json request could not be decoded"
                    : "the protobuf request could not be decoded";
        }
    }

    private Integer nextFailure(String method) {
        synchronized (lock) {
            for (String key : new String[] { method, "*" }) {
                ArrayDeque<Integer> queue = key == null ? null : failures.get(key);
                if (queue != null && !queue.isEmpty()) {
                    return queue.poll();
                }
            }
            return null;
        }
    }

    /** LiveKit's APIKeyAuthMiddleware (livekit pkg/service/auth.go): a refusal is a plain-text 401. */
    private Reply authenticate(Incoming in) {
        String header = in.exchange.getRequestHeaders().getFirst("Authorization");
        String token;
        if (header != null && !header.isEmpty()) {
            if (!header.startsWith("Bearer ")) {
                return plain(401, "invalid authorization header. Must start with Bearer ", "unauthenticated");
            }
            token = header.substring("Bearer ".length());
        } else {
            token = queryParameter(in.exchange.getRequestURI().getRawQuery(), "access_token");
        }
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            in.claims = Hs256Jwt.verify(token, key -> apiKey.equals(key) ? apiSecret : null, Instant.now());
            return null;
        } catch (Hs256Jwt.InvalidToken e) {
            String text = switch (e.kind) {
                case MALFORMED -> "invalid authorization token";
                case UNKNOWN_KEY -> "invalid API key";
                case INVALID -> "invalid authorization token: " + e.getMessage();
            };
            return plain(401, text, "unauthenticated");
        }
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------------------------------------------------
    // RoomService (livekit pkg/service/roomservice.go, roommanager.go, roomallocator.go; OSS single-node behaviour)

    private record Method(Message prototype, Function<Incoming, Message> handler) {
    }

    private void registerMethods() {
        methods.put("CreateRoom", new Method(CreateRoomRequest.getDefaultInstance(), this::createRoom));
        methods.put("ListRooms", new Method(ListRoomsRequest.getDefaultInstance(), this::listRooms));
        methods.put("DeleteRoom", new Method(DeleteRoomRequest.getDefaultInstance(), this::deleteRoom));
        methods.put("ListParticipants",
                new Method(ListParticipantsRequest.getDefaultInstance(), this::listParticipants));
        methods.put("GetParticipant", new Method(RoomParticipantIdentity.getDefaultInstance(), this::getParticipant));
        methods.put("RemoveParticipant",
                new Method(RoomParticipantIdentity.getDefaultInstance(), this::removeParticipant));
        methods.put("MutePublishedTrack",
                new Method(MuteRoomTrackRequest.getDefaultInstance(), this::mutePublishedTrack));
        methods.put("UpdateParticipant",
                new Method(UpdateParticipantRequest.getDefaultInstance(), this::updateParticipant));
        methods.put("UpdateSubscriptions",
                new Method(UpdateSubscriptionsRequest.getDefaultInstance(), this::updateSubscriptions));
        methods.put("SendData", new Method(SendDataRequest.getDefaultInstance(), this::sendData));
        methods.put("UpdateRoomMetadata",
                new Method(UpdateRoomMetadataRequest.getDefaultInstance(), this::updateRoomMetadata));
        methods.put("ForwardParticipant", new Method(ForwardParticipantRequest.getDefaultInstance(), null));
        methods.put("MoveParticipant", new Method(MoveParticipantRequest.getDefaultInstance(), null));
        methods.put("PerformRpc", new Method(PerformRpcRequest.getDefaultInstance(), null));
    }

    private static void ensureCreatePermission(TokenClaims claims) {
        if (claims == null || !claims.grant("roomCreate")) {
            throw permissionsDenied();
        }
    }

    private static void ensureListPermission(TokenClaims claims) {
        if (claims == null || !claims.grant("roomList")) {
            throw permissionsDenied();
        }
    }

    private static void ensureAdminPermission(TokenClaims claims, String room) {
        if (claims == null || !claims.grant("roomAdmin") || !room.equals(claims.room())) {
            throw permissionsDenied();
        }
    }

    private Message createRoom(Incoming in) {
        CreateRoomRequest request = (CreateRoomRequest) in.request;
        ensureCreatePermission(in.claims);
        RoomState state = roomOrCreate(request.getName());
        Room.Builder room = state.room;
        if (request.getEmptyTimeout() > 0) {
            room.setEmptyTimeout(request.getEmptyTimeout());
        }
        if (request.getDepartureTimeout() > 0) {
            room.setDepartureTimeout(request.getDepartureTimeout());
        }
        if (request.getMaxParticipants() > 0) {
            room.setMaxParticipants(request.getMaxParticipants());
        }
        if (!request.getMetadata().isEmpty()) {
            room.setMetadata(request.getMetadata());
        }
        return snapshot(state);
    }

    private Message listRooms(Incoming in) {
        ListRoomsRequest request = (ListRoomsRequest) in.request;
        ensureListPermission(in.claims);
        ListRoomsResponse.Builder response = ListRoomsResponse.newBuilder();
        for (RoomState state : rooms.values()) {
            if (request.getNamesCount() == 0 || request.getNamesList().contains(state.room.getName())) {
                response.addRooms(snapshot(state));
            }
        }
        return response.build();
    }

    private Message deleteRoom(Incoming in) {
        DeleteRoomRequest request = (DeleteRoomRequest) in.request;
        ensureCreatePermission(in.claims);
        if (rooms.remove(request.getRoom()) == null) {
            throw roomNotFound();
        }
        egress.roomClosed(request.getRoom());
        return DeleteRoomResponse.getDefaultInstance();
    }

    private Message listParticipants(Incoming in) {
        ListParticipantsRequest request = (ListParticipantsRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        // OSS LocalStore: an unknown room lists no participants rather than failing.
        ListParticipantsResponse.Builder response = ListParticipantsResponse.newBuilder();
        RoomState state = rooms.get(request.getRoom());
        if (state != null) {
            state.participants.values().forEach(participant -> response.addParticipants(participant.build()));
        }
        return response.build();
    }

    private Message getParticipant(Incoming in) {
        RoomParticipantIdentity request = (RoomParticipantIdentity) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        return participantOrNotFound(request.getRoom(), request.getIdentity()).build();
    }

    private Message removeParticipant(Incoming in) {
        RoomParticipantIdentity request = (RoomParticipantIdentity) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        participantOrNotFound(request.getRoom(), request.getIdentity());
        rooms.get(request.getRoom()).participants.remove(request.getIdentity());
        return RemoveParticipantResponse.getDefaultInstance();
    }

    private Message mutePublishedTrack(Incoming in) {
        MuteRoomTrackRequest request = (MuteRoomTrackRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        ParticipantInfo.Builder participant = roomAndParticipant(request.getRoom(), request.getIdentity());
        if (!request.getMuted() && !remoteUnmuteEnabled) {
            throw new TwirpError(412, "failed_precondition", "remote unmute not enabled");
        }
        MuteRoomTrackResponse.Builder response = MuteRoomTrackResponse.newBuilder();
        for (int i = 0; i < participant.getTracksCount(); i++) {
            TrackInfo track = participant.getTracks(i);
            if (track.getSid().equals(request.getTrackSid())) {
                if (track.getMuted() != request.getMuted()) {
                    track = track.toBuilder().setMuted(request.getMuted()).build();
                    participant.setTracks(i, track).setVersion(participant.getVersion() + 1);
                }
                response.setTrack(track);
            }
        }
        // LiveKit answers an unknown track sid with an empty response (no track), not an error.
        return response.build();
    }

    private Message updateParticipant(Incoming in) {
        UpdateParticipantRequest request = (UpdateParticipantRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        ParticipantInfo.Builder participant = participantOrNotFound(request.getRoom(), request.getIdentity());
        if (!request.getName().isEmpty()) {
            participant.setName(request.getName());
        }
        if (!request.getMetadata().isEmpty()) {
            participant.setMetadata(request.getMetadata());
        }
        request.getAttributesMap().forEach((key, value) -> {
            if (value.isEmpty()) {
                participant.removeAttributes(key);
            } else {
                participant.putAttributes(key, value);
            }
        });
        if (request.hasPermission()) {
            ParticipantPermission permission = request.getPermission();
            participant.setPermission(permission);
            // A revoked publish permission unpublishes the offending tracks (rtc ParticipantImpl.SetPermission).
            List<TrackInfo> kept = new ArrayList<>();
            for (TrackInfo track : participant.getTracksList()) {
                if (canPublishSource(permission, track.getSource())) {
                    kept.add(track);
                }
            }
            participant.clearTracks().addAllTracks(kept).setIsPublisher(!kept.isEmpty());
        }
        participant.setVersion(participant.getVersion() + 1);
        return participant.build();
    }

    private static boolean canPublishSource(ParticipantPermission permission, TrackSource source) {
        if (!permission.getCanPublish()) {
            return false;
        }
        return permission.getCanPublishSourcesCount() == 0 || permission.getCanPublishSourcesList().contains(source);
    }

    private Message updateSubscriptions(Incoming in) {
        UpdateSubscriptionsRequest request = (UpdateSubscriptionsRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        roomAndParticipant(request.getRoom(), request.getIdentity());
        return UpdateSubscriptionsResponse.getDefaultInstance();
    }

    private Message sendData(Incoming in) {
        SendDataRequest request = (SendDataRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        int nonce = request.getNonce().size();
        if (nonce != 0 && nonce != 16) {
            throw new TwirpError(400, "invalid_argument",
                    "nonce should be 16-bytes or not present, got: " + nonce + " bytes");
        }
        if (!rooms.containsKey(request.getRoom())) {
            throw roomNotFound();
        }
        return SendDataResponse.getDefaultInstance();
    }

    private Message updateRoomMetadata(Incoming in) {
        UpdateRoomMetadataRequest request = (UpdateRoomMetadataRequest) in.request;
        ensureAdminPermission(in.claims, request.getRoom());
        RoomState state = rooms.get(request.getRoom());
        if (state == null) {
            throw roomNotFound();
        }
        state.room.setMetadata(request.getMetadata());
        return snapshot(state);
    }

    /** The OSS service's HasParticipant check: an unknown room is an unknown participant. */
    private ParticipantInfo.Builder participantOrNotFound(String room, String identity) {
        RoomState state = rooms.get(room);
        ParticipantInfo.Builder participant = state == null ? null : state.participants.get(identity);
        if (participant == null) {
            throw participantNotFound();
        }
        return participant;
    }

    /** RoomManager.roomAndParticipantForReq. */
    private ParticipantInfo.Builder roomAndParticipant(String room, String identity) {
        RoomState state = rooms.get(room);
        if (state == null) {
            throw roomNotFound();
        }
        ParticipantInfo.Builder participant = state.participants.get(identity);
        if (participant == null) {
            throw participantNotFound();
        }
        return participant;
    }

    @Override
    public String toString() {
        return "LiveKitStub[" + url() + ", key " + apiKey + "]";
    }
}
