package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.dvv.DvvSet;
import dev.ordo.clocks.dvv.DvvValueCodec;
import dev.ordo.clocks.dvv.VersionVector;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Dotted version vectors: each replica keeps Ordo's real {@link DvvSet} per key (a multi-value register). A
 * write is a server-side {@link DvvSet#update} with the causal context the client read, which gives it a dot
 * {@code (replica, counter)}; replication ships the replica's whole state of the key (as Riak does), and the
 * receiver {@link DvvSet#sync syncs} it in.
 *
 * <p>The simulation orders two writes by the DVV rule itself: a write is after another exactly when its
 * context covers the other's dot; neither covering the other means concurrent, and both survive as siblings.
 * Metadata is the size of the DVV set's clock on the wire (format byte, entries, per entry replica id, counter
 * and sibling count, one length byte per sibling), without the values themselves.
 */
final class DvvScheme implements TimestampScheme
{
    /** Values are write ids; on the wire they would be the application's bytes, not counted as metadata. */
    private static final DvvValueCodec<Long> NO_VALUE_BYTES = new DvvValueCodec<>()
    {
        @Override
        public int encodedLength(final Long value)
        {
            return 0;
        }

        @Override
        public void encode(final Long value, final byte[] dst, final int offset)
        {
        }

        @Override
        public void encode(final Long value, final ByteBuffer dst, final int index)
        {
        }

        @Override
        public Long decode(final byte[] src, final int offset, final int length)
        {
            throw new UnsupportedOperationException("metadata only");
        }

        @Override
        public Long decode(final ByteBuffer src, final int index, final int length)
        {
            throw new UnsupportedOperationException("metadata only");
        }
    };

    /** What replication of one write ships: the key and the writer's state of it right after the write. */
    private record Replica(int key, DvvSet<Long> state, int metadataBytes)
    {
    }

    private final int replicas;
    /** Per replica, per key: the register, created on first use. */
    private final Map<Long, DvvSet<Long>> registers = new HashMap<>();
    private final Map<Long, Replica> shipped = new HashMap<>();
    private final VersionVector context = new VersionVector();
    private long maxSiblings;

    DvvScheme(final int replicas)
    {
        this.replicas = replicas;
    }

    @Override
    public String name()
    {
        return "DVV (multi-value)";
    }

    @Override
    public Stamp stamp(final int replica, final long localUs, final long writeId)
    {
        throw new UnsupportedOperationException("a DVV write needs its key: use stamp(replica, key, ...)");
    }

    @Override
    public Stamp stamp(final int replica, final int key, final long localUs, final long writeId)
    {
        final DvvSet<Long> register = register(replica, key);
        register.context(context); // the client read at this replica just before writing
        final long[] seen = new long[replicas];
        for (int r = 0; r < replicas; r++)
        {
            seen[r] = context.get(replicaId(r));
        }
        final long counter = register.update(context, replicaId(replica), writeId);
        maxSiblings = Math.max(maxSiblings, register.siblingCount());
        final DvvSet<Long> state = new DvvSet<>();
        state.copyFrom(register);
        shipped.put(writeId, new Replica(key, state, state.encodedLength(NO_VALUE_BYTES)));
        // time = the dot's counter, node = the dot's replica, vector = the context the write saw.
        return new Stamp(counter, replica, writeId, seen);
    }

    @Override
    public long commitWaitUs(final int replica, final long localUs, final Stamp stamp)
    {
        return 0;
    }

    @Override
    public boolean receive(final int replica, final long localUs, final Stamp remote)
    {
        final Replica message = shipped.get(remote.writeId());
        final DvvSet<Long> register = register(replica, message.key());
        register.sync(message.state());
        maxSiblings = Math.max(maxSiblings, register.siblingCount());
        return true;
    }

    @Override
    public Order order(final Stamp a, final Stamp b)
    {
        if (a.vector()[b.node()] >= b.time())
        {
            return Order.AFTER;   // a's context covers b's dot: a's writer had read b
        }
        if (b.vector()[a.node()] >= a.time())
        {
            return Order.BEFORE;
        }
        return Order.CONCURRENT;
    }

    @Override
    public int metadataBytes(final Stamp stamp)
    {
        return shipped.get(stamp.writeId()).metadataBytes();
    }

    /**
     * @return the most siblings any replica's real {@link DvvSet} held for one key during the run.
     */
    long maxSiblings()
    {
        return maxSiblings;
    }

    /**
     * @param replica a replica.
     * @param key     a key.
     * @return that replica's real register for the key (for cross-checks).
     */
    DvvSet<Long> register(final int replica, final int key)
    {
        return registers.computeIfAbsent((long)replica << 32 | key, k -> new DvvSet<>());
    }

    private static long replicaId(final int replica)
    {
        return replica + 1L; // one-byte varint ids on the wire, as for the vector clocks
    }
}
