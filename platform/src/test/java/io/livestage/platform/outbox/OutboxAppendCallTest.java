package io.livestage.platform.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The call of the platform's one insert, as each way of appending numbers its parameters. */
class OutboxAppendCallTest {

    @Test
    void aRowOfItsOwnTakesTwelveParameters() {
        assertThat(Outbox.appendCall("$", 0, null)).isEqualTo(
                "livestage_outbox_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
        assertThat(Outbox.appendCall("?", 0, null)).isEqualTo(
                "livestage_outbox_append(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    }

    @Test
    void aRowAfterTheCallersParametersTakesItsSequenceFromTheStatement() {
        assertThat(Outbox.appendCall("$", 2, "s.seq")).isEqualTo(
                "livestage_outbox_append($3, $4, $5, s.seq, $6, $7, $8, $9, $10, $11, $12, $13)");
    }
}
