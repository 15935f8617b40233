package dev.ordo.benchmarks.schemes;

import java.util.Locale;

/**
 * Parameters of one simulation: replicas and workload, clock skew and drift, and the network's delay, loss,
 * duplication, reordering and one partition. Fluent setters; not thread-safe; all times in microseconds of
 * simulated true time.
 */
public final class SimConfig
{
    long seed = 42;
    int replicas = 5;
    int keys = 8;
    int clients = 20;
    int operations = 5_000;
    long meanGapUs = 2_000;
    long skewUs;
    double maxDriftPpm = 50;
    long minDelayUs = 1_000;
    long maxDelayUs = 5_000;
    double lossRate = 0.01;
    double duplicateRate = 0.01;
    double reorderRate = 0.05;
    long reorderDelayUs = 20_000;
    double partitionStart = 0.4;
    double partitionEnd = 0.5;
    long epsilonUs = -1;
    long antiEntropyUs = 1_000_000;
    double readFraction = 0.75;
    long[] offsetsUs;

    /**
     * @return the defaults: 5 replicas, 8 keys, 20 clients, 5,000 operations 2 ms apart on average (75% of them
     * read-only, the rest read-then-write), no skew,
     * drift up to ±50 ppm, delay 1–5 ms, 1% loss, 1% duplication, 5% reordered by up to 20 ms extra, and a
     * partition between the two halves of the replicas from 40% to 50% of the run, anti-entropy every second.
     */
    public static SimConfig defaults()
    {
        return new SimConfig();
    }

    /**
     * @param seed random seed: the same seed gives the same workload, network and offsets.
     * @return this.
     */
    public SimConfig seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    /**
     * @param replicas number of replicas, {@code >= 2}.
     * @return this.
     */
    public SimConfig replicas(final int replicas)
    {
        this.replicas = atLeast("replicas", replicas, 2);
        return this;
    }

    /**
     * @param keys number of registers, {@code >= 1}.
     * @return this.
     */
    public SimConfig keys(final int keys)
    {
        this.keys = atLeast("keys", keys, 1);
        return this;
    }

    /**
     * @param clients number of clients, each bound to replica {@code client % replicas}, {@code >= 1}.
     * @return this.
     */
    public SimConfig clients(final int clients)
    {
        this.clients = atLeast("clients", clients, 1);
        return this;
    }

    /**
     * @param operations read-then-write operations in the workload, {@code >= 1}.
     * @return this.
     */
    public SimConfig operations(final int operations)
    {
        this.operations = atLeast("operations", operations, 1);
        return this;
    }

    /**
     * @param meanGapUs mean time between operations (exponential), µs, {@code >= 1}.
     * @return this.
     */
    public SimConfig meanGapUs(final long meanGapUs)
    {
        this.meanGapUs = atLeast("meanGapUs", meanGapUs, 1);
        return this;
    }

    /**
     * @param skewUs largest clock offset between two replicas, µs: replica 0 is {@code -skew/2} from true time,
     *               replica 1 {@code +skew/2}, the others in between at random.
     * @return this.
     */
    public SimConfig skewUs(final long skewUs)
    {
        this.skewUs = atLeast("skewUs", skewUs, 0);
        return this;
    }

    /**
     * @param offsetsUs explicit offset of each replica from true time, µs (overrides {@link #skewUs(long)}).
     * @return this.
     */
    public SimConfig offsetsUs(final long... offsetsUs)
    {
        this.offsetsUs = offsetsUs.clone();
        return this;
    }

    /**
     * @param maxDriftPpm each replica's clock rate is off by a random amount up to this, in ppm, {@code >= 0}.
     * @return this.
     */
    public SimConfig maxDriftPpm(final double maxDriftPpm)
    {
        if (!(maxDriftPpm >= 0 && maxDriftPpm < 1e5))
        {
            throw new IllegalArgumentException("maxDriftPpm must be in [0, 100000): " + maxDriftPpm);
        }
        this.maxDriftPpm = maxDriftPpm;
        return this;
    }

    /**
     * @param minDelayUs smallest one-way delay, µs.
     * @param maxDelayUs largest one-way delay before reordering, µs.
     * @return this.
     */
    public SimConfig delayUs(final long minDelayUs, final long maxDelayUs)
    {
        if (minDelayUs < 0 || maxDelayUs < minDelayUs)
        {
            throw new IllegalArgumentException("need 0 <= minDelayUs <= maxDelayUs: " + minDelayUs + ", " + maxDelayUs);
        }
        this.minDelayUs = minDelayUs;
        this.maxDelayUs = maxDelayUs;
        return this;
    }

    /**
     * @param lossRate      probability a message is lost, in [0, 1].
     * @param duplicateRate probability a message is delivered twice, in [0, 1].
     * @param reorderRate   probability a message gets an extra delay, in [0, 1].
     * @param reorderDelayUs largest extra delay of a reordered message, µs.
     * @return this.
     */
    public SimConfig faults(
        final double lossRate, final double duplicateRate, final double reorderRate, final long reorderDelayUs)
    {
        this.lossRate = probability("lossRate", lossRate);
        this.duplicateRate = probability("duplicateRate", duplicateRate);
        this.reorderRate = probability("reorderRate", reorderRate);
        this.reorderDelayUs = atLeast("reorderDelayUs", reorderDelayUs, 0);
        return this;
    }

    /**
     * @param start fraction of the run when the partition starts, in [0, 1].
     * @param end   fraction when it heals, in [start, 1]; equal to start for no partition.
     * @return this.
     */
    public SimConfig partition(final double start, final double end)
    {
        if (!(start >= 0 && start <= end && end <= 1))
        {
            throw new IllegalArgumentException("need 0 <= start <= end <= 1: " + start + ", " + end);
        }
        this.partitionStart = start;
        this.partitionEnd = end;
        return this;
    }

    /**
     * @param epsilonUs the bounded clock's error bound ε, µs; negative for automatic (largest true error + 1 ms).
     * @return this.
     */
    public SimConfig epsilonUs(final long epsilonUs)
    {
        this.epsilonUs = epsilonUs;
        return this;
    }

    /**
     * @param readFraction fraction of operations that only read, in [0, 1].
     * @return this.
     */
    public SimConfig readFraction(final double readFraction)
    {
        this.readFraction = probability("readFraction", readFraction);
        return this;
    }

    /**
     * @param antiEntropyUs interval between anti-entropy rounds (every replica pushes its values to every other),
     *                      µs; 0 for none.
     * @return this.
     */
    public SimConfig antiEntropyUs(final long antiEntropyUs)
    {
        this.antiEntropyUs = atLeast("antiEntropyUs", antiEntropyUs, 0);
        return this;
    }

    /**
     * @return one line naming every parameter.
     */
    public String describe()
    {
        return String.format(Locale.ROOT,
            "seed=%d replicas=%d keys=%d clients=%d operations=%d (%.0f%% read-only) meanGap=%.1fms " +
            "drift<=%.0fppm delay=%.1f-%.1fms loss=%.0f%% duplicate=%.0f%% reorder=%.0f%%(+<=%.0fms) " +
            "partition=%.0f%%-%.0f%% of run antiEntropy=%.0fms epsilon=%s",
            seed, replicas, keys, clients, operations, readFraction * 100, meanGapUs / 1e3, maxDriftPpm,
            minDelayUs / 1e3, maxDelayUs / 1e3, lossRate * 100, duplicateRate * 100, reorderRate * 100,
            reorderDelayUs / 1e3, partitionStart * 100, partitionEnd * 100, antiEntropyUs / 1e3,
            epsilonUs < 0 ? "auto" : epsilonUs / 1e3 + "ms");
    }

    private static int atLeast(final String name, final int value, final int min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    private static long atLeast(final String name, final long value, final long min)
    {
        if (value < min)
        {
            throw new IllegalArgumentException(name + " must be >= " + min + ": " + value);
        }
        return value;
    }

    private static double probability(final String name, final double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1]: " + value);
        }
        return value;
    }
}
