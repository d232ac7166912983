package io.livestage.transcription.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

/** The speaker streams of this instance, by session id and user id. */
@ApplicationScoped
public class StreamRegistry {
    private final Map<String, Map<String, SpeakerStream>> bySession = new ConcurrentHashMap<>();
    private volatile Consumer<SpeakerStreamStop> stopper = stop -> { };

    /** A request to stop one stream, with the reason the speaker is told. */
    public record SpeakerStreamStop(SpeakerStream stream, String reason) {
    }

    void onStop(Consumer<SpeakerStreamStop> stopper) {
        this.stopper = stopper;
    }

    /** Registers the stream; false when the user already streams in this session from this instance. */
    public boolean add(SpeakerStream stream) {
        Map<String, SpeakerStream> speakers = bySession.computeIfAbsent(stream.sessionId().toString(),
                k -> new ConcurrentHashMap<>());
        return speakers.putIfAbsent(stream.userId(), stream) == null;
    }

    public void remove(SpeakerStream stream) {
        bySession.computeIfPresent(stream.sessionId().toString(), (k, speakers) -> {
            speakers.remove(stream.userId(), stream);
            return speakers.isEmpty() ? null : speakers;
        });
    }

    public boolean isEmpty(String sessionId) {
        return !bySession.containsKey(sessionId);
    }

    public int size() {
        return bySession.values().stream().mapToInt(Map::size).sum();
    }

    public void stopSpeaker(String sessionId, String userId, String reason) {
        Map<String, SpeakerStream> speakers = bySession.get(sessionId);
        SpeakerStream stream = speakers == null ? null : speakers.get(userId);
        if (stream != null) {
            stopper.accept(new SpeakerStreamStop(stream, reason));
        }
    }

    public void stopSession(String sessionId, String reason) {
        Map<String, SpeakerStream> speakers = bySession.get(sessionId);
        if (speakers != null) {
            speakers.values().forEach(stream -> stopper.accept(new SpeakerStreamStop(stream, reason)));
        }
    }

    public Iterable<SpeakerStream> all() {
        return bySession.values().stream().flatMap(m -> m.values().stream()).toList();
    }
}
