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
    @Operation(summary = "Chat history, oldest first within a page; newest page first by default. before/after are seq cursors.")
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
    @Operation(summary = "Reaction totals of the session")
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
    @Operation(summary = "Delete a message (host, cohost); the room sees chat.deleted")
    public Uni<Void> deleteMessage(@PathParam("id") UUID id, @PathParam("messageId") UUID messageId) {
        return chat.deleteMessage(id, caller(), messageId).replaceWithVoid();
    }

    @POST
    @Path("timeouts")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Time a user out (host, cohost): no messages or reactions until it ends")
    public Uni<ChatModerated> timeout(@PathParam("id") UUID id, @Valid @NotNull TimeoutRequest request) {
        return chat.timeout(id, caller(), request.userId(), request.durationSeconds(), request.reason());
    }

    @POST
    @Path("bans")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ban a user from this session's chat (host, cohost)")
    public Uni<ChatModerated> ban(@PathParam("id") UUID id, @Valid @NotNull BanRequest request) {
        return chat.ban(id, caller(), request.userId(), request.reason());
    }

    @DELETE
    @Path("bans/{userId}")
    @Authenticated
    @Operation(summary = "Lift a ban (host, cohost)")
    public Uni<Void> unban(@PathParam("id") UUID id, @PathParam("userId") String userId) {
        return chat.unban(id, caller(), userId).replaceWithVoid();
    }

    @GET
    @Path("bans")
    @Authenticated
    @Operation(summary = "Banned and timed-out users (host, cohost)")
    public Uni<List<Restriction>> restrictions(@PathParam("id") UUID id) {
        return moderator(id).chain(() -> repository.bannedOrTimedOut(id, Instant.now()))
                .map(rows -> rows.stream().map(r -> new Restriction(r.view().userId(), r.banned(),
                        r.timedOutUntil() != null && r.timedOutUntil().isAfter(Instant.now())
                                ? r.timedOutUntil() : null)).toList());
    }

    @GET
    @Path("settings")
    @Authenticated
    @Operation(summary = "Chat settings with the blocked terms (host, cohost)")
    public Uni<SettingsResponse> settings(@PathParam("id") UUID id) {
        return moderator(id).chain(() -> repository.room(id)).map(row -> response(row.session().enableChat(),
                row.session().enableReactions(), row.settings()));
    }

    @PATCH
    @Path("settings")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change slow mode, signed-in-only, reactions-only and blocked terms (host, cohost)")
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
    @Operation(summary = "The moderation log, newest first (host, cohost)")
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
