package dev.ordo.clocks.jcstress;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.hlc.AtomicHybridClock;
import org.agrona.concurrent.CachedEpochClock;

/**
 * Shared setup of the hybrid clock stress tests: a physical clock the test controls, and readable views of
 * packed timestamps (physical part as an offset from {@link #T_MS}, logical part).
 */
final class HlcFixture
{
    /** Physical time every test starts at, in ms since the epoch (November 2023). */
    static final long T_MS = 1_700_000_000_000L;

    static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MILLIS;

    private HlcFixture()
    {
    }

    /**
     * @param timeMs physical time.
     * @return a physical clock standing at {@code timeMs} until a test moves it.
     */
    static CachedEpochClock physicalAt(final long timeMs)
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(timeMs);
        return clock;
    }

    /**
     * @param physical the physical clock.
     * @return a hybrid clock with the defaults (no store) on it.
     */
    static AtomicHybridClock hybridOn(final CachedEpochClock physical)
    {
        return AtomicHybridClock.builder().epochClock(physical).build();
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its physical part minus {@link #T_MS}.
     */
    static int physicalOffset(final long timestamp)
    {
        return Math.toIntExact(FORMAT.physical(timestamp) - T_MS);
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its logical part.
     */
    static int logical(final long timestamp)
    {
        return Math.toIntExact(FORMAT.logical(timestamp));
    }

    /**
     * @param offsetMs physical offset from {@link #T_MS}.
     * @param logical  logical counter.
     * @return the packed timestamp.
     */
    static long at(final long offsetMs, final long logical)
    {
        return FORMAT.pack(T_MS + offsetMs, logical);
    }

    /**
     * @param condition a checked property.
     * @return 1 when it holds, 0 when not: the codes of the verdict-style outcomes.
     */
    static int code(final boolean condition)
    {
        return condition ? 1 : 0;
    }
}
