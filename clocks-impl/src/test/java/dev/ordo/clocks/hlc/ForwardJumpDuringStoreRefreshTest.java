package dev.ordo.clocks.hlc;

import dev.ordo.clocks.api.ForwardJumpPolicy;
import dev.ordo.clocks.api.PhysicalClockJumpedException;
import dev.ordo.clocks.api.UpperBoundStore;
import dev.ordo.clocks.hlc.AtomicHybridClock.StoreStart;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A forward jump of the physical clock in the middle of a call that must extend the durable bound (the slow
 * path reads physical time again for the new bound and after the store's write): with REFUSE, no timestamp
 * from the jumped reading is issued and no bound is persisted from it.
 */
class ForwardJumpDuringStoreRefreshTest
{
    private static final long T0 = 1_795_000_000_000L;
    private static final long ONE_HOUR_MS = 3_600_000L;

    @Test
    void aJumpBetweenTheCallsFirstReadingAndTheBoundRefreshShouldBeRefused()
    {
        final AtomicLong physicalMs = new AtomicLong(T0);
        final AtomicLong monotonicNs = new AtomicLong(0);
        final AtomicInteger readsUntilJump = new AtomicInteger(-1);
        final AtomicLong storedBound = new AtomicLong(UpperBoundStore.NONE);
        final UpperBoundStore store = new UpperBoundStore()
        {
            @Override
            public long load()
            {
                return storedBound.get();
            }

            @Override
            public void store(final long upperBound)
            {
                storedBound.set(upperBound);
            }
        };
        final AtomicHybridClock clock = AtomicHybridClock.builder()
            .epochClock(() ->
            {
                if (readsUntilJump.get() > 0 && readsUntilJump.decrementAndGet() == 0)
                {
                    physicalMs.addAndGet(ONE_HOUR_MS); // the wall clock steps 1 h ahead; monotonic time does not
                }
                return physicalMs.get();
            })
            .monotonicClock(monotonicNs::get)
            .forwardJumpThreshold(Duration.ofSeconds(1))
            .forwardJumpPolicy(ForwardJumpPolicy.REFUSE)
            .persistWindow(200, TimeUnit.MILLISECONDS)
            .upperBoundStore(store, StoreStart.FIRST_START)
            .build();
        final long before = clock.now();

        // 250 ms later (monotonic time too): past the durable window, so the call must extend the bound.
        physicalMs.addAndGet(250);
        monotonicNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(250));
        readsUntilJump.set(2); // the call's first reading is normal; the clock jumps before its second
        final long boundBefore = storedBound.get();

        assertThatThrownBy(clock::now)
            .as("the call saw the jumped time: REFUSE must not issue a timestamp from it")
            .isInstanceOf(PhysicalClockJumpedException.class);
        assertThat(clock.current()).isEqualTo(before);
        assertThat(storedBound.get() >>> 16)
            .as("no bound persisted from the jumped reading")
            .isLessThan(T0 + 250 + ONE_HOUR_MS);
        assertThat(boundBefore).isNotEqualTo(UpperBoundStore.NONE);
    }
}
