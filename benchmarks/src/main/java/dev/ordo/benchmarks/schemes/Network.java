package dev.ordo.benchmarks.schemes;

/**
 * Decides when (and whether, and how often) a replicated write reaches another replica. Deterministic: the
 * answer depends only on its arguments and the network's seed, never on call order, so every scheme of a run
 * sees the same network.
 */
public interface Network
{
    /**
     * @param writeId write being replicated.
     * @param from    sending replica.
     * @param to      receiving replica.
     * @param sentUs  true time of sending, µs.
     * @param round   0 for the write's replication, {@code n} for the n-th anti-entropy round.
     * @return the true arrival times, µs: none when lost, two when duplicated.
     */
    long[] arrivals(long writeId, int from, int to, long sentUs, int round);
}
