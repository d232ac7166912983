package io.livestage.events.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A session's audience and engagement statistics (definitions: docs/adr/0016-analytics.md). Live while the session
 * runs, final once it ended; {@code revision} counts the final versions recorded (0 for a live answer).
 */
public record SessionStats(
        String sessionId,
        String title,
        String hostId,
        String spaceId,
        Instant startedAt,
        Instant endedAt,
        boolean live,
        long durationSeconds,
        Audience audience,
        Chat chat,
        Reactions reactions,
        Stage stage,
        int revision) {

    /** A value per UTC minute. */
    public record Point(Instant minute, long value) {
    }

    /** A count under a name (a region, a device type). */
    public record Count(String name, long count) {
    }

    public record Audience(
            long concurrent,
            long peakConcurrent,
            Instant peakAt,
            long uniqueViewers,
            long views,
            long watchTimeMillis,
            long averageViewMillis,
            long medianViewMillis,
            List<Count> devices,
            List<Count> topRegions,
            List<Point> concurrencyPerMinute) {
    }

    public record Chat(long messages, double perViewer, List<Point> perMinute) {
    }

    public record Reactions(long total, Map<String, Long> byType, double perViewerMinute) {
    }

    /** The stage funnel: unique viewers -> raised a hand -> approved -> spoke. */
    public record Stage(
            long requests,
            long approvals,
            long raisedHands,
            long approved,
            long spoke,
            double participationRate,
            List<Speaker> talkTime) {
    }

    /** One stage participant's talk time and share of the total. */
    public record Speaker(String userId, String name, long seconds, double share) {
    }
}
