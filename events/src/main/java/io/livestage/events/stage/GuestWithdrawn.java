package io.livestage.events.stage;

/** {@code guest.withdrawn}: the requester lowered the hand, or left the session while waiting. */
public record GuestWithdrawn(StageRequestSnapshot request) implements StageChange {
}
