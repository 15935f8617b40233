package dev.ordo.clocks.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures the bytes the current thread allocates, through
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}. Used by every module's
 * zero-allocation tests: warm the body up until the JIT has compiled it, then measure one run.
 */
public final class AllocationMeter
{
    /** Calls per measured run required by the project's zero-allocation rule. */
    public static final int MILLION = 1_000_000;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * A body whose calls are measured; the loop lives inside so the measurement does not include
     * lambda or iterator overhead.
     */
    @FunctionalInterface
    public interface Body
    {
        /**
         * @param iterations how many hot-path calls to make.
         */
        void run(int iterations) throws Exception;
    }

    /**
     * Warms {@code body} up and then measures the bytes one run of {@code iterations} calls allocates.
     *
     * @param iterations calls per measured run.
     * @param body       the calls.
     * @return bytes allocated by the measured run, less the meter's own overhead.
     */
    public static long allocatedBytes(final int iterations, final Body body) throws Exception
    {
        if (!THREADS.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < 5; i++)
        {
            body.run(iterations);
        }
        long best = Long.MAX_VALUE;
        // A few tries: a safepoint or JIT deoptimisation in one run can allocate in the run's own thread.
        for (int attempt = 0; attempt < 3 && best != 0; attempt++)
        {
            final long overhead = measureOverhead();
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            body.run(iterations);
            final long after = THREADS.getCurrentThreadAllocatedBytes();
            best = Math.min(best, Math.max(0, after - before - overhead));
        }
        return best;
    }

    private static long measureOverhead()
    {
        final long a = THREADS.getCurrentThreadAllocatedBytes();
        final long b = THREADS.getCurrentThreadAllocatedBytes();
        return b - a;
    }
}
