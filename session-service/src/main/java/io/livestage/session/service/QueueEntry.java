package io.livestage.session.service;

import io.livestage.session.StageRequest;

/** A stage request and its 1-based place in the queue (0 when it is no longer waiting). */
public record QueueEntry(StageRequest request, int position) {
}
