package dev.ordo.clocks.api;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorBoundsTest
{
    @Test
    void packThenUnpackShouldBeIdentityForValidBounds()
    {
        final long seed = Seeds.seed("ErrorBoundsTest.packThenUnpackShouldBeIdentityForValidBounds");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long boundNs = random.nextLong(ErrorBounds.MAX_BOUND_NS);
            final ClockStatus status = random.nextBoolean() ? ClockStatus.SYNCHRONIZED : ClockStatus.FREE_RUNNING;
            final long packed = ErrorBounds.of(boundNs, status);
            assertThat(packed).as("seed %d", seed).isNotNegative();
            assertThat(ErrorBounds.boundNs(packed)).as("seed %d", seed).isEqualTo(boundNs);
            assertThat(ErrorBounds.status(packed)).as("seed %d", seed).isEqualTo(status);
            assertThat(ErrorBounds.isBounded(packed)).as("seed %d", seed).isTrue();
        }
    }

    @Test
    void nonsenseShouldBecomeUnknownAndUnbounded()
    {
        assertThat(ErrorBounds.of(-1, ClockStatus.SYNCHRONIZED)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(ErrorBounds.of(Long.MIN_VALUE, ClockStatus.FREE_RUNNING)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(ErrorBounds.of(5, null)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(ErrorBounds.of(5, ClockStatus.UNKNOWN)).isEqualTo(ErrorBounds.UNKNOWN);
        assertThat(ErrorBounds.isBounded(-5)).isFalse();
        assertThat(ErrorBounds.status(-5)).isEqualTo(ClockStatus.UNKNOWN);
        assertThat(ErrorBounds.boundNs(-5)).isEqualTo(ErrorBounds.MAX_BOUND_NS);
        assertThat(ErrorBounds.isBounded(ErrorBounds.UNKNOWN)).isFalse();
    }

    @Test
    void disruptedAndHugeBoundsShouldBeUnbounded()
    {
        final long disrupted = ErrorBounds.of(10, ClockStatus.DISRUPTED);
        assertThat(ErrorBounds.status(disrupted)).isEqualTo(ClockStatus.DISRUPTED);
        assertThat(ErrorBounds.isBounded(disrupted)).isFalse();
        final long huge = ErrorBounds.of(Long.MAX_VALUE, ClockStatus.SYNCHRONIZED);
        assertThat(ErrorBounds.boundNs(huge)).isEqualTo(ErrorBounds.MAX_BOUND_NS);
        assertThat(ErrorBounds.isBounded(huge)).isFalse();
    }
}
