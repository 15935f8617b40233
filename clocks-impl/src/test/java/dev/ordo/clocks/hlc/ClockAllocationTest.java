package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.HybridTimestampFormat;
import dev.ordo.clocks.api.HybridTimestamps;
import dev.ordo.clocks.lamport.AtomicLamportClock;
import dev.ordo.clocks.testing.AllocationMeter;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.SystemEpochMicroClock;
import org.junit.jupiter.api.Test;

import static dev.ordo.clocks.testing.AllocationMeter.MILLION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The zero-allocation rule: a million calls of each hot-path method, after warm-up, allocate 0 bytes on
 * the calling thread.
 */
class ClockAllocationTest
{
    private long sink;

    @Test
    void hybridClockNowShouldNotAllocate() throws Exception
    {
        final AtomicHybridClock clock = AtomicHybridClock.create();
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += clock.now();
            }
            sink += acc;
        })).isZero();
    }

    @Test
    void hybridClockMicrosecondNowShouldNotAllocate() throws Exception
    {
        final AtomicHybridClock clock = AtomicHybridClock.builder().epochMicroClock(new SystemEpochMicroClock()).build();
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += clock.now();
            }
            sink += acc;
        })).isZero();
    }

    @Test
    void hybridClockUpdateTryUpdateAndCurrentShouldNotAllocateIncludingRejections() throws Exception
    {
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(1_795_000_000_000L);
        final AtomicHybridClock clock = AtomicHybridClock.builder().epochClock(physical).build();
        final long tooFarAhead = HybridTimestamps.pack(1_795_000_000_000L + 10_000, 0);
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                if ((i & 1023) == 0)
                {
                    physical.advance(1);
                }
                final long remote = HybridTimestamps.pack(1_795_000_000_000L + (i & 7), i & 0xFF);
                acc += clock.update(remote);
                acc += clock.tryUpdate(remote + 1);
                acc += clock.tryUpdate(tooFarAhead);
                acc += clock.tryUpdate(-1);
                acc += clock.current();
            }
            sink += acc;
        })).isZero();
        assertThat(clock.rejectedUpdates()).isPositive();
    }

    @Test
    void hybridClockCountersAndLogicalCarriesShouldNotAllocate() throws Exception
    {
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(1_795_000_000_000L);
        final AtomicHybridClock clock = AtomicHybridClock.builder().epochClock(physical).build();
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += clock.now(); // a million calls in one millisecond: 15 carries
                acc += clock.overflowCarries() + clock.maxAheadOfPhysical() + clock.backwardJumps();
            }
            sink += acc;
        })).isZero();
        assertThat(clock.overflowCarries()).isPositive();
    }

    @Test
    void backwardJumpDetectionShouldNotAllocate() throws Exception
    {
        final CachedEpochClock physical = new CachedEpochClock();
        physical.update(1_795_000_000_000L);
        final long[] seen = new long[1];
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(physical).backwardJumpListener((previous, current) -> seen[0]++).build();
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                physical.update(1_795_000_000_000L + ((i & 1) == 0 ? 5 : 0)); // jumps back every other call
                acc += clock.now();
            }
            sink += acc;
        })).isZero();
        assertThat(seen[0]).isPositive();
    }

    @Test
    void lamportClockShouldNotAllocate() throws Exception
    {
        final AtomicLamportClock clock = new AtomicLamportClock();
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += clock.tick();
                acc += clock.update(i);
                acc += clock.current();
            }
            sink += acc;
        })).isZero();
    }

    @Test
    void timestampHelpersShouldNotAllocate() throws Exception
    {
        final HybridTimestampFormat micros = HybridTimestampFormat.MICROS;
        assertThat(AllocationMeter.allocatedBytes(MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                final long ts = micros.pack(i, i);
                acc += micros.physical(ts) + micros.logical(ts) + micros.compare(ts, acc) + micros.validate(ts);
            }
            sink += acc;
        })).isZero();
    }
}
