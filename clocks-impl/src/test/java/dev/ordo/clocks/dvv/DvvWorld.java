package dev.ordo.clocks.dvv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A seeded world of replicas of one key and clients with (possibly stale) contexts, run on the real
 * {@link DvvSet} and, in lockstep, on {@link Model}: the obviously-correct definition with explicit sets of
 * dots. Used by the differential and law tests.
 */
final class DvvWorld
{
    /** A write's identity: replica and that replica's counter. */
    record Dot(long replica, long counter)
    {
    }

    /**
     * The specification, spelled out with sets: a replica's state is every dot it has seen and the map of dots
     * that are still siblings. Nothing is compressed, so nothing can be subtly wrong.
     */
    static final class Model
    {
        final Set<Dot> seen = new HashSet<>();
        Map<Dot, String> siblings = new HashMap<>();

        void update(final Set<Dot> context, final long replica, final String value)
        {
            long max = 0;
            for (final Dot d : seen)
            {
                max = d.replica == replica ? Math.max(max, d.counter) : max;
            }
            for (final Dot d : context)
            {
                max = d.replica == replica ? Math.max(max, d.counter) : max;
            }
            siblings.keySet().removeIf(context::contains);
            seen.addAll(context);
            final Dot dot = new Dot(replica, max + 1);
            seen.add(dot);
            siblings.put(dot, value);
        }

        void sync(final Model other)
        {
            final Map<Dot, String> keep = new HashMap<>();
            siblings.forEach((d, v) ->
            {
                if (!other.seen.contains(d) || other.siblings.containsKey(d))
                {
                    keep.put(d, v);
                }
            });
            other.siblings.forEach((d, v) ->
            {
                if (!seen.contains(d) || siblings.containsKey(d))
                {
                    keep.put(d, v);
                }
            });
            seen.addAll(other.seen);
            siblings = keep;
        }

        /** The version vector the seen set must equal (it is downward closed per replica). */
        Map<Long, Long> vector()
        {
            final Map<Long, Long> vv = new TreeMap<>();
            for (final Dot d : seen)
            {
                vv.merge(d.replica, d.counter, Math::max);
            }
            return vv;
        }

        boolean downwardClosed()
        {
            for (final Map.Entry<Long, Long> e : vector().entrySet())
            {
                for (long c = 1; c <= e.getValue(); c++)
                {
                    if (!seen.contains(new Dot(e.getKey(), c)))
                    {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Replica ids: sparse, including a large one so multi-byte varints run. */
    static final long[] REPLICA_IDS = { 3, 17, 1L << 40 };

    final Random random;
    final DvvSet<String>[] replicas;
    final Model[] models;
    final VersionVector[] clientContexts;
    final List<Set<Dot>> clientModelContexts = new ArrayList<>();
    private int writes;

    @SuppressWarnings("unchecked")
    DvvWorld(final Random random, final int clients)
    {
        this.random = random;
        replicas = new DvvSet[REPLICA_IDS.length];
        models = new Model[REPLICA_IDS.length];
        for (int r = 0; r < replicas.length; r++)
        {
            replicas[r] = new DvvSet<>();
            models[r] = new Model();
        }
        clientContexts = new VersionVector[clients];
        for (int c = 0; c < clients; c++)
        {
            clientContexts[c] = new VersionVector();
            clientModelContexts.add(new HashSet<>());
        }
    }

    /** One random operation on both the real sets and the models. */
    void step()
    {
        final int r = random.nextInt(replicas.length);
        final int c = random.nextInt(clientContexts.length);
        final int op = random.nextInt(10);
        if (op < 3)
        {
            replicas[r].context(clientContexts[c]);
            clientModelContexts.set(c, new HashSet<>(models[r].seen));
        }
        else if (op < 6)
        {
            final String value = "w" + writes++;
            replicas[r].update(clientContexts[c], REPLICA_IDS[r], value);
            models[r].update(clientModelContexts.get(c), REPLICA_IDS[r], value);
        }
        else if (op < 7)
        {
            final String value = "blind" + writes++;
            replicas[r].update(new VersionVector(), REPLICA_IDS[r], value);
            models[r].update(Set.of(), REPLICA_IDS[r], value);
        }
        else if (op < 9)
        {
            final int from = random.nextInt(replicas.length);
            replicas[r].sync(replicas[from]);
            models[r].sync(models[from]);
        }
        else
        {
            final String merged = replicas[r].reconcile(
                values -> mergeSorted(values) + "#" + writes, REPLICA_IDS[r]);
            writes++;
            if (models[r].siblings.size() > 1)
            {
                models[r].update(new HashSet<>(models[r].seen), REPLICA_IDS[r], merged);
            }
        }
    }

    static String mergeSorted(final List<String> values)
    {
        return String.join("+", values.stream().sorted().toList());
    }

    /** A UTF-8 string codec for tests. */
    static final DvvValueCodec<String> STRINGS = new DvvValueCodec<>()
    {
        @Override
        public int encodedLength(final String value)
        {
            return value.getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public void encode(final String value, final byte[] dst, final int offset)
        {
            final byte[] b = value.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, dst, offset, b.length);
        }

        @Override
        public void encode(final String value, final ByteBuffer dst, final int index)
        {
            dst.put(index, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String decode(final byte[] src, final int offset, final int length)
        {
            return new String(src, offset, length, StandardCharsets.UTF_8);
        }

        @Override
        public String decode(final ByteBuffer src, final int index, final int length)
        {
            final byte[] b = new byte[length];
            src.get(index, b);
            return new String(b, StandardCharsets.UTF_8);
        }
    };
}
