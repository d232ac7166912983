package io.livestage.analytics.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.livestage.analytics.replay.SyntheticLog.Connection;
import io.livestage.analytics.replay.SyntheticLog.Message;
import io.livestage.analytics.replay.SyntheticLog.Outcome;
import io.livestage.analytics.replay.SyntheticLog.Participant;
import io.livestage.analytics.replay.SyntheticLog.Reaction;
import io.livestage.analytics.replay.SyntheticLog.Request;
import io.livestage.analytics.replay.SyntheticLog.SessionPlan;
import io.livestage.analytics.replay.SyntheticLog.Step;
import io.livestage.analytics.replay.SyntheticLog.StepKind;
import io.livestage.events.analytics.SessionStats;
import io.livestage.events.participant.ParticipantRole;

/**
 * The statistics docs/adr/0016-analytics.md defines, computed from a {@link SessionPlan} (what happened), not from
 * events: the independent oracle the topology's answers are compared with. Written from the ADR's text, by brute
 * force where that is the most obviously right way (concurrency is counted at every instant where it can change).
 *
 * <p>Readings of points the ADR leaves open (each marked "Reading" below):
 * <ol>
 * <li>Concurrent "now" of a live session: the window is {@code [startedAt, now)}, so no clipped segment contains now
 * itself; read as the viewers with a (VIEWER, JOINED-known) connection open at now: {@code joinedAt <= now} and no
 * LEFT or {@code leftAt > now}.</li>
 * <li>Devices and regions count the devices/regions of the connections that watched while live (non-empty clipped
 * interval); a connection that was only in the lobby or only after the end adds nothing.</li>
 * <li>Devices are listed whole (no top N), ordered like the regions: count descending, then name ascending.</li>
 * <li>{@code unknown} (no region) competes for the top 10 like a code; names compare by {@link String#compareTo}
 * (so {@code "US" < "unknown"}).</li>
 * <li>Ratios are rounded from the exact quotient ({@code BigDecimal} division, HALF_UP, scale 4), not from a double.
 * </li>
 * <li>The last minute of the series is the minute of the window's last millisecond ({@code end - 1 ms}): a session
 * ending exactly at hh:mm:00.000 has no point for hh:mm.</li>
 * <li>Talk time: a stage participant is one whose latest role is HOST/COHOST/GUEST or who carried
 * {@code speakingSeconds > 0} (time on stage that later was demoted to VIEWER still counts in the sum); a stage
 * participant with 0 seconds is listed with share 0. Participants of a session that never had an event are none.</li>
 * <li>The stage funnel is not limited to the window and not limited to users who are viewers: every
 * {@code guest.requested}/{@code guest.approved} of the session counts (the ADR names no filter).</li>
 * <li>Output times ({@code startedAt}, {@code endedAt}, {@code peakAt}) are the truncated milliseconds.</li>
 * <li>averageViewMillis and medianViewMillis are 0 when there are no views.</li>
 * </ol>
 */
public final class ExpectedStats {
    private static final long MINUTE = 60_000;

    private ExpectedStats() {
    }

    /** The same statistics with {@code revision} 0, for comparing a final answer whose revision is not known. */
    public static SessionStats withoutRevision(SessionStats s) {
        return new SessionStats(s.sessionId(), s.title(), s.hostId(), s.spaceId(), s.startedAt(), s.endedAt(), s.live(),
                s.durationSeconds(), s.audience(), s.chat(), s.reactions(), s.stage(), 0);
    }

    /** The statistics of {@code session} at {@code now} (only matters while it is live), revision 0. */
    public static SessionStats of(SessionPlan session, Instant now, Duration viewGrace) {
        if (session.startedAt() == null) {
            throw new IllegalArgumentException("the oracle covers started sessions only");
        }
        long start = ms(session.startedAt());
        long nowMs = ms(now);
        boolean live = session.endedAt() == null;
        long end = live ? nowMs : ms(session.endedAt());
        long grace = viewGrace.toMillis();

        // viewer key -> clipped, non-empty intervals of its VIEWER connections whose JOINED is known
        Map<String, List<long[]>> intervals = new TreeMap<>();
        Map<String, Set<String>> devices = new TreeMap<>();
        Map<String, Set<String>> regions = new TreeMap<>();
        Set<String> connectedNow = new HashSet<>();
        for (Connection c : session.connections()) {
            if (c.role() != ParticipantRole.VIEWER || !c.joinDelivered()) {
                continue;
            }
            String viewer = c.userId() != null ? "user:" + c.userId() : "anonymous:" + c.connectionId();
            long joined = ms(c.joinedAt());
            Long left = c.leftAt() == null ? null : ms(c.leftAt());
            if (live && joined <= nowMs && (left == null || left > nowMs)) {
                connectedNow.add(viewer);
            }
            long from = Math.max(joined, start);
            long to = left == null ? end : Math.min(left, end);
            if (from >= to) {
                continue;
            }
            intervals.computeIfAbsent(viewer, k -> new ArrayList<>()).add(new long[] {from, to});
            devices.computeIfAbsent(c.deviceType() == null ? "unknown" : c.deviceType(), k -> new TreeSet<>())
                    .add(viewer);
            regions.computeIfAbsent(c.region() == null ? "unknown" : c.region(), k -> new TreeSet<>()).add(viewer);
        }

        // merged segments per viewer (overlapping or touching), then views (gap <= grace)
        Map<String, List<long[]>> segments = new TreeMap<>();
        List<Long> viewTimes = new ArrayList<>();
        for (Map.Entry<String, List<long[]>> e : intervals.entrySet()) {
            List<long[]> sorted = new ArrayList<>(e.getValue());
            sorted.sort(Comparator.comparingLong((long[] i) -> i[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] i : sorted) {
                long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && i[0] <= last[1]) {
                    last[1] = Math.max(last[1], i[1]);
                } else {
                    merged.add(new long[] {i[0], i[1]});
                }
            }
            segments.put(e.getKey(), merged);
            long view = 0;
            for (int k = 0; k < merged.size(); k++) {
                if (k > 0 && merged.get(k)[0] - merged.get(k - 1)[1] > grace) {
                    viewTimes.add(view);
                    view = 0;
                }
                view += merged.get(k)[1] - merged.get(k)[0];
            }
            viewTimes.add(view);
        }
        long uniqueViewers = segments.size();
        long views = viewTimes.size();
        long watch = viewTimes.stream().mapToLong(Long::longValue).sum();
        long average = views == 0 ? 0 : watch / views;
        List<Long> sortedViews = viewTimes.stream().sorted().toList();
        long median;
        if (views == 0) {
            median = 0;
        } else if (views % 2 == 1) {
            median = sortedViews.get((int) (views / 2));
        } else {
            long a = sortedViews.get((int) (views / 2) - 1);
            long b = sortedViews.get((int) (views / 2));
            median = Math.floorDiv(a + b, 2);
        }

        // peak: concurrency only rises where a segment starts, so the first instant of the peak is a segment start
        long peak = 0;
        Long peakAt = null;
        TreeSet<Long> segmentStarts = new TreeSet<>();
        segments.values().forEach(list -> list.forEach(s -> segmentStarts.add(s[0])));
        for (long t : segmentStarts) {
            long n = concurrency(segments, t);
            if (n > peak) {
                peak = n;
                peakAt = t;
            }
        }

        // the UTC minutes overlapping [start, end): from start's minute to the minute of end - 1 ms
        List<Long> minutes = new ArrayList<>();
        if (end > start) {
            for (long m = Math.floorDiv(start, MINUTE) * MINUTE; m <= Math.floorDiv(end - 1, MINUTE) * MINUTE;
                    m += MINUTE) {
                minutes.add(m);
            }
        }
        List<SessionStats.Point> perMinute = new ArrayList<>();
        for (long m : minutes) {
            long lo = Math.max(m, start);
            long hi = Math.min(m + MINUTE, end);
            long max = concurrency(segments, lo);
            for (long t : segmentStarts.subSet(lo, false, hi, false)) {
                max = Math.max(max, concurrency(segments, t));
            }
            perMinute.add(new SessionStats.Point(Instant.ofEpochMilli(m), max));
        }

        List<SessionStats.Count> deviceCounts = counts(devices, Integer.MAX_VALUE);
        List<SessionStats.Count> topRegions = counts(regions, 10);
        SessionStats.Audience audience = new SessionStats.Audience(live ? connectedNow.size() : 0, peak,
                peakAt == null ? null : Instant.ofEpochMilli(peakAt), uniqueViewers, views, watch, average, median,
                deviceCounts, topRegions, perMinute);

        // chat: each message once (the plan has no duplicates), sentAt in the window
        Map<Long, Long> chatPerMinute = new TreeMap<>();
        long messages = 0;
        for (Message m : session.messages()) {
            long t = ms(m.sentAt());
            if (t >= start && t < end) {
                messages++;
                chatPerMinute.merge(Math.floorDiv(t, MINUTE) * MINUTE, 1L, Long::sum);
            }
        }
        List<SessionStats.Point> chatSeries = new ArrayList<>();
        for (long m : minutes) {
            chatSeries.add(new SessionStats.Point(Instant.ofEpochMilli(m), chatPerMinute.getOrDefault(m, 0L)));
        }
        SessionStats.Chat chat = new SessionStats.Chat(messages, ratio(messages, uniqueViewers), chatSeries);

        // reactions: bursts whose windowStart is in the window; per viewer-minute = total / (watch ms / 60000)
        long reactionTotal = 0;
        Map<String, Long> byType = new TreeMap<>();
        for (Reaction r : session.reactions()) {
            long t = ms(r.windowStart());
            if (t >= start && t < end) {
                reactionTotal += r.total();
                r.counts().forEach((type, n) -> byType.merge(type, n, Long::sum));
            }
        }
        double perViewerMinute = watch == 0 ? 0.0
                : BigDecimal.valueOf(reactionTotal).multiply(BigDecimal.valueOf(MINUTE))
                        .divide(BigDecimal.valueOf(watch), 4, RoundingMode.HALF_UP).doubleValue();
        SessionStats.Reactions reactions = new SessionStats.Reactions(reactionTotal, byType, perViewerMinute);

        // stage funnel
        Set<String> requestIds = new HashSet<>();
        Set<String> approvalIds = new HashSet<>();
        Set<String> raised = new HashSet<>();
        Set<String> approved = new HashSet<>();
        for (Request r : session.requests()) {
            requestIds.add(r.requestId());
            raised.add(r.userId());
            if (r.outcome() == Outcome.APPROVED) {
                approvalIds.add(r.requestId());
                approved.add(r.userId());
            }
        }
        // spoke: LiveKit reported the microphone published and unmuted while on stage, i.e. a media-changed of the
        // MICROPHONE with audioMuted=false and an on-stage role; other snapshots with an open microphone do not count
        Set<String> micOpenOnStage = new HashSet<>();
        for (Participant p : session.participants()) {
            for (Step s : p.steps()) {
                if (s.kind() == StepKind.MEDIA && s.role().onStage() && !s.audioMuted()) {
                    micOpenOnStage.add(p.userId());
                }
            }
        }
        long spoke = approved.stream().filter(micOpenOnStage::contains).count();

        // talk time
        record Talk(String userId, String name, long seconds) {
        }
        List<Talk> talks = new ArrayList<>();
        for (Participant p : session.participants()) {
            if (p.steps().isEmpty()) {
                continue;
            }
            long max = p.steps().stream().mapToLong(Step::speakingSeconds).max().orElse(0);
            ParticipantRole latest = p.steps().get(p.steps().size() - 1).role();
            if (latest.onStage() || max > 0) {
                talks.add(new Talk(p.userId(), p.name(), max));
            }
        }
        long talkSum = talks.stream().mapToLong(Talk::seconds).sum();
        List<SessionStats.Speaker> speakers = talks.stream()
                .sorted(Comparator.comparingLong(Talk::seconds).reversed().thenComparing(Talk::userId))
                .map(t -> new SessionStats.Speaker(t.userId(), t.name(), t.seconds(), ratio(t.seconds(), talkSum)))
                .toList();
        SessionStats.Stage stage = new SessionStats.Stage(requestIds.size(), approvalIds.size(), raised.size(),
                approved.size(), spoke, ratio(approved.size(), uniqueViewers), speakers);

        long durationSeconds = Math.floorDiv(end - start, 1000);
        return new SessionStats(session.id(), session.title(), session.hostId(), session.spaceId(),
                Instant.ofEpochMilli(start), live ? null : Instant.ofEpochMilli(end), live, durationSeconds, audience,
                chat, reactions, stage, 0);
    }

    /** Viewers with a merged segment containing {@code t}: {@code from <= t < to}. */
    static long concurrency(Map<String, List<long[]>> segments, long t) {
        long n = 0;
        for (List<long[]> list : segments.values()) {
            for (long[] s : list) {
                if (s[0] <= t && t < s[1]) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Distinct viewers per name, count descending then name ascending, the first {@code limit}. */
    private static List<SessionStats.Count> counts(Map<String, Set<String>> viewersByName, int limit) {
        Map<String, Long> counts = new LinkedHashMap<>();
        viewersByName.forEach((name, viewers) -> counts.put(name, (long) viewers.size()));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .map(e -> new SessionStats.Count(e.getKey(), e.getValue()))
                .toList();
    }

    /** {@code numerator / denominator} rounded half-up to 4 decimals; 0 over zero. */
    static double ratio(long numerator, long denominator) {
        if (denominator == 0) {
            return 0.0;
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 4, RoundingMode.HALF_UP)
                .doubleValue();
    }

    private static long ms(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toEpochMilli();
    }
}
