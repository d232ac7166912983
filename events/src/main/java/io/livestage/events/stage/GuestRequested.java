package io.livestage.events.stage;

/** {@code guest.requested}: a viewer raised a hand; {@code position} is 1-based in the queue at that moment. */
public record GuestRequested(StageRequestSnapshot request, int position) implements StageChange {
}
