package io.livestage.session.service;

import io.livestage.platform.problem.ProblemException;
import io.livestage.platform.problem.ProblemType;
import io.livestage.session.Participant;
import io.livestage.session.Session;

/** The locked session and the caller's participant record (null when the caller never joined). */
record Scene(Session session, Participant me) {

    boolean callerModerates(String userId) {
        return session.isHostedBy(userId) || (me != null && me.isPresent() && me.role.moderates());
    }

    void requireModerator(Caller caller) {
        if (!callerModerates(caller.userId())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the host and cohosts can do this");
        }
    }

    /** The caller's record when they are in the room; a 409 saying {@code otherwise} when they are not. */
    Participant presentMe(String otherwise) {
        if (me == null || !me.isPresent()) {
            throw ProblemException.conflict(otherwise);
        }
        return me;
    }
}
