package io.livestage.events;

import io.livestage.events.participant.ParticipantChange;
import io.livestage.events.session.SessionChange;
import io.livestage.events.stage.StageChange;

/**
 * The data of an event on {@link Topics#SESSION}: a session change, a participant change or a stage request change
 * ({@code guest.approved} is both of the last two). A consumer {@code switch}es over it.
 */
public sealed interface SessionEvent permits SessionChange, ParticipantChange, StageChange {
}
