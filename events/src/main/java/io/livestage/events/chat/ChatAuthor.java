package io.livestage.events.chat;

import io.livestage.events.participant.ParticipantRole;

/** Who wrote a chat message: user id ({@code sub}), display name and the role badge at the time of writing. */
public record ChatAuthor(String userId, String name, ParticipantRole role) {
}
