package io.livestage.recording.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.livestage.platform.problem.ProblemException;
import io.livestage.recording.model.Notification;
import io.livestage.recording.service.Notifications;

/** The caller's notifications about their sessions' recordings: list, mark read. */
@Path("/api/me/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Notifications", description = "Recording started, ready (with its download link) or failed, for the "
        + "session's host and whoever started the recording")
public class NotificationResource {
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final Notifications notifications;
    private final SecurityIdentity identity;

    public NotificationResource(Notifications notifications, SecurityIdentity identity) {
        this.notifications = notifications;
        this.identity = identity;
    }

    @GET
    @Operation(operationId = "listMyNotifications", summary = "My notifications, newest first, with the unread count",
            description = "The caller's own notifications (recording started, ready with its download link, or "
                    + "failed; episode published) and how many are unread. unread=true lists only those. 400 "
                    + "naming limit when it is outside 1-100.")
    public Uni<NotificationsResponse> list(
            @Parameter(description = "1 to 100") @QueryParam("limit") @DefaultValue("50") int limit,
            @Parameter(description = "only the unread ones") @QueryParam("unread") @DefaultValue("false")
            boolean unreadOnly) {
        return notifications.list(caller(), unreadOnly, limit).map(page -> new NotificationsResponse(
                page.items().stream().map(NotificationResponse::of).toList(), page.unread()));
    }

    @POST
    @Path("{id}/read")
    @Operation(operationId = "markNotificationRead", summary = "Mark one notification read",
            description = "One of the caller's notifications; marking it again changes nothing. 400 when the id is "
                    + "no UUID; 404 when it is not the caller's.")
    @APIResponse(responseCode = "204", description = "Read (also when it already was)")
    public Uni<RestResponse<Void>> read(@PathParam("id") String id) {
        if (!ID.matcher(id).matches()) {
            throw ProblemException.invalid("id", "A notification id is a UUID");
        }
        return notifications.markRead(caller(), UUID.fromString(id)).map(ignored -> RestResponse.noContent());
    }

    @POST
    @Path("read")
    @Operation(operationId = "markAllNotificationsRead", summary = "Mark all my notifications read",
            description = "Marks every unread notification of the caller read and answers how many it marked.")
    public Uni<MarkedRead> readAll() {
        return notifications.markAllRead(caller()).map(MarkedRead::new);
    }

    private String caller() {
        return identity.getPrincipal().getName();
    }

    @Schema(name = "Notifications")
    public record NotificationsResponse(List<NotificationResponse> items, long unread) {
    }

    @Schema(name = "Notification")
    public record NotificationResponse(
            UUID id,
            @Schema(description = "The event type: recording.started, recording.completed, recording.failed")
            String kind,
            UUID sessionId,
            UUID recordingId,
            UUID episodeId,
            String text,
            @Schema(description = "Where to go, relative to the gateway: the recording, or its file") String link,
            Instant createdAt,
            boolean read) {
        static NotificationResponse of(Notification n) {
            return new NotificationResponse(n.id(), n.kind(), n.sessionId(), n.recordingId(), n.episodeId(), n.text(),
                    n.link(), n.createdAt(), n.readAt() != null);
        }
    }

    @Schema(name = "NotificationsMarkedRead")
    public record MarkedRead(int marked) {
    }
}
