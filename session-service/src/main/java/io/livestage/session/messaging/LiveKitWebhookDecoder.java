package io.livestage.session.messaging;

import java.io.IOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.livestage.events.livekit.LiveKitWebhookReceived;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code livekit.webhook} event's data as its record; fields added to the schema later are ignored. */
@ApplicationScoped
public class LiveKitWebhookDecoder {
    private final ObjectReader reader;

    public LiveKitWebhookDecoder(ObjectMapper json) {
        this.reader = json.readerFor(LiveKitWebhookReceived.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public LiveKitWebhookReceived decode(byte[] data) throws IOException {
        return reader.readValue(data);
    }
}
