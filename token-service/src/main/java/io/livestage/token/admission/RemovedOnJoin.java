package io.livestage.token.admission;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.logging.Logger;

import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.livekit.LiveKitCallFailed;
import io.livestage.token.livekit.LiveKitRooms;

/**
 * The second half of removal safety (docs/adr/0019): a participant who joins a room after being removed from its
 * session — a token minted before the removal reached the projection — is removed by LiveKit at once, on its
 * {@code participant_joined} webhook. Runs after the webhook is accepted, off the webhook's response; a LiveKit
 * failure is retried by {@link LiveKitRooms} and then logged (the enforcer's own RemoveParticipant on
 * {@code participant.removed} is the other net).
 */
@ApplicationScoped
public class RemovedOnJoin {
    private static final Logger LOG = Logger.getLogger(RemovedOnJoin.class);

    private final Admission admission;
    private final LiveKitRooms rooms;
    private final Counter removals;

    public RemovedOnJoin(Admission admission, LiveKitRooms rooms, MeterRegistry registry) {
        this.admission = admission;
        this.rooms = rooms;
        this.removals = Counter.builder("livestage.admission.removed_on_join")
                .description("Removed participants who joined anyway, removed again on their participant_joined")
                .register(registry);
    }

    public void check(LiveKitWebhookReceived webhook) {
        if (!"participant_joined".equals(webhook.event()) || webhook.participant() == null || webhook.room() == null) {
            return;
        }
        String room = webhook.room().name();
        String identity = webhook.participant().identity();
        admission.removed(room, identity).subscribe().with(removed -> {
            if (removed) {
                Infrastructure.getDefaultWorkerPool().execute(() -> remove(room, identity));
            }
        }, failure -> LOG.warnf("Could not check whether %s was removed from %s: %s", identity, room,
                failure.getMessage()));
    }

    private void remove(String room, String identity) {
        try {
            rooms.removeParticipant(room, identity);
            removals.increment();
            LOG.infof("Removed %s from room %s on joining: the participant was removed from the session", identity,
                    room);
        } catch (LiveKitCallFailed e) {
            LOG.warnf("Could not remove %s from room %s on joining: %s", identity, room, e.getMessage());
        }
    }
}
