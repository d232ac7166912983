package io.livestage.session.messaging;

/** LiveKit participants that are people: STANDARD clients; egress, ingress, SIP, agents and the like are not. */
final class ParticipantKinds {
    private ParticipantKinds() {
    }

    /** True for STANDARD, and for a webhook from before the kind was carried (null). */
    static boolean isPerson(String kind) {
        return kind == null || "STANDARD".equals(kind);
    }
}
