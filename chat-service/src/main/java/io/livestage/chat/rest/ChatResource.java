package io.livestage.chat.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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

import io.livestage.chat.model.ChatSettings;
import io.livestage.chat.model.StoredMessage;
import io.livestage.chat.repository.ChatRepository;
import io.livestage.chat.rest.ChatDtos.BanRequest;
import io.livestage.chat.rest.ChatDtos.ChatPage;
import io.livestage.chat.rest.ChatDtos.ReactionTotals;
import io.livestage.chat.rest.ChatDtos.Restriction;
import io.livestage.chat.rest.ChatDtos.SettingsRequest;
import io.livestage.chat.rest.ChatDtos.SettingsResponse;
import io.livestage.chat.rest.ChatDtos.TimeoutRequest;
import io.livestage.chat.service.Admission;
import io.livestage.chat.service.Caller;
import io.livestage.chat.service.ChatService;
import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;

/**
 * Chat history and moderation of a session. History is readable by whoever may open the room channel; moderation is
 * for the host and cohosts. Every moderation action is logged and emitted as {@code chat.moderated}, which every
 * instance turns into frames for the room.
 */
@Path("/api/sessions/{id}/chat")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "chat")
public class ChatResource {
    private final ChatRepository repository;
    private final ChatService chat;
    private final Admission admission;
    private final SecurityIdentity identity;

    public ChatResource(ChatRepository repository, ChatService chat, Admission admission, SecurityIdentity identity) {
        this.repository = repository;
        this.chat = chat;
        this.admission = admission;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "getChatHistory",
            summary = "Chat history, oldest first within a page; newest page first by default. before/after are seq cursors.",
            description = "Whoever may open the room channel: anonymous callers for PUBLIC sessions (unless the "
                    + "chat is signed-in-only), anyone signed in for PUBLIC and UNLISTED ones, the host and "
                    + "participants for PRIVATE ones; removed participants are refused. Without cursors the newest page; before=<seq> pages back, after=<seq> forward "
                    + "(how a client catches up after a reconnect); nextCursor is the seq to pass on, null on the "
                    + "last page. Deleted messages are left out. 400 when both before and after are given or limit "
                    + "is outside 1-200; 401 when an anonymous caller must sign in; 403 when not allowed; 404 "
                    + "when the session is unknown, cancelled or deleted.")
    public Uni<ChatPage> history(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("before") @Min(1) Long before, @QueryParam("after") @Min(0) Long after) {
        if (before != null && after != null) {
            throw ProblemException.invalid("after", "give before or after, not both");
        }
        return readable(id).chain(() -> {
            if (after != null) {
                return repository.messagesAfter(id, after, limit).map(page -> page(page, limit,
                        page.isEmpty() ? null : page.get(page.size() - 1)));
            }
            return repository.messagesBefore(id, before == null ? Long.MAX_VALUE : before, limit)
                    .map(page -> page(page, limit, page.isEmpty() ? null : page.get(0)));
        });
    }

    private static ChatPage page(List<StoredMessage> page, int limit, StoredMessage edge) {
        List<ChatMessagePosted> messages = page.stream().map(ChatService::posted).toList();
        return new ChatPage(messages, page.size() == limit && edge != null ? Long.toString(edge.seq()) : null);
    }

    @GET
    @Path("reactions")
    @Operation(operationId = "getChatReactionTotals", summary = "Reaction totals of the session",
            description = "How many of each reaction the room has sent so far (the totals of the aggregated "
                    + "chat.reaction bursts). Same access as the chat history: 401, 403 or 404 otherwise.")
    public Uni<ReactionTotals> reactions(@PathParam("id") UUID id) {
        return readable(id).chain(() -> repository.reactionTotals(id)).map(totals -> {
            Map<String, Long> map = new LinkedHashMap<>();
            totals.forEach(t -> map.put(t.reaction(), t.total()));
            return new ReactionTotals(id.toString(), map);
        });
    }

    @DELETE
    @Path("messages/{messageId}")
    @Authenticated
    @Operation(operationId = "deleteChatMessage", summary = "Delete a message (host, cohost); the room sees chat.deleted",
            description = "Logged and emitted as chat.moderated. A cohost cannot delete the host's or another "
                    + "cohost's messages; moderators may delete their own. Deleting a message deleted before "
                    + "changes nothing (204). 403 for other callers; 404 when the session or message is unknown.")
    public Uni<Void> deleteMessage(@PathParam("id") UUID id, @PathParam("messageId") UUID messageId) {
        return chat.deleteMessage(id, caller(), messageId).replaceWithVoid();
    }

    @POST
    @Path("timeouts")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "timeoutChatUser",
            summary = "Time a user out (host, cohost): no messages or reactions until it ends",
            description = "durationSeconds 1 s to 14 days, an optional reason; answers the chat.moderated event "
                    + "the room receives. Nobody moderates themselves (400), the host, or (as a cohost) another "
                    + "cohost (403). 400 naming the field; 403 for callers who do not moderate; 404 when the "
                    + "session is unknown.")
    public Uni<ChatModerated> timeout(@PathParam("id") UUID id, @Valid @NotNull TimeoutRequest request) {
        return chat.timeout(id, caller(), request.userId(), request.durationSeconds(), request.reason());
    }

    @POST
    @Path("bans")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "banChatUser", summary = "Ban a user from this session's chat (host, cohost)",
            description = "The user can no longer post or react in this session's room until unbanned; answers the "
                    + "chat.moderated event the room receives. Same rules on who may be moderated as timeouts: "
                    + "400 on oneself or a bad body, 403 on the host, on a cohost by a cohost and for callers "
                    + "who do not moderate; 404 when the session is unknown.")
    public Uni<ChatModerated> ban(@PathParam("id") UUID id, @Valid @NotNull BanRequest request) {
        return chat.ban(id, caller(), request.userId(), request.reason());
    }

    @DELETE
    @Path("bans/{userId}")
    @Authenticated
    @Operation(operationId = "unbanChatUser", summary = "Lift a ban (host, cohost)",
            description = "Emits chat.moderated when the user was banned; unbanning someone who is not banned "
                    + "changes nothing (204). 403 for callers who do not moderate; 404 when the session is unknown.")
    public Uni<Void> unban(@PathParam("id") UUID id, @PathParam("userId") String userId) {
        return chat.unban(id, caller(), userId).replaceWithVoid();
    }

    @GET
    @Path("bans")
    @Authenticated
    @Operation(operationId = "listChatRestrictions", summary = "Banned and timed-out users (host, cohost)",
            description = "Every user currently banned or timed out in this session's chat, with the end of a "
                    + "running timeout. 403 for anyone but the host and cohosts; 404 when the session is unknown "
                    + "or gone.")
    public Uni<List<Restriction>> restrictions(@PathParam("id") UUID id) {
        return moderator(id).chain(() -> repository.bannedOrTimedOut(id, Instant.now()))
                .map(rows -> rows.stream().map(r -> new Restriction(r.view().userId(), r.banned(),
                        r.timedOutUntil() != null && r.timedOutUntil().isAfter(Instant.now())
                                ? r.timedOutUntil() : null)).toList());
    }

    @GET
    @Path("settings")
    @Authenticated
    @Operation(operationId = "getChatSettings", summary = "Chat settings with the blocked terms (host, cohost)",
            description = "Whether chat and reactions are on (the session's settings), slow mode, signed-in-only, "
                    + "reactions-only and the blocked terms, which only moderators see. 403 for anyone but the "
                    + "host and cohosts; 404 when the session is unknown or gone.")
    public Uni<SettingsResponse> settings(@PathParam("id") UUID id) {
        return moderator(id).chain(() -> repository.room(id)).map(row -> response(row.session().enableChat(),
                row.session().enableReactions(), row.settings()));
    }

    @PATCH
    @Path("settings")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateChatSettings",
            summary = "Change slow mode, signed-in-only, reactions-only and blocked terms (host, cohost)",
            description = "Partial: absent fields stay. slowModeSeconds 0-3600; blockedTerms (at most 200, each "
                    + "1-50 characters without control characters, 'spam*' also blocks longer words) replace the "
                    + "list. A change is logged and emitted as chat.moderated; the answer is the settings now. "
                    + "400 naming the field; 403 for anyone but the host and cohosts; 404 when the session is "
                    + "unknown.")
    public Uni<SettingsResponse> updateSettings(@PathParam("id") UUID id, @Valid @NotNull SettingsRequest request) {
        List<String> terms = request.blockedTerms() == null ? null
                : request.blockedTerms().stream().map(String::strip).distinct().toList();
        return chat.updateSettings(id, caller(), new ChatService.SettingsChange(request.slowModeSeconds(),
                request.signedInOnly(), request.reactionsOnly(), terms))
                .chain(saved -> repository.room(id).map(row -> response(row.session().enableChat(),
                        row.session().enableReactions(), saved)));
    }

    @GET
    @Path("moderation")
    @Authenticated
    @Operation(operationId = "listChatModerationLog", summary = "The moderation log, newest first (host, cohost)",
            description = "Every moderator action in this session's chat (deletions, timeouts, bans, unbans, "
                    + "settings changes) with who did it and when; limit 1-500 (default 100). 403 for anyone but "
                    + "the host and cohosts; 404 when the session is unknown or gone.")
    public Uni<List<ChatRepository.ModerationEntry>> log(@PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return moderator(id).chain(() -> repository.moderationLog(id, limit));
    }

    private static SettingsResponse response(boolean enableChat, boolean enableReactions, ChatSettings s) {
        return new SettingsResponse(enableChat, enableReactions, s.slowModeSeconds(), s.signedInOnly(),
                s.reactionsOnly(), s.blockedTerms());
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    /** Fails with 401/403/404 unless the caller may read this session's chat. */
    private Uni<Void> readable(UUID id) {
        Caller caller = identity.isAnonymous() ? Caller.anonymous("rest") : Caller.of(identity);
        return admission.decideNow(id, caller).map(decision -> {
            if (!decision.admitted()) {
                throw switch (decision.closeCode()) {
                    case 4404 -> ProblemException.notFound("session");
                    case 4401 -> new ProblemException(ProblemType.UNAUTHORIZED, decision.message());
                    default -> ProblemException.forbidden(decision.message());
                };
            }
            return null;
        });
    }

    private Uni<Void> moderator(UUID id) {
        String userId = caller();
        return repository.room(id).flatMap(room -> {
            if (room == null || room.session().isGone()) {
                throw ProblemException.notFound("session");
            }
            if (userId.equals(room.session().hostId())) {
                return Uni.createFrom().voidItem();
            }
            return repository.member(id, userId).map(member -> {
                if (member == null || !member.view().isModerator() || member.view().removed()) {
                    throw ProblemException.forbidden("only the host and cohosts moderate this chat");
                }
                return null;
            });
        });
    }
}
