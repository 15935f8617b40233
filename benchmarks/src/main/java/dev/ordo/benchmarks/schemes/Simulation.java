package dev.ordo.benchmarks.schemes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic discrete-event simulation of replicas of a key-value register under one
 * {@link TimestampScheme}.
 *
 * <p>Each operation is a client's read-then-write at its replica ({@code client % replicas}): the client reads
 * the key's current value(s) there, then writes a new value, which the replica applies and sends to every other
 * replica through the {@link Network}. A replica keeps, per key, the value its scheme orders last (or, for
 * schemes that report concurrency, every value no other value is ordered after).
 *
 * <p>The simulation knows the truth: it tracks happens-before exactly (a true vector clock per replica, merged
 * only on messages the replica accepted), and judges every decision of the scheme against it:
 * <ul>
 *     <li>a <b>lost write</b> is one discarded in favour of a write that happened before it;</li>
 *     <li>a <b>concurrent overwrite</b> is one discarded in favour of a write concurrent with it;</li>
 *     <li>a <b>causality violation</b> is a read returning a value that happened before a value the same client
 *     read earlier for that key;</li>
 *     <li>a <b>concurrent pair detected</b> is two writes the scheme kept side by side.</li>
 * </ul>
 * Same configuration, scheme, workload and network: same result, always. Single-threaded; one run per instance.
 */
public final class Simulation
{
    /**
     * One read-then-write.
     *
     * @param timeUs true time the client issues it, µs.
     * @param client client id; it runs at replica {@code client % replicas}.
     * @param key    register.
     * @param write  false for a read-only operation.
     */
    public record Operation(long timeUs, int client, int key, boolean write)
    {
        /**
         * A read-then-write.
         *
         * @param timeUs true time, µs.
         * @param client client id.
         * @param key    register.
         */
        public Operation(final long timeUs, final int client, final int key)
        {
            this(timeUs, client, key, true);
        }
    }

    private static final class Write
    {
        final long id;
        final int replica;
        final int key;
        /** Every write that happened before this one: what its replica had applied when the client read. */
        final BitSet past;
        final Stamp stamp;

        Write(final long id, final int replica, final int key, final BitSet past, final Stamp stamp)
        {
            this.id = id;
            this.replica = replica;
            this.key = key;
            this.past = past;
            this.stamp = stamp;
        }

        /** @return whether this write happened before {@code other} (strictly). */
        boolean happenedBefore(final Write other)
        {
            return other.past.get((int)id);
        }
    }

    private static final int OP = 0;
    private static final int COMMIT = 1;
    private static final int DELIVER = 2;
    private static final int ANTI_ENTROPY = 3;

    private record Event(long timeUs, long seq, int type, int operation, Write write, int destination)
    {
    }

    private final SimConfig config;
    private final TimestampScheme scheme;
    private final List<Operation> operations;
    private final Network network;
    private final long[] offsetsUs;
    private final double[] driftPpm;
    private final int replicas;

    private final PriorityQueue<Event> events = new PriorityQueue<>(
        (a, b) -> a.timeUs != b.timeUs ? Long.compare(a.timeUs, b.timeUs) : Long.compare(a.seq, b.seq));
    private long seq;
    /** Per replica: every write it has applied, with their causal pasts (the truth, not the scheme's view). */
    private final BitSet[] histories;
    private final List<List<List<Write>>> stores;
    /** Per client and key: the causal past of every value the client has read. */
    private final BitSet[][] seenPast;

    private final Set<Long> lost = new HashSet<>();
    private final Set<Long> overwrittenConcurrent = new HashSet<>();
    private final Set<Long> concurrentPairs = new HashSet<>();
    private long writes;
    private long reads;
    private long violations;
    private long rejections;
    private long messages;
    private long metadataBytes;
    private long totalWaitUs;
    private long maxWaitUs;
    private long siblingsRead;
    private long maxSiblings;

    /**
     * @param config     parameters (replicas, keys, clients, offsets, drift).
     * @param scheme     the scheme under test, fresh.
     * @param operations the workload, in time order.
     * @param network    the network.
     */
    public Simulation(
        final SimConfig config, final TimestampScheme scheme, final List<Operation> operations, final Network network)
    {
        this.config = config;
        this.scheme = scheme;
        this.operations = List.copyOf(operations);
        this.network = network;
        this.replicas = config.replicas;
        this.offsetsUs = offsetsUs(config);
        this.driftPpm = driftsPpm(config);
        this.histories = new BitSet[replicas];
        for (int r = 0; r < replicas; r++)
        {
            histories[r] = new BitSet();
        }
        this.stores = new ArrayList<>();
        for (int r = 0; r < replicas; r++)
        {
            final List<List<Write>> perKey = new ArrayList<>();
            for (int k = 0; k < config.keys; k++)
            {
                perKey.add(new ArrayList<>(2));
            }
            stores.add(perKey);
        }
        this.seenPast = new BitSet[config.clients][config.keys];
        for (final BitSet[] perKey : seenPast)
        {
            for (int k = 0; k < perKey.length; k++)
            {
                perKey[k] = new BitSet();
            }
        }
    }

    /**
     * @param config parameters.
     * @return the seeded workload: exponential gaps, uniform clients and keys, a fraction of read-only operations.
     */
    public static List<Operation> workload(final SimConfig config)
    {
        final Random random = new Random(RandomNetwork.mix(config.seed, 1, 2, 3));
        final List<Operation> ops = new ArrayList<>(config.operations);
        long timeUs = 0;
        for (int i = 0; i < config.operations; i++)
        {
            timeUs += 1 + (long)(-Math.log(1 - random.nextDouble()) * config.meanGapUs);
            final int client = random.nextInt(config.clients);
            final int key = random.nextInt(config.keys);
            ops.add(new Operation(timeUs, client, key, random.nextDouble() >= config.readFraction));
        }
        return ops;
    }

    /**
     * @param config parameters.
     * @return each replica's offset from true time, µs: explicit ones if set, else replica 0 at {@code -skew/2},
     * replica 1 at {@code +skew/2} and the others uniformly in between (seeded).
     */
    public static long[] offsetsUs(final SimConfig config)
    {
        if (config.offsetsUs != null)
        {
            if (config.offsetsUs.length != config.replicas)
            {
                throw new IllegalArgumentException("need one offset per replica: " + config.offsetsUs.length +
                    " offsets for " + config.replicas + " replicas");
            }
            return config.offsetsUs.clone();
        }
        final Random random = new Random(RandomNetwork.mix(config.seed, 4, 5, 6));
        final long[] offsets = new long[config.replicas];
        final long half = config.skewUs / 2;
        for (int r = 0; r < config.replicas; r++)
        {
            offsets[r] = r == 0 ? -half : r == 1 ? config.skewUs - half :
                -half + (long)(random.nextDouble() * config.skewUs);
        }
        return offsets;
    }

    /**
     * @param config parameters.
     * @return each replica's clock drift, ppm, uniform in {@code ±maxDriftPpm} (seeded).
     */
    public static double[] driftsPpm(final SimConfig config)
    {
        final Random random = new Random(RandomNetwork.mix(config.seed, 7, 8, 9));
        final double[] drifts = new double[config.replicas];
        for (int r = 0; r < config.replicas; r++)
        {
            drifts[r] = (random.nextDouble() * 2 - 1) * config.maxDriftPpm;
        }
        return drifts;
    }

    /**
     * @param config parameters.
     * @param runUs  length of the run, µs.
     * @return the bounded clock's ε: the configured one, or the largest true error any replica reaches before
     * twice the run's length plus 10 s (past the last commit wait), plus 1 ms (a synchronized clock's own
     * uncertainty).
     */
    public static long epsilonUs(final SimConfig config, final long runUs)
    {
        if (config.epsilonUs >= 0)
        {
            return config.epsilonUs;
        }
        final long[] offsets = offsetsUs(config);
        final double[] drifts = driftsPpm(config);
        long worst = 0;
        for (int r = 0; r < config.replicas; r++)
        {
            final long driftUs = (long)Math.ceil(Math.abs(drifts[r]) * (2 * runUs + 10_000_000) / 1e6);
            worst = Math.max(worst, Math.abs(offsets[r]) + driftUs);
        }
        return worst + 1_000;
    }

    long localUs(final int replica, final long trueUs)
    {
        return trueUs + offsetsUs[replica] + Math.round(trueUs * driftPpm[replica] / 1e6);
    }

    /**
     * Runs the workload to the end (every message delivered).
     *
     * @return the counts.
     */
    public SchemeResult run()
    {
        for (int i = 0; i < operations.size(); i++)
        {
            schedule(operations.get(i).timeUs(), OP, i, null, -1);
        }
        final long lastUs = operations.isEmpty() ? 0 : operations.get(operations.size() - 1).timeUs();
        if (config.antiEntropyUs > 0)
        {
            int round = 1;
            for (long t = config.antiEntropyUs; t <= lastUs + 2 * maxOffsetUs() + 2 * config.antiEntropyUs;
                t += config.antiEntropyUs)
            {
                schedule(t, ANTI_ENTROPY, round++, null, -1);
            }
        }
        while (!events.isEmpty())
        {
            final Event e = events.poll();
            switch (e.type)
            {
                case OP -> operate(e);
                case COMMIT -> commit(e.write, e.timeUs);
                case ANTI_ENTROPY -> antiEntropy(e.operation, e.timeUs);
                default -> deliver(e.write, e.destination, e.timeUs);
            }
        }
        return new SchemeResult(scheme.name(), config.skewUs, writes, lost.size(), overwrittenConcurrent.size(),
            reads, violations, concurrentPairs.size(), rejections, messages, metadataBytes, totalWaitUs, maxWaitUs,
            siblingsRead, maxSiblings);
    }

    private void schedule(final long timeUs, final int type, final int operation, final Write write, final int to)
    {
        events.add(new Event(timeUs, seq++, type, operation, write, to));
    }

    private void operate(final Event e)
    {
        final Operation op = operations.get(e.operation);
        final int replica = op.client() % replicas;
        read(op.client(), replica, op.key());
        if (!op.write())
        {
            return;
        }
        final long localUs = localUs(replica, e.timeUs);
        final long writeId = e.operation;
        final Stamp stamp = scheme.stamp(replica, op.key(), localUs, writeId);
        final Write write = new Write(writeId, replica, op.key(), (BitSet)histories[replica].clone(), stamp);
        writes++;
        final long waitLocalUs = scheme.commitWaitUs(replica, localUs, stamp);
        if (waitLocalUs <= 0)
        {
            commit(write, e.timeUs);
            return;
        }
        // Commit wait: the write stays invisible (not applied, not sent) until the wait is over. The replica
        // goes on serving other clients meanwhile; they do not see the pending write.
        final long waitUs = (long)Math.ceil(waitLocalUs / (1 + driftPpm[replica] / 1e6));
        totalWaitUs += waitUs;
        maxWaitUs = Math.max(maxWaitUs, waitUs);
        schedule(e.timeUs + waitUs, COMMIT, -1, write, -1);
    }

    private void read(final int client, final int replica, final int key)
    {
        reads++;
        final BitSet seen = seenPast[client][key];
        final List<Write> values = stores.get(replica).get(key);
        siblingsRead += values.size();
        maxSiblings = Math.max(maxSiblings, values.size());
        boolean violated = false;
        for (final Write value : values)
        {
            violated |= seen.get((int)value.id);
        }
        if (violated)
        {
            violations++;
        }
        for (final Write value : values)
        {
            // The strict causal past of what was seen: reading any of it later would be going back in time.
            seen.or(value.past);
        }
    }

    private void commit(final Write write, final long nowUs)
    {
        histories[write.replica].set((int)write.id);
        apply(write.replica, write);
        for (int to = 0; to < replicas; to++)
        {
            if (to == write.replica)
            {
                continue;
            }
            for (final long arrivalUs : network.arrivals(write.id, write.replica, to, nowUs, 0))
            {
                schedule(arrivalUs, DELIVER, -1, write, to);
            }
        }
    }

    private void deliver(final Write write, final int to, final long nowUs)
    {
        messages++;
        metadataBytes += scheme.metadataBytes(write.stamp);
        if (!scheme.receive(to, localUs(to, nowUs), write.stamp))
        {
            rejections++;
            return;
        }
        histories[to].or(write.past);
        histories[to].set((int)write.id);
        apply(to, write);
    }

    /**
     * Anti-entropy: every replica pushes the values it holds to every other replica, through the network. It
     * repairs lost messages and partitions, and is how a late, lost or held write can still arrive much later.
     */
    private void antiEntropy(final int round, final long nowUs)
    {
        for (int from = 0; from < replicas; from++)
        {
            for (final List<Write> values : stores.get(from))
            {
                for (final Write value : values)
                {
                    for (int to = 0; to < replicas; to++)
                    {
                        if (to != from)
                        {
                            for (final long arrivalUs : network.arrivals(value.id, from, to, nowUs, round))
                            {
                                schedule(arrivalUs, DELIVER, -1, value, to);
                            }
                        }
                    }
                }
            }
        }
    }

    private long maxOffsetUs()
    {
        long max = 0;
        for (final long offset : offsetsUs)
        {
            max = Math.max(max, Math.abs(offset));
        }
        return max;
    }

    private void apply(final int replica, final Write incoming)
    {
        final List<Write> values = stores.get(replica).get(incoming.key);
        for (final Write value : values)
        {
            if (value.id == incoming.id)
            {
                return; // duplicate
            }
        }
        boolean keep = true;
        for (int i = values.size() - 1; i >= 0; i--)
        {
            final Write value = values.get(i);
            final Order order = scheme.order(incoming.stamp, value.stamp);
            if (order == Order.AFTER)
            {
                values.remove(i);
                discard(value, incoming);
            }
            else if (order == Order.BEFORE)
            {
                keep = false;
                discard(incoming, value);
            }
            else
            {
                concurrentPairs.add(Math.min(value.id, incoming.id) * operations.size() +
                    Math.max(value.id, incoming.id));
            }
        }
        if (keep)
        {
            values.add(incoming);
        }
    }

    private void discard(final Write loser, final Write winner)
    {
        if (winner.happenedBefore(loser))
        {
            lost.add(loser.id);
        }
        else if (!loser.happenedBefore(winner))
        {
            overwrittenConcurrent.add(loser.id);
        }
    }

    @Override
    public String toString()
    {
        return "Simulation{" + scheme.name() + ", offsets=" + Arrays.toString(offsetsUs) + "}";
    }
}
