package io.livestage.events;

import io.livestage.events.livekit.LiveKitWebhookReceived;

/** The data of an event on {@link Topics#LIVEKIT}. */
public sealed interface LiveKitEvent permits LiveKitWebhookReceived {
}
