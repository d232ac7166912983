package io.livestage.events.chat;

/**
 * The chat settings of a session after a moderator changed them. The blocked terms themselves stay private to the
 * moderators; only how many there are is published.
 */
public record ChatSettingsSnapshot(int slowModeSeconds, boolean signedInOnly, boolean reactionsOnly,
        int blockedTermCount) {
}
