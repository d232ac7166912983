package io.livestage.recording.event;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.livestage.events.CloudEvent;
import io.livestage.events.LiveKitEvent;
import io.livestage.events.livekit.EgressInfo;
import io.livestage.events.livekit.IngressInfo;
import io.livestage.events.livekit.LiveKitWebhookReceived;
import io.livestage.platform.kafka.EventReader;
import io.livestage.recording.service.OutputUpdates;
import io.livestage.recording.service.SpeakerTracks;
import io.livestage.recording.service.TrackRecordings;
import io.livestage.recording.streaming.service.StreamUpdates;

/**
 * LiveKit's egress webhooks from {@code livestage.livekit} (one consumer group for all instances): each report of an
 * egress moves its output on, with the event that announces it, in one transaction with the webhook's {@code ce_id}
 * in the processed-events log. Egresses that are not a recording's are skipped there; a session stream's egress and the OBS ingress go to {@link StreamUpdates}. Speakers' microphone tracks being
 * published and unpublished, and speakers leaving, drive the speaker tracks ({@link TrackRecordings}).
 */
@ApplicationScoped
public class EgressWebhooks {
    static final String CONSUMER = "recording-service.egress-webhooks";
    static final String TRACKS_CONSUMER = "recording-service.speaker-tracks";
    static final String STREAM_CONSUMER = "recording-service.stream-webhooks";
    private static final Set<String> INGRESS_EVENTS = Set.of("ingress_started", "ingress_ended");
    private static final Set<String> EGRESS_EVENTS = Set.of("egress_started", "egress_updated", "egress_ended");

    private final EventReader events;
    private final OutputUpdates updates;
    private final TrackRecordings tracks;
    private final StreamUpdates streams;

    public EgressWebhooks(EventReader events, OutputUpdates updates, TrackRecordings tracks, StreamUpdates streams) {
        this.streams = streams;
        this.events = events;
        this.updates = updates;
        this.tracks = tracks;
    }

    @Incoming("livekit-webhooks")
    public Uni<Void> onWebhook(ConsumerRecord<String, byte[]> record) {
        CloudEvent<LiveKitEvent> event = events.read(CONSUMER, record, LiveKitEvent.class).orElse(null);
        if (event == null || event.id() == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (event.data()) {
            case LiveKitWebhookReceived webhook when EGRESS_EVENTS.contains(webhook.event())
                    && webhook.egressInfo() != null -> {
                EgressInfo info = EgressInfo.of(webhook.egressInfo());
                yield updates.apply(info, CONSUMER, event.id(), Instant.now())
                        .chain(() -> streams.egress(info, STREAM_CONSUMER, event.id(), Instant.now()));
            }
            case LiveKitWebhookReceived webhook when INGRESS_EVENTS.contains(webhook.event())
                    && webhook.ingressInfo() != null ->
                streams.ingress(IngressInfo.of(webhook.ingressInfo()), STREAM_CONSUMER, event.id(), Instant.now());
            case LiveKitWebhookReceived webhook -> SpeakerTracks.of(webhook)
                    .map(change -> tracks.apply(change, TRACKS_CONSUMER, event.id(), Instant.now()).replaceWithVoid())
                    .orElse(Uni.createFrom().voidItem());
        };
    }
}
