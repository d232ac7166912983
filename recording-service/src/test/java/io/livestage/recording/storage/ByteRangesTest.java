package io.livestage.recording.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteRangesTest {
    private static final long LEN = 1000;

    private static ByteRanges.Outcome parse(String header) {
        return ByteRanges.parse(header, LEN);
    }

    @Test
    void noHeaderOrAnotherUnitIsTheWholeFile() {
        assertThat(parse(null)).isInstanceOf(ByteRanges.Whole.class);
        assertThat(parse("")).isInstanceOf(ByteRanges.Whole.class);
        assertThat(parse("items=0-5")).as("unknown unit is ignored").isInstanceOf(ByteRanges.Whole.class);
    }

    @Test
    void firstToLastIsClampedToTheFile() {
        assertThat(parse("bytes=0-0")).isEqualTo(new ByteRanges.Partial(0, 0));
        assertThat(parse("bytes=10-19")).isEqualTo(new ByteRanges.Partial(10, 19));
        assertThat(((ByteRanges.Partial) parse("bytes=10-19")).length()).isEqualTo(10);
        assertThat(parse("bytes=990-5000")).isEqualTo(new ByteRanges.Partial(990, 999));
        assertThat(parse("bytes=0-99999999999999999999999")).isEqualTo(new ByteRanges.Partial(0, 999));
        assertThat(parse("BYTES=5-6")).as("the unit is case-insensitive").isEqualTo(new ByteRanges.Partial(5, 6));
        assertThat(parse(" bytes=5-6 ")).isEqualTo(new ByteRanges.Partial(5, 6));
    }

    @Test
    void openEndedAndSuffixRanges() {
        assertThat(parse("bytes=900-")).isEqualTo(new ByteRanges.Partial(900, 999));
        assertThat(parse("bytes=999-")).isEqualTo(new ByteRanges.Partial(999, 999));
        assertThat(parse("bytes=-100")).isEqualTo(new ByteRanges.Partial(900, 999));
        assertThat(parse("bytes=-1")).isEqualTo(new ByteRanges.Partial(999, 999));
        assertThat(parse("bytes=-5000")).as("a suffix longer than the file is all of it")
                .isEqualTo(new ByteRanges.Partial(0, 999));
    }

    @Test
    void rangesNoByteOfTheFileSatisfiesAre416() {
        assertThat(parse("bytes=1000-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(parse("bytes=1000-1001")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(parse("bytes=-0")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=0-", 0)).as("nothing of an empty file")
                .isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.parse("bytes=-5", 0)).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(parse("bytes=2000-3000,4000-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
    }

    @Test
    void malformedByteRangesAre416() {
        for (String header : new String[] {"bytes=", "bytes=-", "bytes=abc", "bytes=5-2", "bytes=1-2-3", "bytes=a-5",
                "bytes=5-b", "bytes=0-1,", "bytes=,0-1", "bytes=+1-2", "bytes=0x10-20", "bytes 0-10", "=0-10"}) {
            assertThat(parse(header)).as(header).isInstanceOf(ByteRanges.Unsatisfiable.class);
        }
    }

    @Test
    void severalRangesAreAnsweredWithTheWholeFile() {
        assertThat(parse("bytes=0-1,5-6")).isInstanceOf(ByteRanges.Whole.class);
        assertThat(parse("bytes=0-1, 2000-")).as("one satisfiable is enough").isInstanceOf(ByteRanges.Whole.class);
        assertThat(parse("bytes=0-1,x")).as("but each must parse").isInstanceOf(ByteRanges.Unsatisfiable.class);
    }
}
