package io.livestage.session.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.livestage.session.StageRequest;

/**
 * The order in which raised hands are listed and served (ADR 0002): more XP first, then longer waiting, then less
 * past speaking time, then the id so that every reader sees the same positions.
 */
final class QueueOrder {
    /** The id compares as its canonical text, which is PostgreSQL's uuid order (UUID.compareTo is signed). */
    static final Comparator<StageRequest> ORDER = Comparator.<StageRequest>comparingInt(r -> r.xp).reversed()
            .thenComparing(r -> r.requestedAt)
            .thenComparingLong(r -> r.speakingSeconds)
            .thenComparing(r -> r.id.toString());

    private QueueOrder() {
    }

    /** The pending requests in queue order, numbered from 1. */
    static List<QueueEntry> rank(List<StageRequest> pending) {
        List<StageRequest> sorted = new ArrayList<>(pending);
        sorted.sort(ORDER);
        List<QueueEntry> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            ranked.add(new QueueEntry(sorted.get(i), i + 1));
        }
        return ranked;
    }

    /** {@code request} with its place among {@code pending}; position 0 when it is not among them. */
    static QueueEntry placeOf(List<StageRequest> pending, StageRequest request) {
        int position = rank(pending).stream().filter(e -> e.request().id.equals(request.id))
                .mapToInt(QueueEntry::position).findFirst().orElse(0);
        return new QueueEntry(request, position);
    }
}
