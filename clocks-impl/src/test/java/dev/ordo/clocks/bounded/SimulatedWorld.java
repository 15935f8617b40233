package dev.ordo.clocks.bounded;

import dev.ordo.clocks.api.ErrorBoundSource;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;

import java.util.function.LongUnaryOperator;

/**
 * Simulated true time shared by simulated nodes. Each node's real-time clock is true time plus an error
 * function of true time; its monotonic clock is true time (plus a per-node origin). Commit waits advance
 * true time instead of sleeping.
 */
final class SimulatedWorld
{
    long trueNs;

    SimulatedWorld(final long startNs)
    {
        this.trueNs = startNs;
    }

    void advance(final long ns)
    {
        trueNs += ns;
    }

    /** A wait strategy that lets simulated time pass by exactly the hinted amount. */
    CommitWaitStrategy passTime()
    {
        return this::advance;
    }

    EpochNanoClock realTimeClock(final LongUnaryOperator errorAtTrueTime)
    {
        return () -> trueNs + errorAtTrueTime.applyAsLong(trueNs);
    }

    NanoClock monotonicClock(final long originNs)
    {
        return () -> trueNs - originNs;
    }

    ErrorBoundedClock node(final LongUnaryOperator errorAtTrueTime, final ErrorBoundSource source)
    {
        return new ErrorBoundedClock(realTimeClock(errorAtTrueTime), monotonicClock(0), source, passTime());
    }
}
