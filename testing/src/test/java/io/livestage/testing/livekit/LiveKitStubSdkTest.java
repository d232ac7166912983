package io.livestage.testing.livekit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import io.livekit.server.RoomServiceClient;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRoom.MuteRoomTrackRequest;
import livekit.LivekitRoom.UpdateParticipantRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official Java SDK (io.livekit:livekit-server) against the stub: it must not notice the difference. */
class LiveKitStubSdkTest {

    private static LiveKitStub livekit;
    private static RoomServiceClient client;

    @BeforeAll
    static void start() {
        livekit = LiveKitStub.start();
        client = RoomServiceClient.createClient(livekit.url(), livekit.apiKey(), livekit.apiSecret());
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    @BeforeEach
    void reset() {
        livekit.reset();
    }

    @Test
    void roomAndParticipantLifecycleThroughTheSdk() throws Exception {
        Response<Room> created = client.createRoom("r1", 60, 10, null, "{\"session\":\"s1\"}").execute();
        assertThat(created.code()).isEqualTo(200);
        Room room = created.body();
        assertThat(room.getSid()).matches("RM_[0-9A-Za-z]{12}");
        assertThat(room.getName()).isEqualTo("r1");
        assertThat(room.getEmptyTimeout()).isEqualTo(60);
        assertThat(room.getDepartureTimeout()).isEqualTo(20);
        assertThat(room.getMaxParticipants()).isEqualTo(10);
        assertThat(room.getMetadata()).isEqualTo("{\"session\":\"s1\"}");
        assertThat(client.listRooms().execute().body()).extracting(Room::getSid).containsExactly(room.getSid());
        assertThat(client.listRooms(List.of("other")).execute().body()).isEmpty();

        ParticipantInfo joined = livekit.join("r1", "u42", LiveKitStub.microphoneTrack(), LiveKitStub.cameraTrack());
        String microphone = joined.getTracks(0).getSid();
        assertThat(client.listParticipants("r1").execute().body()).extracting(ParticipantInfo::getIdentity)
                .containsExactly("u42");
        ParticipantInfo fetched = client.getParticipant("r1", "u42").execute().body();
        assertThat(fetched.getSid()).isEqualTo(joined.getSid()).startsWith("PA_");
        assertThat(fetched.getState()).isEqualTo(ParticipantInfo.State.ACTIVE);
        assertThat(fetched.getTracksList()).extracting(TrackInfo::getSource)
                .containsExactly(TrackSource.MICROPHONE, TrackSource.CAMERA);

        // Audio only from now on: the camera track is unpublished, as LiveKit does when a source is revoked.
        ParticipantPermission audioOnly = ParticipantPermission.newBuilder().setCanSubscribe(true).setCanPublish(true)
                .setCanPublishData(true).addCanPublishSources(TrackSource.MICROPHONE).build();
        Response<ParticipantInfo> updated = client.updateParticipant("r1", "u42", "Ann", "{\"role\":\"speaker\"}",
                audioOnly, Map.of("hand", "raised")).execute();
        assertThat(updated.code()).isEqualTo(200);
        assertThat(updated.body().getPermission()).isEqualTo(audioOnly);
        ParticipantInfo state = livekit.participant("r1", "u42").orElseThrow();
        assertThat(state.getPermission()).isEqualTo(audioOnly);
        assertThat(state.getName()).isEqualTo("Ann");
        assertThat(state.getMetadata()).isEqualTo("{\"role\":\"speaker\"}");
        assertThat(state.getAttributesMap()).containsEntry("hand", "raised");
        assertThat(state.getTracksList()).extracting(TrackInfo::getSid).containsExactly(microphone);

        RecordedCall update = livekit.awaitCall("UpdateParticipant", call -> call.identity().equals("u42"),
                Duration.ofSeconds(5));
        assertThat(update.contentType()).isEqualTo("application/protobuf");
        assertThat(update.request(UpdateParticipantRequest.class).getPermission()).isEqualTo(audioOnly);
        assertThat(update.json().get("permission").get("can_publish_sources").get(0).asText()).isEqualTo("MICROPHONE");
        assertThat(update.claims().apiKey()).isEqualTo("devkey");
        assertThat(update.claims().grant("roomAdmin")).isTrue();
        assertThat(update.claims().room()).isEqualTo("r1");
        assertThat(update.succeeded()).isTrue();
        assertThat(update.receivedAt()).isNotNull();

        TrackInfo muted = client.mutePublishedTrack("r1", "u42", microphone, true).execute().body();
        assertThat(muted.getSid()).isEqualTo(microphone);
        assertThat(muted.getMuted()).isTrue();
        assertThat(livekit.participant("r1", "u42").orElseThrow().getTracks(0).getMuted()).isTrue();
        assertThat(livekit.calls("MutePublishedTrack").getFirst().request(MuteRoomTrackRequest.class).getMuted())
                .isTrue();

        assertThat(client.sendData("r1", "hello".getBytes(), DataPacket.Kind.RELIABLE, List.of(), List.of("u42"),
                "chat").execute().code()).isEqualTo(200);
        assertThat(livekit.calls("SendData").getFirst().json().get("topic").asText()).isEqualTo("chat");

        assertThat(client.removeParticipant("r1", "u42").execute().code()).isEqualTo(200);
        assertThat(livekit.participant("r1", "u42")).isEmpty();

        assertThat(client.deleteRoom("r1").execute().code()).isEqualTo(200);
        assertThat(livekit.room("r1")).isEmpty();
        assertThat(livekit.calls()).extracting(RecordedCall::method).containsExactly("CreateRoom", "ListRooms",
                "ListRooms", "ListParticipants", "GetParticipant", "UpdateParticipant", "MutePublishedTrack",
                "SendData", "RemoveParticipant", "DeleteRoom");
        assertThat(livekit.callsSince(8)).extracting(RecordedCall::method).containsExactly("RemoveParticipant",
                "DeleteRoom");
        assertThat(livekit.callsSince(10)).isEmpty();
    }

    @Test
    void unknownRoomsAndParticipantsAreNotFound() throws Exception {
        Response<Void> removed = client.removeParticipant("nowhere", "ghost").execute();
        assertThat(removed.code()).isEqualTo(404);
        assertThat(Twirp.JSON.readTree(removed.errorBody().string()))
                .isEqualTo(Twirp.JSON.readTree("{\"code\":\"not_found\",\"msg\":\"participant does not exist\"}"));

        assertThat(client.deleteRoom("nowhere").execute().code()).isEqualTo(404);
        assertThat(livekit.calls("DeleteRoom").getFirst().errorCode()).isEqualTo("not_found");
        Response<TrackInfo> mute = client.mutePublishedTrack("nowhere", "ghost", "TR_x", true).execute();
        assertThat(mute.code()).isEqualTo(404);
        assertThat(mute.errorBody().string()).contains("requested room does not exist");
        // LiveKit's OSS store lists an unknown room as empty rather than failing.
        assertThat(client.listParticipants("nowhere").execute().body()).isEmpty();
    }

    @Test
    void wrongSecretIsRefusedByTheAuthMiddleware() throws Exception {
        RoomServiceClient forged = RoomServiceClient.createClient(livekit.url(), "devkey", "not-the-secret");

        Response<Room> response = forged.createRoom("r1").execute();

        assertThat(response.code()).isEqualTo(401);
        // LiveKit's middleware answers in plain text, not a Twirp JSON error (livekit pkg/service/auth.go).
        assertThat(response.errorBody().string())
                .isEqualTo("invalid authorization token: token signature is invalid: signature is invalid");
        RecordedCall call = livekit.awaitCall("CreateRoom", Duration.ofSeconds(5));
        assertThat(call.status()).isEqualTo(401);
        assertThat(call.errorCode()).isEqualTo("unauthenticated");
        assertThat(call.claims()).isNull();
        assertThat(livekit.rooms()).isEmpty();

        Response<Room> unknownKey = RoomServiceClient.createClient(livekit.url(), "otherkey", "secret")
                .createRoom("r1").execute();
        assertThat(unknownKey.code()).isEqualTo(401);
        assertThat(unknownKey.errorBody().string()).isEqualTo("invalid API key");
    }

    @Test
    void missingRoomAdminIsRefusedAsLiveKitDoes() {
        livekit.join("r1", "u42");
        // A participant's join token from the Java SDK: valid signature, but no roomAdmin.
        AccessToken joinToken = new AccessToken("devkey", "secret");
        joinToken.setIdentity("u42");
        joinToken.addGrants(new RoomJoin(true), new RoomName("r1"), new CanPublish(true));

        Twirp.Answer answer = Twirp.post(livekit, "RemoveParticipant", "application/json",
                "{\"room\":\"r1\",\"identity\":\"u42\"}", joinToken.toJwt());

        // LiveKit's twirpAuthError: Unauthenticated (401) "permissions denied", never permission_denied (403).
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json()).isEqualTo(Twirp.JSON.createObjectNode().put("code", "unauthenticated")
                .put("msg", "permissions denied"));
        assertThat(livekit.participant("r1", "u42")).isPresent();
        RecordedCall call = livekit.calls("RemoveParticipant").getFirst();
        assertThat(call.claims().grant("roomJoin")).isTrue();
        assertThat(call.claims().grant("roomAdmin")).isFalse();
        assertThat(call.errorCode()).isEqualTo("unauthenticated");
    }

    @Test
    void roomAdminOfAnotherRoomIsRefused() throws Exception {
        livekit.join("r1", "u42");
        String otherRoom = Twirp.token("devkey", "secret", new RoomAdmin(true), new RoomName("r2"));

        Twirp.Answer answer = Twirp.post(livekit, "GetParticipant", "application/json",
                "{\"room\":\"r1\",\"identity\":\"u42\"}", otherRoom);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().get("msg").asText()).isEqualTo("permissions denied");
        assertThat(client.getParticipant("r1", "u42").execute().code()).isEqualTo(200);
    }

    @Test
    void remoteUnmuteIsRefusedUnlessEnabled() throws Exception {
        String microphone = livekit.join("r1", "u42", LiveKitStub.microphoneTrack()).getTracks(0).getSid();
        client.mutePublishedTrack("r1", "u42", microphone, true).execute();

        Response<TrackInfo> unmute = client.mutePublishedTrack("r1", "u42", microphone, false).execute();
        assertThat(unmute.code()).isEqualTo(412);
        assertThat(unmute.errorBody().string()).contains("\"code\":\"failed_precondition\"")
                .contains("remote unmute not enabled");

        livekit.setRemoteUnmuteEnabled(true);
        assertThat(client.mutePublishedTrack("r1", "u42", microphone, false).execute().body().getMuted()).isFalse();
        // An unknown track sid: LiveKit answers 200 without a track.
        Response<TrackInfo> unknown = client.mutePublishedTrack("r1", "u42", "TR_unknown", true).execute();
        assertThat(unknown.code()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo(TrackInfo.getDefaultInstance());
    }

    @Test
    void failNextAnswersTheInjectedStatusThenRecovers() throws Exception {
        livekit.failNext("CreateRoom", 2, 503);
        livekit.failNext("ListRooms", 1, 502);

        Response<Room> first = client.createRoom("r1").execute();
        assertThat(first.code()).isEqualTo(503);
        assertThat(first.errorBody().string()).contains("\"code\":\"unavailable\"");
        assertThat(client.createRoom("r1").execute().code()).isEqualTo(503);
        assertThat(livekit.rooms()).isEmpty();
        assertThat(client.createRoom("r1").execute().code()).isEqualTo(200);

        Response<List<Room>> proxied = client.listRooms().execute();
        assertThat(proxied.code()).isEqualTo(502);
        assertThat(proxied.errorBody().contentType().toString()).startsWith("text/plain");
        assertThat(client.listRooms().execute().body()).hasSize(1);

        List<RecordedCall> attempts = livekit.calls("CreateRoom");
        assertThat(attempts).extracting(RecordedCall::status).containsExactly(503, 503, 200);
        assertThat(attempts).allSatisfy(call -> assertThat(call.json().get("name").asText()).isEqualTo("r1"));
        assertThat(attempts).allSatisfy(call -> assertThat(call.claims().grant("roomCreate")).isTrue());
        assertThat(attempts.get(1).receivedNanos()).isGreaterThan(attempts.get(0).receivedNanos());

        livekit.failNext("*", 1, 500);
        Response<Void> anyMethod = client.deleteRoom("r1").execute();
        assertThat(anyMethod.code()).isEqualTo(500);
        assertThat(anyMethod.errorBody().string()).contains("\"code\":\"internal\"");
        assertThat(livekit.room("r1")).isPresent();
    }

    @Test
    void unavailableAnswers503ForEverything() throws Exception {
        livekit.setUnavailable(true);
        Response<List<Room>> down = client.listRooms().execute();
        assertThat(down.code()).isEqualTo(503);
        assertThat(down.errorBody().string())
                .isEqualTo("{\"code\":\"unavailable\",\"msg\":\"no response from servers\"}");
        assertThat(client.createRoom("r1").execute().code()).isEqualTo(503);

        livekit.setUnavailable(false);
        assertThat(client.createRoom("r1").execute().code()).isEqualTo(200);
    }

    @Test
    void awaitCallSeesCallsFromOtherThreadsAndListsWhatArrivedOnTimeout() {
        livekit.join("r1", "u42");
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(100);
                client.removeParticipant("r1", "u42").execute();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        RecordedCall removal = livekit.awaitCall("RemoveParticipant", call -> call.room().equals("r1"),
                Duration.ofSeconds(5));
        assertThat(removal.identity()).isEqualTo("u42");

        assertThatThrownBy(() -> livekit.awaitCall("DeleteRoom", call -> true, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("No LiveKit DeleteRoom call")
                .hasMessageContaining("received 1 call(s)")
                .hasMessageContaining("RemoveParticipant 200");
    }
}
