package dev.ordo.benchmarks.schemes;

/**
 * The vector-clock operations the simulation needs. {@link OrdoVectorClockOps} runs the scheme on Ordo's real
 * vector clock; {@code SimVectorClock} (test sources) is the simple oracle tests check it against.
 */
interface VectorClockOps
{
    /**
     * @param replica the replica whose entry to increment.
     * @return a copy of the clock after the increment.
     */
    long[] incrementAndSnapshot(int replica);

    /**
     * @param remote counters to merge in (entry-wise maximum).
     */
    void merge(long[] remote);

    /**
     * @param a counters.
     * @param b counters.
     * @return {@link Order#BEFORE} if {@code a < b}, {@link Order#AFTER} if {@code a > b}, else
     * {@link Order#CONCURRENT} (equal vectors are never compared: stamps of distinct writes differ).
     */
    Order compare(long[] a, long[] b);
}
