package io.livestage.events.stage;

public enum StageRequestStatus {
    PENDING, APPROVED, REJECTED, WITHDRAWN, EXPIRED
}
