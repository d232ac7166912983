package io.livestage.events.livekit;

import java.time.Instant;
import java.util.Map;

import io.livestage.events.LiveKitEvent;

/**
 * {@code livekit.webhook}: a LiveKit webhook that token-service verified (signature and body hash) and deduplicated.
 * {@code event} is LiveKit's name (participant_joined, egress_ended, ...); egress and ingress details are passed on
 * as LiveKit's own JSON objects.
 */
public record LiveKitWebhookReceived(
        String event,
        String webhookId,
        Instant createdAt,
        Room room,
        Participant participant,
        Track track,
        Map<String, Object> egressInfo,
        Map<String, Object> ingressInfo) implements LiveKitEvent {

    public record Room(String sid, String name) {
    }

    /** {@code kind}: LiveKit's participant kind (STANDARD, EGRESS, INGRESS, SIP, AGENT, ...); null in older events. */
    public record Participant(String sid, String identity, String name, String state, String kind) {
    }

    public record Track(String sid, String type, String source, boolean muted) {
    }
}
