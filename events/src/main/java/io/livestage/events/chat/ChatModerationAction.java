package io.livestage.events.chat;

/** What a moderator (host or cohost) did to a session's chat. */
public enum ChatModerationAction {
    MESSAGE_DELETED,
    USER_TIMED_OUT,
    USER_BANNED,
    USER_UNBANNED,
    SETTINGS_CHANGED
}
