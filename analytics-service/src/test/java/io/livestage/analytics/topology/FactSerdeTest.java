package io.livestage.analytics.topology;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FactSerdeTest {

    @Test
    void everyKindOfFactSurvivesTheRoundTripNullsIncluded() {
        List<Fact> facts = List.of(
                new Fact.SessionMeta(7, "Title", "alice", null, 1_000L, null),
                new Fact.SessionMeta(8, null, null, "space", null, 2_000L),
                new Fact.Participant("bob", 3, "GUEST", "Bob", 42, true),
                new Fact.Participant(null, 0, null, null, 0, false),
                new Fact.StageRequest("carol", true, false),
                new Fact.Connection("anonymous:c1", "VIEWER", "mobile", null, 5L, null),
                new Fact.Connection("dave", "VIEWER", null, "DE", null, 9L),
                new Fact.Message(123_456_789L),
                new Fact.Reactions(77L, Map.of("heart", 3L, "clap", 1L)));
        for (Fact fact : facts) {
            assertThat(FactSerde.read(FactSerde.write(fact))).isEqualTo(fact);
        }
        assertThat(FactSerde.serde().deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> FactSerde.read(new byte[] {99})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99");
    }
}
