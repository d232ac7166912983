package io.livestage.token.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.livekit.server.WebhookReceiver;
import io.smallrye.mutiny.Uni;
import livekit.LivekitWebhook.WebhookEvent;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import io.livestage.platform.livekit.LiveKitConfig;
import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.token.admission.RemovedOnJoin;

/**
 * LiveKit's webhooks: the raw JWT in Authorization (no "Bearer") is checked by the SDK's WebhookReceiver — HS256 with
 * our secret, not expired, and its sha256 claim equal to the hash of the exact body bytes. Answered as soon as the
 * event is durably queued (outbox), so LiveKit's sender is never held up. A {@code participant_joined} of someone
 * removed from the session has them removed from the room ({@link RemovedOnJoin}).
 */
@Path("/webhooks/livekit")
@Tag(name = "LiveKit webhooks")
public class LiveKitWebhookResource {
    private static final Logger LOG = Logger.getLogger(LiveKitWebhookResource.class);
    private final WebhookReceiver receiver;
    private final WebhookIntake intake;
    private final RemovedOnJoin removedOnJoin;

    public LiveKitWebhookResource(LiveKitConfig config, WebhookIntake intake, RemovedOnJoin removedOnJoin) {
        this.receiver = new WebhookReceiver(config.apiKey(), config.apiSecret());
        this.intake = intake;
        this.removedOnJoin = removedOnJoin;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "receiveLiveKitWebhook", summary = "Receive a signed LiveKit webhook",
            description = "401 when the signature, body hash or expiry check fails; 409 when this webhook id was "
                    + "already received (redelivery or replay); 200 once queued for Kafka (topic livestage.livekit).")
    public Uni<Map<String, String>> receive(byte[] body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "A LiveKit webhook carries its JWT in Authorization");
        }
        WebhookEvent event;
        try {
            event = receiver.receive(new String(body, StandardCharsets.UTF_8), authorization.strip());
        } catch (RuntimeException e) {
            LOG.debugf("Webhook refused: %s", e.getMessage());
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "Webhook signature, body hash or expiry check failed; check LIVEKIT_API_KEY/LIVEKIT_API_SECRET");
        }
        return intake.accept(event).invoke(removedOnJoin::check)
                .map(accepted -> Map.of("status", "accepted", "id", accepted.webhookId()));
    }
}
