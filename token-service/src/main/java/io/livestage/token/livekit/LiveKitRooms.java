package io.livestage.token.livekit;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.livekit.server.RoomServiceClient;
import livekit.LivekitModels;
import retrofit2.Call;

import io.livestage.platform.livekit.Answer;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.platform.livekit.LiveKitCalls;

/**
 * token-service's calls to LiveKit's RoomService: the SDK client and the retry guard of platform-livekit
 * ({@link LiveKitCalls}). Calls block, so only worker threads use it. NOT_FOUND counts as done, because every
 * enforcement is idempotent (the room is already gone, the participant is not connected); a failed precondition is a
 * refusal.
 */
@ApplicationScoped
public class LiveKitRooms {
    private final RoomServiceClient client;
    private final LiveKitCalls calls;

    public LiveKitRooms(RoomServiceClient client, LiveKitCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    public void createRoom(String room, int emptyTimeout, int departureTimeout, int maxParticipants, String metadata)
            throws LiveKitCallFailed {
        call("CreateRoom", () -> client.createRoom(room, emptyTimeout, maxParticipants, null, metadata, null, null,
                null, departureTimeout));
    }

    public void deleteRoom(String room) throws LiveKitCallFailed {
        call("DeleteRoom", () -> client.deleteRoom(room));
    }

    public void updateParticipant(String room, String identity, String metadata,
            LivekitModels.ParticipantPermission permission) throws LiveKitCallFailed {
        call("UpdateParticipant", () -> client.updateParticipant(room, identity, null, metadata, permission));
    }

    public void removeParticipant(String room, String identity) throws LiveKitCallFailed {
        call("RemoveParticipant", () -> client.removeParticipant(room, identity));
    }

    /** The participant as LiveKit sees it, or null when not connected. */
    public LivekitModels.ParticipantInfo participant(String room, String identity) throws LiveKitCallFailed {
        return call("GetParticipant", () -> client.getParticipant(room, identity));
    }

    public void mutePublishedTrack(String room, String identity, String trackSid) throws LiveKitCallFailed {
        call("MutePublishedTrack", () -> client.mutePublishedTrack(room, identity, trackSid, true));
    }

    public List<LivekitModels.Room> rooms() throws LiveKitCallFailed {
        return call("ListRooms", () -> client.listRooms(null));
    }

    /** One RoomService call; null for NOT_FOUND. */
    private <T> T call(String method, Supplier<Call<T>> request) throws LiveKitCallFailed {
        Answer<T> answer = calls.call("RoomService", method, request);
        if (answer.preconditionFailed()) {
            throw new LiveKitCallFailed(method + " was refused by LiveKit: " + answer.message(), false);
        }
        return answer.value();
    }
}
