package io.livestage.session.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.session.rest.StageDtos.InviteResponse;
import io.livestage.session.rest.StageDtos.JoinRequest;
import io.livestage.session.rest.StageDtos.JoinResponse;
import io.livestage.session.rest.StageDtos.MuteRequest;
import io.livestage.session.rest.StageDtos.ParticipantResponse;
import io.livestage.session.rest.StageDtos.QueueResponse;
import io.livestage.session.rest.StageDtos.RoleChange;
import io.livestage.session.rest.StageDtos.StageRequestResponse;
import io.livestage.session.rest.StageDtos.UnmuteRequest;
import io.livestage.session.service.Attendance;
import io.livestage.session.service.GuestApproval;
import io.livestage.session.service.Invitations;
import io.livestage.session.service.Moderation;
import io.livestage.session.service.StageQueue;

/** Joining, the stage queue (raise hand, approve, reject), host controls and invites. */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Stage", description = "Participants, raise hand, guest approval, host controls, invites")
public class StageResource {
    private final Attendance attendance;
    private final StageQueue queue;
    private final GuestApproval approval;
    private final Moderation moderation;
    private final Invitations invitations;
    private final SecurityIdentity identity;

    public StageResource(Attendance attendance, StageQueue queue, GuestApproval approval, Moderation moderation,
            Invitations invitations, SecurityIdentity identity) {
        this.attendance = attendance;
        this.queue = queue;
        this.approval = approval;
        this.moderation = moderation;
        this.invitations = invitations;
        this.identity = identity;
    }

    @POST
    @Path("{ref}/join")
    @Authenticated
    @Operation(operationId = "joinSession",
            summary = "Join a session (by id or slug); a rejoin keeps the same participant record",
            description = "Signed-in users; token-service calls it before minting a LiveKit token. Answers the caller's role, which decides LiveKit grants. 403 when removed or not invited "
                    + "to a PRIVATE session; 409 when ended, cancelled, full or not open yet.")
    public Uni<JoinResponse> join(@PathParam("ref") @Size(max = 36) String ref, @Valid @NotNull JoinRequest request) {
        return attendance.join(ref, Callers.of(identity), request.name().strip()).map(joined ->
                new JoinResponse(SessionResponse.of(joined.session()), ParticipantResponse.of(joined.participant())));
    }

    @POST
    @Path("{id}/leave")
    @Authenticated
    @Operation(operationId = "leaveSession",
            summary = "Leave the session (a waiting hand is withdrawn; a guest's stage slot frees)",
            description = "The caller's own presence ends: speaking time closes, a GUEST goes back to VIEWER and "
                    + "participant.left is emitted. The caller may join again later. 404 when the session is "
                    + "unknown; 409 when the caller is not in it.")
    public Uni<ParticipantResponse> leave(@PathParam("id") UUID id) {
        return attendance.leave(id, Callers.of(identity)).map(ParticipantResponse::of);
    }

    @GET
    @Path("{id}/participants")
    @PermitAll
    @Operation(operationId = "listParticipants",
            summary = "Present participants: stage first (host, cohosts, guests), then viewers",
            description = "Anyone who may see the session (anonymous callers too for PUBLIC and UNLISTED "
                    + "sessions); each with role, display name and microphone/camera mute state. onStage=true "
                    + "lists the stage only; limit 1-1000 (default 200). 404 when unknown or not visible.")
    public Uni<List<ParticipantResponse>> participants(@PathParam("id") UUID id,
            @QueryParam("onStage") @DefaultValue("false") boolean onStage,
            @QueryParam("limit") @DefaultValue("200") @Min(1) @Max(1000) int limit) {
        String viewer = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        return attendance.present(id, viewer, onStage, limit)
                .map(list -> list.stream().map(ParticipantResponse::of).toList());
    }

    @POST
    @Path("{id}/stage-requests")
    @Authenticated
    @Operation(operationId = "raiseHand",
            summary = "Raise your hand; asking again returns your pending request and its place",
            description = "For participants present in the live session. The queue is ordered by XP, then waiting "
                    + "time, then less past speaking time; the answer carries the caller's position. Without "
                    + "requireApproval the hand is approved at once while a guest slot is free. Emits "
                    + "guest.requested. 404 when unknown; 409 when the caller has not joined, is already on "
                    + "stage, the session is not live or takes no guests.")
    public Uni<RestResponse<StageRequestResponse>> requestStage(@PathParam("id") UUID id) {
        return queue.raiseHand(id, Callers.of(identity))
                .map(entry -> RestResponse.ok(StageRequestResponse.of(entry)));
    }

    @DELETE
    @Path("{id}/stage-requests/mine")
    @Authenticated
    @Operation(operationId = "lowerHand", summary = "Lower your hand",
            description = "Withdraws the caller's pending stage request (guest.withdrawn) and answers it as "
                    + "WITHDRAWN. 404 when the session is unknown or the caller has no pending request.")
    public Uni<StageRequestResponse> withdraw(@PathParam("id") UUID id) {
        return queue.lowerHand(id, Callers.of(identity)).map(r -> StageRequestResponse.of(r, 0));
    }

    @GET
    @Path("{id}/stage-requests")
    @Authenticated
    @Operation(operationId = "getStageQueue",
            summary = "The stage queue: all of it for hosts and cohosts, your own place for others",
            description = "Signed-in callers who may see the session. Hosts and cohosts get every pending request "
                    + "in queue order; everyone else gets only their own request (mine) with its position. 404 "
                    + "when unknown or not visible.")
    public Uni<QueueResponse> queue(@PathParam("id") UUID id) {
        return queue.queue(id, Callers.of(identity)).map(view -> new QueueResponse(
                view.items().stream().map(StageRequestResponse::of).toList(),
                view.mine() == null ? null : StageRequestResponse.of(view.mine())));
    }

    @POST
    @Path("{id}/stage-requests/{requestId}/approve")
    @Authenticated
    @Operation(operationId = "approveStageRequest",
            summary = "Bring the requester on stage as GUEST (host or cohost; maxGuests enforced)",
            description = "The requester becomes GUEST with the session's default microphone and camera state and "
                    + "may publish at once (guest.approved; their next token publishes). 403 for anyone but the "
                    + "host and present cohosts; 404 when the session or request is unknown; 409 when the request "
                    + "was already decided, the requester has left or the stage is full.")
    public Uni<StageRequestResponse> approve(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId) {
        return approval.approve(id, requestId, Callers.of(identity)).map(r -> StageRequestResponse.of(r, 0));
    }

    @POST
    @Path("{id}/stage-requests/{requestId}/reject")
    @Authenticated
    @Operation(operationId = "rejectStageRequest", summary = "Decline a stage request (host or cohost)",
            description = "The request becomes REJECTED (guest.rejected) and the decision is logged. 403 for anyone "
                    + "but the host and present cohosts; 404 when the session or request is unknown; 409 when the "
                    + "request was already decided.")
    public Uni<StageRequestResponse> reject(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId) {
        return approval.reject(id, requestId, Callers.of(identity)).map(r -> StageRequestResponse.of(r, 0));
    }

    @POST
    @Path("{id}/participants/{identity}/role")
    @Authenticated
    @Operation(operationId = "changeParticipantRole",
            summary = "Promote or demote (COHOST, GUEST, VIEWER); publish rights change live",
            description = "Host and present cohosts. The LiveKit grants of the participant change in the room "
                    + "(participant.role-changed); making someone GUEST takes a guest slot and approves their "
                    + "waiting hand. 400 for role HOST; 403 for other callers or on the host; 404 when the session "
                    + "or participant is unknown; 409 when the stage is full, the participant was removed or the "
                    + "session is over.")
    public Uni<ParticipantResponse> changeRole(@PathParam("id") UUID id, @PathParam("identity") String target,
            @Valid @NotNull RoleChange change) {
        return moderation.changeRole(id, target, change.role(), Callers.of(identity)).map(ParticipantResponse::of);
    }

    @POST
    @Path("{id}/participants/{identity}/mute")
    @Authenticated
    @Operation(operationId = "muteParticipant", summary = "Mute a participant's microphone and/or camera",
            description = "Host and present cohosts, on a participant on stage: {audio, video} says what to mute "
                    + "(participant.muted; LiveKit mutes the track). 400 when neither is true; 403 for other "
                    + "callers; 404 when the session or participant is unknown; 409 when the participant is not "
                    + "on stage, was removed or the session is over.")
    public Uni<ParticipantResponse> mute(@PathParam("id") UUID id, @PathParam("identity") String target,
            @Valid @NotNull MuteRequest mute) {
        return moderation.mute(id, target, Boolean.TRUE.equals(mute.audio()), Boolean.TRUE.equals(mute.video()),
                Callers.of(identity)).map(ParticipantResponse::of);
    }

    @POST
    @Path("{id}/participants/{identity}/unmute-request")
    @Authenticated
    @Operation(operationId = "requestParticipantUnmute", summary = "Ask a participant on stage to unmute (hosts and cohosts)",
            description = "LiveKit refuses remote unmute by default, so the participant is asked (event "
                    + "participant.unmute-requested; chat-service sends them an unmute.request frame) and decides. "
                    + "403 for anyone but the host and cohosts; 409 when the participant is not on stage.")
    public Uni<ParticipantResponse> requestUnmute(@PathParam("id") UUID id, @PathParam("identity") String target,
            @Valid @NotNull UnmuteRequest unmute) {
        return moderation.requestUnmute(id, target, Boolean.TRUE.equals(unmute.audio()), Boolean.TRUE.equals(unmute.video()),
                Callers.of(identity)).map(ParticipantResponse::of);
    }

    @DELETE
    @Path("{id}/participants/{identity}")
    @Authenticated
    @Operation(operationId = "removeParticipant",
            summary = "Remove a participant for good (no rejoin, no new token); nobody removes the host",
            description = "Host and present cohosts. The participant leaves the room, becomes VIEWER, their waiting "
                    + "hand is withdrawn and they can neither rejoin nor get a new token (participant.removed). "
                    + "403 for other callers or on the host; 404 when the session or participant is unknown; 409 "
                    + "when already removed or the session is over.")
    public Uni<ParticipantResponse> remove(@PathParam("id") UUID id, @PathParam("identity") String target) {
        return moderation.remove(id, target, Callers.of(identity)).map(ParticipantResponse::of);
    }

    @GET
    @Path("{id}/invites")
    @Authenticated
    @Operation(operationId = "listInvites", summary = "Invited users of a PRIVATE session (host only)",
            description = "Who may join the PRIVATE session besides the host, with who invited them and when. 403 "
                    + "for anyone but the host; 404 when unknown or not visible.")
    public Uni<List<InviteResponse>> invites(@PathParam("id") UUID id) {
        return invitations.invites(id, Callers.of(identity)).map(list -> list.stream().map(InviteResponse::of).toList());
    }

    @PUT
    @Path("{id}/invites/{userId}")
    @Authenticated
    @Operation(operationId = "inviteUser", summary = "Invite a user (host only); idempotent",
            description = "The user (their user id, the token's sub) may then join the PRIVATE session. Inviting "
                    + "someone already invited answers the existing invite. 400 for an empty or over-long user id "
                    + "(1-255); 403 for anyone but the host; 404 when the session is unknown.")
    public Uni<InviteResponse> invite(@PathParam("id") UUID id,
            @PathParam("userId") @Size(min = 1, max = 255) String userId) {
        return invitations.invite(id, userId, Callers.of(identity)).map(InviteResponse::of);
    }

    @DELETE
    @Path("{id}/invites/{userId}")
    @Authenticated
    @Operation(operationId = "revokeInvite", summary = "Revoke an invite (host only)",
            description = "The user can no longer join; someone already in the room stays until removed. Revoking "
                    + "an invite that does not exist changes nothing (204). 403 for anyone but the host; 404 when "
                    + "the session is unknown.")
    public Uni<Void> uninvite(@PathParam("id") UUID id, @PathParam("userId") String userId) {
        return invitations.uninvite(id, userId, Callers.of(identity));
    }
}
