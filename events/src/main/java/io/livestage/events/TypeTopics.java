package io.livestage.events;

import java.util.Arrays;
import java.util.List;

/**
 * The per-type topics of the public catalogue: every event is also published, exactly once, on a topic named exactly
 * like its type ({@code session.started}, {@code guest.approved}, {@code transcript.segment}, ...), for teams that
 * subscribe by event name. The aggregate topics of {@link Topics} stay the ordered log (per-session order across
 * types); the type topics carry the same records (key, value and CloudEvents headers), routed from them by the
 * owning service (docs/adr/0006-type-topics.md). Read them with {@code isolation.level=read_committed}.
 */
public final class TypeTopics {

    private TypeTopics() {
    }

    /** The topic that carries only events of {@code type}: its type name. */
    public static String of(EventType type) {
        return type.typeName();
    }

    /** The type topics fed by one aggregate topic. */
    public static List<String> routedFrom(String aggregateTopic) {
        return Arrays.stream(EventType.values()).filter(t -> t.topic().equals(aggregateTopic)).map(TypeTopics::of)
                .toList();
    }
}
