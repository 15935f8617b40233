package dev.ordo.benchmarks.schemes;

import java.util.Arrays;

/**
 * The ordering metadata a scheme attaches to one write. Scalar schemes use {@link #time()} (their timestamp)
 * and {@link #node()} (tie-break); vector clocks use {@link #vector()}. Immutable by convention: the vector is
 * never modified after construction.
 *
 * @param time    scalar timestamp (wall-clock µs, Lamport time, packed HLC, or commit timestamp); 0 for vectors.
 * @param node    replica that issued it, the first tie-break.
 * @param writeId the write it stamps, the last tie-break (two writes of one replica in the same clock unit).
 * @param vector  per-replica counters, or null for scalar schemes.
 */
public record Stamp(long time, int node, long writeId, long[] vector)
{
    /**
     * @param other another scalar stamp.
     * @return the total order of scalar schemes: time, then node, then write id.
     */
    public int compareScalar(final Stamp other)
    {
        int c = Long.compare(time, other.time);
        if (c == 0)
        {
            c = Integer.compare(node, other.node);
        }
        return c != 0 ? c : Long.compare(writeId, other.writeId);
    }

    @Override
    public String toString()
    {
        return vector == null ? "Stamp{" + time + "@" + node + "#" + writeId + "}" :
            "Stamp{" + Arrays.toString(vector) + "#" + writeId + "}";
    }
}
