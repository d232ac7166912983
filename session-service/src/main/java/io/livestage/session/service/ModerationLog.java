package io.livestage.session.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import io.livestage.session.ModerationAction;
import io.livestage.session.Session;

/** Writes a host or cohost decision to the audit trail, in the transaction that makes it. */
@ApplicationScoped
class ModerationLog {

    Uni<Void> record(Session session, String actor, String action, String target, String detail, Instant now) {
        return ModerationAction.of(session.id, actor, action, target, detail, now).persist().replaceWithVoid();
    }
}
