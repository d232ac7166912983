package io.livestage.recording.livekit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.livekit.server.EgressServiceClient;
import io.livekit.server.EncodedOutputs;
import livekit.LivekitEgress;
import livekit.LivekitEgress.DirectFileOutput;
import retrofit2.Call;

import io.livestage.events.livekit.EgressInfo;
import io.livestage.platform.livekit.Answer;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.platform.livekit.LiveKitCalls;
import io.livestage.recording.livekit.EgressRequests.Request;

/**
 * recording-service's calls to LiveKit's Egress service: the SDK client and the retry guard of platform-livekit
 * ({@link LiveKitCalls}), LiveKit's answers read as {@link EgressInfo} (its JSON, like webhooks). Calls block: worker
 * threads only. Outcomes that are not failures (an unknown room or egress, an egress that can no longer be stopped) come
 * back as {@link Answer}s.
 */
@ApplicationScoped
public class LiveKitEgressClient {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final EgressServiceClient client;
    private final LiveKitCalls calls;
    private final ObjectMapper json;

    public LiveKitEgressClient(EgressServiceClient client, LiveKitCalls calls, ObjectMapper json) {
        this.client = client;
        this.calls = calls;
        this.json = json;
    }

    /** StartRoomCompositeEgress in room {@code room}; {@link Answer#notFound()} when the room does not exist (yet). */
    public Answer<EgressInfo> startRoomComposite(String room, Request request) throws LiveKitCallFailed {
        return call("StartRoomCompositeEgress", () -> client.startRoomCompositeEgress(room, request.file(), "",
                request.preset(), request.advanced(), request.audioOnly())).map(this::read);
    }

    /**
     * StartRoomCompositeEgress of a session's stream: HLS segments and a stream output (its URLs, possibly none yet:
     * allowed next to the segments, added later with {@link #updateStream}); {@link Answer#notFound()} when the room
     * does not exist (yet).
     */
    public Answer<EgressInfo> startStream(String room, StreamRequests.Request request) throws LiveKitCallFailed {
        return call("StartRoomCompositeEgress", () -> client.startRoomCompositeEgress(room,
                new EncodedOutputs(null, request.stream(), request.segments(), null), "", request.preset(),
                request.advanced(), request.audioOnly())).map(this::read);
    }

    /**
     * UpdateStream: adds and removes stream URLs of a running egress (a removal names the full original URL);
     * {@link Answer#preconditionFailed()} when the egress is no longer running, {@link Answer#notFound()} unknown.
     */
    public Answer<EgressInfo> updateStream(String egressId, List<String> add, List<String> remove)
            throws LiveKitCallFailed {
        return call("UpdateStream", () -> client.updateStream(egressId, add, remove)).map(this::read);
    }

    /**
     * StartTrackEgress of track {@code trackSid} in room {@code room} to a file; {@link Answer#notFound()} when the
     * room does not exist.
     */
    public Answer<EgressInfo> startTrack(String room, String trackSid, DirectFileOutput file) throws LiveKitCallFailed {
        return call("StartTrackEgress", () -> client.startTrackEgress(room, file, trackSid)).map(this::read);
    }

    /** StopEgress; {@link Answer#preconditionFailed()} when it has already ended, {@link Answer#notFound()} unknown. */
    public Answer<EgressInfo> stop(String egressId) throws LiveKitCallFailed {
        return call("StopEgress", () -> client.stopEgress(egressId)).map(this::read);
    }

    /** ListEgress of a room: every egress LiveKit still knows there; none when the room does not exist. */
    public List<EgressInfo> list(String room) throws LiveKitCallFailed {
        List<LivekitEgress.EgressInfo> infos = call("ListEgress", () -> client.listEgress(room)).value();
        return infos == null ? List.of() : infos.stream().map(this::read).toList();
    }

    /** ListEgress of one egress (by id, so it works after its room is gone); empty when LiveKit does not know it. */
    public Optional<EgressInfo> find(String egressId) throws LiveKitCallFailed {
        List<LivekitEgress.EgressInfo> infos = call("ListEgress", () -> client.listEgress(null, egressId)).value();
        return infos == null ? Optional.empty() : infos.stream().map(this::read)
                .filter(info -> egressId.equals(info.egressId())).findFirst();
    }

    private <T> Answer<T> call(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        return calls.call("Egress", method, request);
    }

    private EgressInfo read(LivekitEgress.EgressInfo info) {
        try {
            return EgressInfo.of(json.readValue(JsonFormat.printer().print(info), MAP));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("LiveKit's EgressInfo cannot be read", e);
        }
    }
}
