package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comparing two stamps allocates nothing (the tree walk carries lifts as numbers); the operations that build new
 * stamps (event, join, fork, peek, decode) allocate by design: stamps are immutable trees.
 */
class ItcAllocationTest
{
    private long sink;

    @Test
    void compareShouldNotAllocate() throws Exception
    {
        final ItcStamp[] stamps = ItcStampModelTest.randomDisjointStamps(new Random(42));
        final ItcStamp a = stamps[0].event();
        final ItcStamp b = stamps[1].event();
        assertThat(a.compare(b)).isEqualTo(Causality.CONCURRENT);
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                sink += a.compare(b).ordinal() + b.compare(a).ordinal() + a.compare(a).ordinal();
            }
        })).isZero();
    }
}
