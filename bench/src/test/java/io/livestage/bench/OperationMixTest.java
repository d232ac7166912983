package io.livestage.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OperationMixTest {

    @Test
    void defaultMixSplitsGetsEvenlyBetweenIdAndSlug() {
        OperationMix mix = OperationMix.parse(OperationMix.DEFAULT_SPEC);

        assertThat(mix.share(Operation.CREATE)).isCloseTo(0.20, within(1e-9));
        assertThat(mix.share(Operation.GET_ID)).isCloseTo(0.30, within(1e-9));
        assertThat(mix.share(Operation.GET_SLUG)).isCloseTo(0.30, within(1e-9));
        assertThat(mix.share(Operation.LIST)).isCloseTo(0.20, within(1e-9));
        assertThat(mix.describe()).isEqualTo("create=20%, get-id=30%, get-slug=30%, list=20%");
    }

    @Test
    void picksInProportionToTheWeights() {
        OperationMix mix = OperationMix.parse("create=1, get-id=2, list=1");
        SplittableRandom random = new SplittableRandom(42);
        Map<Operation, Integer> picked = new EnumMap<>(Operation.class);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            picked.merge(mix.pick(random), 1, Integer::sum);
        }

        assertThat(picked).doesNotContainKey(Operation.GET_SLUG);
        assertThat(picked.get(Operation.CREATE) / (double) draws).isCloseTo(0.25, within(0.01));
        assertThat(picked.get(Operation.GET_ID) / (double) draws).isCloseTo(0.50, within(0.01));
        assertThat(picked.get(Operation.LIST) / (double) draws).isCloseTo(0.25, within(0.01));
        assertThat(mix.operations()).containsExactly(Operation.CREATE, Operation.GET_ID, Operation.LIST);
    }

    @Test
    void aSingleOperationIsAlwaysPicked() {
        OperationMix mix = OperationMix.parse("create=1");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(mix.pick(random)).isEqualTo(Operation.CREATE);
        }
    }

    @Test
    void rejectsMalformedSpecs() {
        assertThatThrownBy(() -> OperationMix.parse("create")).hasMessageContaining("name=weight");
        assertThatThrownBy(() -> OperationMix.parse("delete=5")).hasMessageContaining("Unknown operation");
        assertThatThrownBy(() -> OperationMix.parse("create=-1")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> OperationMix.parse("create=0,list=0")).hasMessageContaining("positive weight");
        assertThatThrownBy(() -> OperationMix.parse("list=lots")).hasMessageContaining("not a number");
    }
}
