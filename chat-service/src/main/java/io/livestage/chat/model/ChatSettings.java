package io.livestage.chat.model;

import java.util.List;

/** A room's chat settings, owned by chat-service; {@code blockedTerms} are shown to moderators only. */
public record ChatSettings(int slowModeSeconds, boolean signedInOnly, boolean reactionsOnly, List<String> blockedTerms) {
    public static final ChatSettings DEFAULTS = new ChatSettings(0, false, false, List.of());
}
