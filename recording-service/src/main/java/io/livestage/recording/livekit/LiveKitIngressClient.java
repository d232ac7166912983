package io.livestage.recording.livekit;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.livekit.server.IngressServiceClient;
import livekit.LivekitIngress;
import livekit.LivekitIngress.IngressAudioOptions;
import livekit.LivekitIngress.IngressInput;
import livekit.LivekitIngress.IngressVideoOptions;
import retrofit2.Call;

import io.livestage.events.livekit.IngressInfo;
import io.livestage.platform.livekit.Answer;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.platform.livekit.LiveKitCalls;

/**
 * recording-service's calls to LiveKit's Ingress service (the SDK client behind platform-livekit's retry guard). A
 * created ingress comes back with its stream key once, as {@link Created}; everything else is read as
 * {@link IngressInfo}, which has no key. Calls block: worker threads only.
 */
@ApplicationScoped
public class LiveKitIngressClient {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A new ingress: what OBS needs ({@code url} is OBS' "Server", {@code streamKey} its "Stream Key"). */
    public record Created(String ingressId, String url, String streamKey) {
        @Override
        public String toString() {
            return "Created[ingressId=" + ingressId + ", url=" + url + ", streamKey=(hidden)]";
        }
    }

    private final IngressServiceClient client;
    private final LiveKitCalls calls;
    private final ObjectMapper json;

    public LiveKitIngressClient(IngressServiceClient client, LiveKitCalls calls, ObjectMapper json) {
        this.client = client;
        this.calls = calls;
        this.json = json;
    }

    /** CreateIngress (RTMP) publishing into {@code room} as {@code identity}, transcoded to the options given. */
    public Created createRtmp(String name, String room, String identity, String participantName,
            IngressAudioOptions audio, IngressVideoOptions video) throws LiveKitCallFailed {
        LivekitIngress.IngressInfo info = call("CreateIngress", () -> client.createIngress(name, room, identity,
                participantName, IngressInput.RTMP_INPUT, audio, video, null, true)).value();
        return new Created(info.getIngressId(), info.getUrl(), info.getStreamKey());
    }

    /** DeleteIngress; {@link Answer#notFound()} when LiveKit no longer knows it (deleted already: done). */
    public Answer<Void> delete(String ingressId) throws LiveKitCallFailed {
        return call("DeleteIngress", () -> client.deleteIngress(ingressId)).map(info -> null);
    }

    /** ListIngress of a room. */
    public List<IngressInfo> list(String room) throws LiveKitCallFailed {
        List<LivekitIngress.IngressInfo> infos = call("ListIngress", () -> client.listIngress(room)).value();
        return infos == null ? List.of() : infos.stream().map(this::read).toList();
    }

    private <T> Answer<T> call(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        return calls.call("Ingress", method, request);
    }

    private IngressInfo read(LivekitIngress.IngressInfo info) {
        try {
            return IngressInfo.of(json.readValue(JsonFormat.printer().print(info.toBuilder().clearStreamKey()), MAP));
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalStateException("LiveKit's IngressInfo cannot be read", e);
        }
    }
}
