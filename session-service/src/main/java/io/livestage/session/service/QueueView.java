package io.livestage.session.service;

import java.util.List;

/** The stage queue as one caller may see it: all of it for moderators, only their own entry for anyone else. */
public record QueueView(List<QueueEntry> items, QueueEntry mine, boolean moderator) {

    static QueueView of(List<QueueEntry> ranked, String callerId, boolean moderator) {
        QueueEntry mine = ranked.stream().filter(e -> e.request().identity.equals(callerId)).findFirst().orElse(null);
        return new QueueView(moderator ? ranked : List.of(), mine, moderator);
    }
}
