package io.livestage.session.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

import io.livestage.session.Grace;
import io.livestage.session.config.StageConfig;
import io.livestage.session.repository.ParticipantRepository;
import io.livestage.session.repository.SessionRepository;

/**
 * Acts on LiveKit departures whose grace has run out: a participant whose connection went is gone (a guest leaves
 * the stage), a live session whose room finished ends. Each one is re-checked under the session lock, so replicas
 * sweeping at once and a rejoin at the last moment are both safe.
 */
@ApplicationScoped
public class GraceSweep {
    private static final Logger LOG = Logger.getLogger(GraceSweep.class);
    private static final int BATCH = 100;

    private final ParticipantRepository participants;
    private final SessionRepository sessions;
    private final RoomTruth room;
    private final SessionService lifecycle;
    private final Grace leaveGrace;
    private final Grace roomFinishedGrace;

    public GraceSweep(ParticipantRepository participants, SessionRepository sessions, RoomTruth room,
            SessionService lifecycle, StageConfig config) {
        this.participants = participants;
        this.sessions = sessions;
        this.room = room;
        this.lifecycle = lifecycle;
        this.leaveGrace = new Grace(config.leaveGrace());
        this.roomFinishedGrace = new Grace(config.roomFinishedGrace());
    }

    record Departure(UUID sessionId, String identity) {
    }

    @Scheduled(every = "${livestage.stage.sweep-every:5s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return expireDisconnections().chain(this::endAbandonedSessions)
                .onFailure().invoke(e -> LOG.warnf("Grace sweep failed, next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> expireDisconnections() {
        Instant cutoff = leaveGrace.cutoff(Times.now());
        Uni<List<Departure>> due = Panache.withSession(() -> participants.disconnectedBefore(cutoff, BATCH)
                .map(found -> found.stream().map(p -> new Departure(p.sessionId, p.identity)).toList()));
        return due.chain(departures -> Multi.createFrom().iterable(departures)
                .onItem().transformToUniAndConcatenate(d -> room.expireDisconnection(d.sessionId(), d.identity()))
                .collect().last().replaceWithVoid());
    }

    private Uni<Void> endAbandonedSessions() {
        Instant cutoff = roomFinishedGrace.cutoff(Times.now());
        return Panache.withSession(() -> sessions.roomFinishedBefore(cutoff, BATCH))
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> lifecycle.endAbandoned(id, roomFinishedGrace))
                        .collect().last().replaceWithVoid());
    }
}
