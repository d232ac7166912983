package io.livestage.analytics.service;

import java.util.List;

import io.livestage.events.analytics.SessionStats;

/** A session's statistics and who besides its host may read them ({@code cohosts}); {@code recorded} = final row. */
public record SessionAnswer(SessionStats stats, List<String> cohosts, boolean recorded) {

    /** The host, a cohost, or an admin. */
    public boolean readableBy(String user, boolean admin) {
        return admin || (user != null && (user.equals(stats.hostId()) || cohosts.contains(user)));
    }
}
