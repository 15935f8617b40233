package dev.ordo.benchmarks.schemes;

import java.util.SplittableRandom;

/**
 * The configured network: uniform delay, independent loss, duplication and reordering (an extra uniform delay)
 * per message, and one partition between the lower and upper halves of the replicas, during which messages
 * crossing it are held until it heals (as a retrying transport would deliver them).
 */
final class RandomNetwork implements Network
{
    private final SimConfig config;
    private final long partitionStartUs;
    private final long partitionEndUs;

    RandomNetwork(final SimConfig config, final long runUs)
    {
        this.config = config;
        this.partitionStartUs = (long)(config.partitionStart * runUs);
        this.partitionEndUs = (long)(config.partitionEnd * runUs);
    }

    @Override
    public long[] arrivals(final long writeId, final int from, final int to, final long sentUs, final int round)
    {
        final SplittableRandom random = new SplittableRandom(mix(config.seed, writeId, from, (long)to << 32 | round));
        if (random.nextDouble() < config.lossRate)
        {
            return new long[0];
        }
        final boolean duplicate = random.nextDouble() < config.duplicateRate;
        final long[] arrivals = new long[duplicate ? 2 : 1];
        for (int i = 0; i < arrivals.length; i++)
        {
            long delay = config.minDelayUs + random.nextLong(config.maxDelayUs - config.minDelayUs + 1);
            if (random.nextDouble() < config.reorderRate)
            {
                delay += random.nextLong(config.reorderDelayUs + 1);
            }
            long arrival = sentUs + delay;
            if (crossesPartition(from, to) && arrival >= partitionStartUs && sentUs < partitionEndUs)
            {
                arrival = Math.max(arrival, partitionEndUs + delay);
            }
            arrivals[i] = arrival;
        }
        return arrivals;
    }

    private boolean crossesPartition(final int from, final int to)
    {
        final int half = config.replicas / 2;
        return partitionEndUs > partitionStartUs && (from < half) != (to < half);
    }

    static long mix(final long seed, final long a, final long b, final long c)
    {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = Long.rotateLeft(h ^ a * 0xC2B2AE3D27D4EB4FL, 31) * 0x165667B19E3779F9L;
        h = Long.rotateLeft(h ^ b * 0x27D4EB2F165667C5L, 27) * 0x9E3779B97F4A7C15L;
        h = Long.rotateLeft(h ^ c * 0x85EBCA77C2B2AE63L, 33) * 0xC2B2AE3D27D4EB4FL;
        return h ^ (h >>> 29);
    }
}
