package io.livestage.analytics.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.livestage.analytics.topology.Fact;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.analytics.SessionStats.Count;
import io.livestage.events.analytics.SessionStats.Point;
import io.livestage.events.participant.ParticipantRole;

/**
 * A session's statistics as a pure function of its facts and the current time: the definitions of
 * docs/adr/0016-analytics.md, in one place. Nothing here depends on the order the facts arrived in.
 */
public final class StatsCalculator {
    private static final long MINUTE = 60_000;
    private static final int TOP_REGIONS = 10;
    private static final String UNKNOWN = "unknown";

    private StatsCalculator() {
    }

    /** A viewer's merged watching segment {@code [start, end)}. */
    private record Segment(long start, long end) {
    }

    public static SessionStats compute(SessionFacts facts, Instant now, Duration viewGrace) {
        return computeWithViewers(facts, now, viewGrace, 0).stats();
    }

    /** The statistics and what the final record keeps next to them: the viewers (keys) and the cohosts. */
    public record Computed(SessionStats stats, Set<String> viewerKeys, List<String> cohosts) {
    }

    public static Computed computeWithViewers(SessionFacts facts, Instant now, Duration viewGrace, int revision) {
        Fact.SessionMeta meta = facts.meta();
        long nowMs = now.toEpochMilli();
        Long started = meta == null ? null : meta.startedAt();
        Long ended = meta == null ? null : meta.endedAt();
        boolean live = started != null && ended == null;
        long windowStart = started == null ? Long.MIN_VALUE : started;
        long windowEnd = ended != null ? ended : nowMs;
        long grace = viewGrace.toMillis();

        // viewers' clipped intervals, devices, regions
        Map<String, List<long[]>> intervals = new HashMap<>();
        Map<String, Set<String>> devices = new HashMap<>();
        Map<String, Set<String>> regions = new HashMap<>();
        Set<String> watchingNow = new HashSet<>();
        for (Fact.Connection c : facts.connections()) {
            if (c.joinedAt() == null || !ParticipantRole.VIEWER.name().equals(c.role())) {
                continue;
            }
            long from = Math.max(c.joinedAt(), windowStart);
            long to = Math.min(c.leftAt() == null ? windowEnd : c.leftAt(), windowEnd);
            if (live && c.joinedAt() <= nowMs && (c.leftAt() == null || c.leftAt() > nowMs)) {
                watchingNow.add(c.viewerKey());
            }
            if (from >= to) {
                continue;
            }
            intervals.computeIfAbsent(c.viewerKey(), k -> new ArrayList<>()).add(new long[] {from, to});
            devices.computeIfAbsent(orUnknown(c.deviceType()), k -> new HashSet<>()).add(c.viewerKey());
            regions.computeIfAbsent(orUnknown(c.region()), k -> new HashSet<>()).add(c.viewerKey());
        }

        // merged segments per viewer, views by the grace, watch time per view
        List<Segment> segments = new ArrayList<>();
        List<Long> viewTimes = new ArrayList<>();
        for (List<long[]> list : intervals.values()) {
            list.sort(Comparator.comparingLong(a -> a[0]));
            long segStart = list.get(0)[0];
            long segEnd = list.get(0)[1];
            List<Segment> merged = new ArrayList<>();
            for (int i = 1; i < list.size(); i++) {
                long[] next = list.get(i);
                if (next[0] <= segEnd) {
                    segEnd = Math.max(segEnd, next[1]);
                } else {
                    merged.add(new Segment(segStart, segEnd));
                    segStart = next[0];
                    segEnd = next[1];
                }
            }
            merged.add(new Segment(segStart, segEnd));
            segments.addAll(merged);
            long view = merged.get(0).end() - merged.get(0).start();
            for (int i = 1; i < merged.size(); i++) {
                Segment seg = merged.get(i);
                if (seg.start() - merged.get(i - 1).end() > grace) {
                    viewTimes.add(view);
                    view = 0;
                }
                view += seg.end() - seg.start();
            }
            viewTimes.add(view);
        }
        long views = viewTimes.size();
        long watch = viewTimes.stream().mapToLong(Long::longValue).sum();
        List<Long> sortedViews = viewTimes.stream().sorted().toList();
        long median = views == 0 ? 0
                : views % 2 == 1 ? sortedViews.get((int) (views / 2))
                        : Math.floorDiv(sortedViews.get((int) (views / 2) - 1) + sortedViews.get((int) (views / 2)), 2);

        // concurrency: leaves before joins at the same instant (half-open intervals)
        long[][] edges = new long[segments.size() * 2][];
        int e = 0;
        for (Segment s : segments) {
            edges[e++] = new long[] {s.start(), 1};
            edges[e++] = new long[] {s.end(), -1};
        }
        java.util.Arrays.sort(edges, Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        long current = 0;
        long peak = 0;
        Long peakAt = null;
        for (long[] edge : edges) {
            current += edge[1];
            if (current > peak) {
                peak = current;
                peakAt = edge[0];
            }
        }

        // per-minute series (once the start is known)
        List<Long> minutes = new ArrayList<>();
        if (started != null && windowEnd > windowStart) {
            for (long m = Math.floorDiv(windowStart, MINUTE) * MINUTE; m < windowEnd; m += MINUTE) {
                minutes.add(m);
            }
        }
        List<Point> concurrency = new ArrayList<>(minutes.size());
        int next = 0;
        current = 0;
        for (long m : minutes) {
            while (next < edges.length && edges[next][0] <= m) {
                current += edges[next++][1];
            }
            long max = current;
            while (next < edges.length && edges[next][0] < m + MINUTE) {
                current += edges[next++][1];
                max = Math.max(max, current);
            }
            concurrency.add(new Point(Instant.ofEpochMilli(m), max));
        }

        // chat
        TreeMap<Long, Long> chatPerMinute = new TreeMap<>();
        long messages = 0;
        for (long sentAt : facts.messages()) {
            if (sentAt >= windowStart && sentAt < windowEnd) {
                messages++;
                chatPerMinute.merge(Math.floorDiv(sentAt, MINUTE) * MINUTE, 1L, Long::sum);
            }
        }
        List<Point> chatSeries = minutes.stream()
                .map(m -> new Point(Instant.ofEpochMilli(m), chatPerMinute.getOrDefault(m, 0L))).toList();

        // reactions
        Map<String, Long> byType = new TreeMap<>();
        long reactions = 0;
        for (Fact.Reactions burst : facts.reactions()) {
            if (burst.windowStart() >= windowStart && burst.windowStart() < windowEnd) {
                for (Map.Entry<String, Long> c : burst.counts().entrySet()) {
                    byType.merge(c.getKey(), c.getValue(), Long::sum);
                    reactions += c.getValue();
                }
            }
        }

        // stage funnel and talk time
        long requests = 0;
        long approvals = 0;
        Set<String> raised = new HashSet<>();
        Set<String> approved = new HashSet<>();
        for (Fact.StageRequest r : facts.requests()) {
            if (r.requested()) {
                requests++;
                raised.add(r.userId());
            }
            if (r.approved()) {
                approvals++;
                approved.add(r.userId());
            }
        }
        Set<String> spoke = new HashSet<>();
        List<SessionStats.Speaker> speakers = new ArrayList<>();
        List<String> cohosts = new ArrayList<>();
        long talkTotal = 0;
        for (Fact.Participant p : facts.participants().values()) {
            if (p.spoke() && approved.contains(p.userId())) {
                spoke.add(p.userId());
            }
            if (ParticipantRole.COHOST.name().equals(p.role())) {
                cohosts.add(p.userId());
            }
            talkTotal += Math.max(0, p.speakingSeconds());
        }
        for (Fact.Participant p : facts.participants().values()) {
            if (p.speakingSeconds() > 0 || onStage(p.role())) {
                speakers.add(new SessionStats.Speaker(p.userId(), p.name(), p.speakingSeconds(),
                        ratio(p.speakingSeconds(), talkTotal)));
            }
        }
        speakers.sort(Comparator.comparingLong(SessionStats.Speaker::seconds).reversed()
                .thenComparing(SessionStats.Speaker::userId, Comparator.nullsLast(Comparator.naturalOrder())));
        cohosts.sort(Comparator.naturalOrder());

        long unique = intervals.size();
        long duration = started == null ? 0 : Math.max(0, (windowEnd - started) / 1000);
        SessionStats stats = new SessionStats(facts.sessionId(), meta == null ? null : meta.title(),
                meta == null ? null : meta.hostId(), meta == null ? null : meta.spaceId(),
                started == null ? null : Instant.ofEpochMilli(started), ended == null ? null : Instant.ofEpochMilli(ended),
                live, duration,
                new SessionStats.Audience(watchingNow.size(), peak, peakAt == null ? null : Instant.ofEpochMilli(peakAt),
                        unique, views, watch, views == 0 ? 0 : watch / views, median, counts(devices, Integer.MAX_VALUE),
                        counts(regions, TOP_REGIONS), concurrency),
                new SessionStats.Chat(messages, ratio(messages, unique), chatSeries),
                new SessionStats.Reactions(reactions, byType, ratio(reactions * MINUTE, watch)),
                new SessionStats.Stage(requests, approvals, raised.size(), approved.size(), spoke.size(),
                        ratio(approved.size(), unique), speakers),
                revision);
        return new Computed(stats, intervals.keySet(), cohosts);
    }

    private static boolean onStage(String role) {
        return role != null && !ParticipantRole.VIEWER.name().equals(role);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    private static List<Count> counts(Map<String, Set<String>> sets, int limit) {
        return sets.entrySet().stream()
                .map(entry -> new Count(entry.getKey(), entry.getValue().size()))
                .sorted(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::name))
                .limit(limit)
                .toList();
    }

    /** {@code numerator / denominator} rounded half-up to 4 decimals; 0 over 0. */
    static double ratio(long numerator, long denominator) {
        if (denominator == 0) {
            return 0;
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_UP)
                .doubleValue();
    }
}
