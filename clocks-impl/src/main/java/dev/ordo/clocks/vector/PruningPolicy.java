package dev.ordo.clocks.vector;

/**
 * Decides which entries {@link VectorClock#prune(PruningPolicy)} drops. The clock offers each live
 * (non-zero, not yet pruned) entry once, least recently changed first, telling how many live entries remain;
 * so size and age rules compose like Riak's {@code small/big/young/old} vclock properties, e.g.
 * {@code keepAtMost(50).and(olderThan(1000))}.
 *
 * <p>Age is logical: the number of changes (increments, merges and decodes that raised an entry) made to
 * the clock since the entry last changed. It needs no time source and is deterministic.
 *
 * <p>Whatever a policy prunes, comparisons stay honest (a comparison that depends on a pruned entry answers
 * CONCURRENT), but every pruned entry makes more pairs concurrent: prune entries of nodes that have gone
 * quiet, never the local node's own entry. For a node that has left for good,
 * {@link NodeRegistry#retire(int, long) retire it} instead: that keeps every order exact.
 */
@FunctionalInterface
public interface PruningPolicy
{
    /**
     * @param nodeId      wire id of the candidate entry's node.
     * @param value       its current value.
     * @param age         changes made to the clock since this entry last changed.
     * @param liveEntries live entries in the clock, this one included.
     * @return true to prune the entry, false to keep it.
     */
    boolean shouldPrune(long nodeId, long value, long age, int liveEntries);

    /**
     * @param maxLiveEntries how many live entries to keep.
     * @return a policy that prunes the oldest entries while more than {@code maxLiveEntries} are live.
     */
    static PruningPolicy keepAtMost(final int maxLiveEntries)
    {
        if (maxLiveEntries < 0)
        {
            throw new IllegalArgumentException("maxLiveEntries cannot be negative: " + maxLiveEntries);
        }
        return (nodeId, value, age, liveEntries) -> liveEntries > maxLiveEntries;
    }

    /**
     * @param minAge age (in clock changes) from which an entry is old enough to prune.
     * @return a policy that prunes entries whose age is at least {@code minAge}.
     */
    static PruningPolicy olderThan(final long minAge)
    {
        if (minAge < 0)
        {
            throw new IllegalArgumentException("minAge cannot be negative: " + minAge);
        }
        return (nodeId, value, age, liveEntries) -> age >= minAge;
    }

    /**
     * @param nodeId a node whose entry must never be pruned (typically the local node).
     * @return this policy, but never pruning {@code nodeId}'s entry.
     */
    default PruningPolicy sparing(final long nodeId)
    {
        return (id, value, age, liveEntries) -> id != nodeId && shouldPrune(id, value, age, liveEntries);
    }

    /**
     * @param other another policy.
     * @return a policy that prunes an entry only when both prune it.
     */
    default PruningPolicy and(final PruningPolicy other)
    {
        return (id, value, age, liveEntries) ->
            shouldPrune(id, value, age, liveEntries) && other.shouldPrune(id, value, age, liveEntries);
    }

    /**
     * @param other another policy.
     * @return a policy that prunes an entry when either prunes it.
     */
    default PruningPolicy or(final PruningPolicy other)
    {
        return (id, value, age, liveEntries) ->
            shouldPrune(id, value, age, liveEntries) || other.shouldPrune(id, value, age, liveEntries);
    }
}
