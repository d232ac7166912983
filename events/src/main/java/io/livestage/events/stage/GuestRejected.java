package io.livestage.events.stage;

/** {@code guest.rejected}: a host or cohost declined the request. */
public record GuestRejected(StageRequestSnapshot request) implements StageChange {
}
