package dev.ordo.clocks.bounded;

import java.util.concurrent.locks.LockSupport;

/**
 * How a commit wait passes the time between two looks at the clock. The clock calls {@link #idle(long)} with
 * how much longer it expects to wait, then reads the clock again; the strategy may return early (the clock
 * simply looks again) but should not sleep much past the hint, since anything past it is pure overshoot.
 *
 * <p>The default, {@link #parkThenSpin(long)}, parks the thread ({@link LockSupport#parkNanos(long)}) until
 * {@code spinThresholdNs} before the target and spins ({@link Thread#onSpinWait()}) for the rest: parking
 * alone overshoots by the OS timer slack and wake-up latency (tens of µs on Linux), spinning alone burns a
 * core for the whole wait. Tests and simulations plug in a strategy that advances a simulated clock.
 *
 * <p>Implementations are called on the waiting thread only; they must not swallow interrupts (parking
 * returns early on interrupt, and the clock then throws {@link InterruptedException}).
 */
@FunctionalInterface
public interface CommitWaitStrategy
{
    /** Spin threshold of {@link #DEFAULT}: Linux's default timer slack (50 µs) plus wake-up latency. */
    long DEFAULT_SPIN_THRESHOLD_NS = 100_000L;

    /** {@link #parkThenSpin(long)} with {@link #DEFAULT_SPIN_THRESHOLD_NS}. */
    CommitWaitStrategy DEFAULT = parkThenSpin(DEFAULT_SPIN_THRESHOLD_NS);

    /**
     * @param remainingNs how long the clock expects it still has to wait, {@code > 0}.
     */
    void idle(long remainingNs);

    /**
     * @param spinThresholdNs spin instead of parking once the remaining wait is at most this, {@code >= 0}.
     * @return a strategy that parks for {@code remainingNs - spinThresholdNs}, then spins.
     * @throws IllegalArgumentException if {@code spinThresholdNs} is negative.
     */
    static CommitWaitStrategy parkThenSpin(final long spinThresholdNs)
    {
        if (spinThresholdNs < 0)
        {
            throw new IllegalArgumentException("spinThresholdNs must be >= 0: " + spinThresholdNs);
        }
        return (remainingNs) ->
        {
            if (remainingNs > spinThresholdNs)
            {
                LockSupport.parkNanos(remainingNs - spinThresholdNs);
            }
            else
            {
                Thread.onSpinWait();
            }
        };
    }
}
