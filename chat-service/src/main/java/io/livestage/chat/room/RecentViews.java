package io.livestage.chat.room;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.livestage.chat.model.MemberView;
import io.livestage.chat.model.SessionView;

/**
 * The newest session and participant views this instance's feed has seen, for the last sessions active on Kafka.
 * A room opened just after an event passed (and before the shared projection wrote it) still starts from the newest
 * state: the room takes the newer of the database row and this.
 */
final class RecentViews {
    private final int maxSessions;
    private final int maxMembersPerSession;
    private final LinkedHashMap<String, Views> entries;

    private static final class Views {
        SessionView session;
        final LinkedHashMap<String, MemberView> members;

        Views(int maxMembers) {
            members = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, MemberView> eldest) {
                    return size() > maxMembers;
                }
            };
        }
    }

    RecentViews(int maxSessions, int maxMembersPerSession) {
        this.maxSessions = maxSessions;
        this.maxMembersPerSession = maxMembersPerSession;
        this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Views> eldest) {
                return size() > RecentViews.this.maxSessions;
            }
        };
    }

    synchronized void session(SessionView view) {
        Views entry = entries.computeIfAbsent(view.id(), id -> new Views(maxMembersPerSession));
        entry.session = view.newest(entry.session);
    }

    synchronized void member(String sessionId, MemberView view) {
        Views entry = entries.computeIfAbsent(sessionId, id -> new Views(maxMembersPerSession));
        entry.members.merge(view.userId(), view, MemberView::newest);
    }

    synchronized SessionView session(String sessionId) {
        Views entry = entries.get(sessionId);
        return entry == null ? null : entry.session;
    }

    synchronized MemberView member(String sessionId, String userId) {
        Views entry = entries.get(sessionId);
        return entry == null ? null : entry.members.get(userId);
    }

    synchronized Iterable<MemberView> members(String sessionId) {
        Views entry = entries.get(sessionId);
        return entry == null ? List.of() : List.copyOf(entry.members.values());
    }
}
