package io.livestage.session.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParticipantKindsTest {

    @Test
    void standardClientsArePeople() {
        assertThat(ParticipantKinds.isPerson("STANDARD")).isTrue();
        assertThat(ParticipantKinds.isPerson(null)).as("a webhook from before the kind was carried").isTrue();
    }

    @Test
    void recordersStreamsPhonesAndAgentsAreNot() {
        for (String kind : new String[] {"EGRESS", "INGRESS", "SIP", "AGENT", "CONNECTOR", "BRIDGE", "UNRECOGNIZED"}) {
            assertThat(ParticipantKinds.isPerson(kind)).as(kind).isFalse();
        }
    }
}
