package io.livestage.events;

import io.livestage.events.chat.ChatMessagePosted;
import io.livestage.events.chat.ChatModerated;
import io.livestage.events.chat.ChatReactionBurst;
import io.livestage.events.chat.ViewerPresence;

/** The data of an event on {@link Topics#CHAT}. */
public sealed interface ChatEvent permits ChatMessagePosted, ChatReactionBurst, ChatModerated, ViewerPresence {
}
