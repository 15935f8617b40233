package dev.ordo.ntp;

import java.util.function.LongSupplier;

/**
 * Measures a clock's reading resolution, as chrony and ntpd measure their system precision: the smallest
 * positive difference between consecutive readings. Package-private helper.
 */
final class ClockPrecision
{
    /** Assumed when a clock never changes within the measurement (a cached or frozen clock). */
    static final long UNMEASURABLE_NS = 1_000_000L;

    private ClockPrecision()
    {
    }

    /**
     * @param clock the clock to read.
     * @return the smallest positive step seen over a few thousand readings, at least 1 ns; 1 ms if the clock
     * never moved.
     */
    static long resolutionNs(final LongSupplier clock)
    {
        long smallest = Long.MAX_VALUE;
        long previous = clock.getAsLong();
        for (int i = 0; i < 20_000; i++)
        {
            final long now = clock.getAsLong();
            final long step = now - previous;
            if (step > 0 && step < smallest)
            {
                smallest = step;
            }
            previous = now;
        }
        return smallest == Long.MAX_VALUE ? UNMEASURABLE_NS : Math.max(1, smallest);
    }
}
