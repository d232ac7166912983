package io.livestage.analytics.topology;

import java.util.Map;

/**
 * One fact the topology keeps about a session (docs/adr/0016-analytics.md). Times are epoch milliseconds; null when
 * not known (yet). Each fact's key ({@link FactKeys}) makes a redelivered event overwrite itself, and each merge is
 * order-independent (a maximum, a logical or, the value of the highest sequence).
 */
public sealed interface Fact {

    /** The session, as its snapshot with the highest {@code ce_sequence} describes it. */
    record SessionMeta(long sequence, String title, String hostId, String spaceId, Long startedAt, Long endedAt)
            implements Fact {
    }

    /**
     * A stage participant: the role of the event with the highest sequence, the largest speaking time any event
     * carried, whether any snapshot showed the microphone open on stage, the name of the latest event.
     */
    record Participant(String userId, long roleSequence, String role, String name, long speakingSeconds,
            boolean spoke) implements Fact {
    }

    /** A stage request (raised hand) and whether it was approved. */
    record StageRequest(String userId, boolean requested, boolean approved) implements Fact {
    }

    /** One room-channel connection; either half may arrive first. */
    record Connection(String viewerKey, String role, String deviceType, String region, Long joinedAt, Long leftAt)
            implements Fact {
    }

    /** One chat message. */
    record Message(long sentAt) implements Fact {
    }

    /** One reaction burst: its window start and counts per reaction. */
    record Reactions(long windowStart, Map<String, Long> counts) implements Fact {
    }
}
