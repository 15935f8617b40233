package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The immutable value form: equal histories are equal values, bytes round-trip, entries iterate. */
class VectorClockValueTest
{
    @Test
    void equalHistoriesShouldBeEqualValuesWithEqualHashCodesAndRoundTripThroughBytes()
    {
        final long seed = Seeds.seed("equalHistoriesShouldBeEqualValuesWithEqualHashCodesAndRoundTripThroughBytes");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < 500; t++)
        {
            final NodeRegistry registry = TestClocks.registry(1 + random.nextInt(10), random);
            final VectorClock a = TestClocks.random(registry, random, true);
            final VectorClock b = random.nextBoolean() ? TestClocks.copy(a) : TestClocks.random(registry, random, true);
            final VectorClockValue va = VectorClockValue.of(a);
            final VectorClockValue vb = VectorClockValue.of(b);
            final boolean same = a.compare(b) == Causality.EQUAL && a.prunedEntries() == 0 && b.prunedEntries() == 0;
            if (same)
            {
                assertThat(va).as("seed %d", seed).isEqualTo(vb).hasSameHashCodeAs(vb);
            }
            assertThat(va.equals(vb)).as("seed %d equal iff same bytes", seed)
                .isEqualTo(java.util.Arrays.equals(TestClocks.bytes(a), TestClocks.bytes(b)));
            assertThat(VectorClockValue.fromBytes(va.toBytes())).as("seed %d", seed).isEqualTo(va);
            assertThat(va.compare(vb)).as("seed %d", seed).isEqualTo(a.compare(b));
            final List<VectorClockValue.Entry> entries = va.entries();
            assertThat(entries).hasSize(a.liveEntries());
            for (final VectorClockValue.Entry entry : entries)
            {
                final int index = registry.indexOf(entry.nodeId());
                assertThat(entry.value()).isEqualTo(a.get(index));
                assertThat(entry.pruned()).isEqualTo(a.isPruned(index));
                assertThat(va.get(entry.nodeId())).isEqualTo(entry.value());
            }
            final VectorClock back = new VectorClock(registry);
            va.copyTo(back);
            assertThat(TestClocks.bytes(back)).isEqualTo(va.toBytes());
        }
    }

    @Test
    void withoutShouldRemoveExactlyTheDepartedNode()
    {
        final VectorClockValue value = VectorClockValue.of(EntryKind.COUNTERS, new long[] { 7, 3, 1000 },
            new long[] { 2, 5, 70_000 });
        assertThat(value.toString()).isEqualTo("VectorClockValue{COUNTERS, 3=5, 7=2, 1000=70000}");
        final VectorClockValue without = value.without(1000);
        assertThat(without.toString()).isEqualTo("VectorClockValue{COUNTERS, 3=5, 7=2}");
        assertThat(without.toBytes()).as("narrower widths once the large id and value are gone")
            .hasSizeLessThan(value.toBytes().length);
        assertThat(without.without(42)).isSameAs(without);
        assertThat(value.get(1000)).isEqualTo(70_000);
        final Set<VectorClockValue> set = new HashSet<>();
        set.add(without);
        set.add(VectorClockValue.of(EntryKind.COUNTERS, new long[] { 3, 7 }, new long[] { 5, 2 }));
        assertThat(set).hasSize(1);
        assertThat(value.compare(without)).isEqualTo(Causality.AFTER);
    }

    @Test
    void fromBytesShouldValidateAndCopy()
    {
        assertThatThrownBy(() -> VectorClockValue.fromBytes(new byte[] { 0x31, 0x00, 0x01 }))
            .isInstanceOf(MalformedClockException.class).hasMessageContaining("entry count 1");
        final byte[] bytes = { 0x31, 0x00, 0x01, 0x03, 0x05 };
        final VectorClockValue value = VectorClockValue.fromBytes(bytes);
        bytes[4] = 0x06;
        assertThat(value.get(3)).as("copied, not shared").isEqualTo(5);
        assertThatThrownBy(() -> VectorClockValue.of(EntryKind.COUNTERS, new long[] { 1, 1 }, new long[] { 1, 2 }))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate node id 1");
    }
}
