package io.livestage.devstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DevStackTokenHintTest {

    @Test
    void keycloakSummaryNamesTheDemoUsersAndTheTokenCommandButPrintsNoToken() {
        String hint = DevStack.tokenHint(true, ".devstack");

        assertThat(hint).contains("alice (Alice Host, xp 100)", "bob (Bob Viewer, xp 40)", "carol (Carol Viewer, xp 10)",
                "password = user name", "TOKEN=$(./livestage token alice)", "30 min", ".devstack/tokens/<user>.jwt");
        assertThat(hint).doesNotContain("eyJ");
        assertThat(hint.lines()).hasSize(2);
    }

    @Test
    void devIdentitySummaryGivesTheDevTokenLifetimeAndNoPassword() {
        String hint = DevStack.tokenHint(false, ".devstack");

        assertThat(hint).contains("TOKEN=$(./livestage token alice)", "12 h").doesNotContain("password", "eyJ");
    }
}
