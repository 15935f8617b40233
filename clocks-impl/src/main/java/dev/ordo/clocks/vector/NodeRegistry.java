package dev.ordo.clocks.vector;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Membership of a set of vector clocks: maps node identities to dense indices {@code 0..size()-1}, so a
 * clock is a plain {@code long[]} and every operation on it is an array walk.
 *
 * <p>Every node has a <em>wire id</em>, a non-negative {@code long} that identifies it in encoded clocks
 * and must mean the same node on every replica:
 * <ul>
 *     <li>{@link #register(long)}: numeric identities are their own wire id.</li>
 *     <li>{@link #register(String)}: a name's wire id is {@link #idOf(String)}, a stable 63-bit hash
 *     every replica computes the same way without coordination. Two names with the same hash in one
 *     registry are refused (see {@link #idOf(String)} for the odds).</li>
 *     <li>{@link #register(String, long)}: a name with a wire id the application assigns.</li>
 * </ul>
 * Indices are local to this registry (replicas may register nodes in different orders); only wire ids go
 * on the wire. Nodes are never removed: a node that left keeps its index (see pruning in
 * {@link VectorClock#prune(PruningPolicy)}).
 *
 * <p>Concurrency contract: thread-safe. Lookups ({@link #indexOf(long)}, {@link #indexOf(String)},
 * {@link #nodeId(int)}, {@link #size()}) are lock-free, wait-free and allocation-free: they read an
 * immutable snapshot published through a volatile field. Registration is copy-on-write under a lock and
 * allocates (O(size) per new node): it is meant for membership changes, not for hot paths. A registration
 * made by one thread is visible to lookups that start after it returns.
 */
public final class NodeRegistry
{
    /** Most nodes one registry holds (a clock costs about 8 bytes per registered node). */
    public static final int MAX_NODES = 1 << 20;

    /** Returned by the {@code indexOf} methods for an unknown node. */
    public static final int UNKNOWN = -1;

    private volatile Members members = Members.EMPTY;

    /**
     * An empty registry.
     */
    public NodeRegistry()
    {
    }

    /**
     * Registers a node by its numeric identity (idempotent).
     *
     * @param nodeId the node's wire id, {@code 0 .. Long.MAX_VALUE}.
     * @return the node's index: the existing one if {@code nodeId} is already registered (under any name).
     * @throws IllegalArgumentException if {@code nodeId} is negative or the registry is full.
     */
    public synchronized int register(final long nodeId)
    {
        checkId(nodeId);
        final Members current = members;
        final int existing = current.indexOf(nodeId);
        if (existing != UNKNOWN)
        {
            return existing;
        }
        return add(current, nodeId, null);
    }

    /**
     * Registers a node by name with the wire id {@link #idOf(String) idOf(name)} (idempotent).
     *
     * @param name the node's name, e.g. {@code "replica-eu-1"}; not empty.
     * @return the node's index.
     * @throws IllegalArgumentException if the name is null or empty, if the registry is full, or if its wire
     *                                  id is already taken by a different node (a hash collision).
     */
    public int register(final String name)
    {
        checkName(name);
        return register(name, idOf(name));
    }

    /**
     * Registers a node by name with a wire id chosen by the application (idempotent for the same pair).
     *
     * @param name   the node's name; not empty.
     * @param nodeId its wire id, {@code 0 .. Long.MAX_VALUE}.
     * @return the node's index.
     * @throws IllegalArgumentException if the name is empty, the id negative, the registry full, the name
     *                                  already registered with another id, or the id taken by another node.
     */
    public synchronized int register(final String name, final long nodeId)
    {
        checkName(name);
        checkId(nodeId);
        final Members current = members;
        final int byName = current.indexOf(name);
        final int byId = current.indexOf(nodeId);
        if (byName != UNKNOWN)
        {
            if (current.ids[byName] != nodeId)
            {
                throw new IllegalArgumentException(
                    "node \"" + name + "\" is already registered with wire id " + current.ids[byName] +
                    ", not " + nodeId);
            }
            return byName;
        }
        if (byId != UNKNOWN)
        {
            final String other = current.names[byId];
            throw new IllegalArgumentException(
                "wire id " + nodeId + " of node \"" + name + "\" is already taken by " +
                (other == null ? "numeric node " + nodeId : "node \"" + other + "\"") +
                (nodeId == idOf(name) ? " (a hash collision: register one of them with an explicit id)" : ""));
        }
        return add(current, nodeId, name);
    }

    /**
     * @param nodeId a wire id.
     * @return its index, or {@link #UNKNOWN}. Allocation-free.
     */
    public int indexOf(final long nodeId)
    {
        return members.indexOf(nodeId);
    }

    /**
     * @param name a node name.
     * @return its index, or {@link #UNKNOWN} (also for null). Allocation-free.
     */
    public int indexOf(final String name)
    {
        return name == null ? UNKNOWN : members.indexOf(name);
    }

    /**
     * @param index a registered index.
     * @return the node's wire id.
     * @throws IllegalArgumentException if {@code index} is not registered.
     */
    public long nodeId(final int index)
    {
        final Members current = members;
        checkIndex(current, index);
        return current.ids[index];
    }

    /**
     * @param index a registered index.
     * @return the node's name, or null for a node registered by number.
     * @throws IllegalArgumentException if {@code index} is not registered.
     */
    public String name(final int index)
    {
        final Members current = members;
        checkIndex(current, index);
        return current.names[index];
    }

    /**
     * @return number of registered nodes; indices are {@code 0 .. size() - 1}. Never decreases.
     */
    public int size()
    {
        return members.size;
    }

    /**
     * The wire id of a node name: FNV-1a (64-bit) over the name's UTF-8 bytes, then the MurmurHash3
     * {@code fmix64} finalizer, then shifted right by one bit so ids are non-negative. Stable across
     * versions, JVMs and languages. With {@code n} names the chance that two collide is about
     * {@code n^2 / 2^64} (1 in 7·10^13 for a thousand names); a collision inside one registry is detected
     * and refused, and {@link #register(String, long)} sidesteps hashing altogether.
     *
     * @param name a node name.
     * @return its wire id, {@code 0 .. Long.MAX_VALUE}.
     */
    public static long idOf(final String name)
    {
        long hash = 0xcbf29ce484222325L;
        for (final byte b : name.getBytes(StandardCharsets.UTF_8))
        {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash >>> 1;
    }

    Members members()
    {
        return members;
    }

    private int add(final Members current, final long nodeId, final String name)
    {
        if (current.size >= MAX_NODES)
        {
            throw new IllegalArgumentException("registry is full: " + MAX_NODES + " nodes");
        }
        final Members next = current.with(nodeId, name);
        members = next;
        return next.size - 1;
    }

    private static void checkIndex(final Members current, final int index)
    {
        if (index < 0 || index >= current.size)
        {
            throw new IllegalArgumentException(
                "node index " + index + " is not registered (registry has " + current.size + " nodes)");
        }
    }

    private static void checkId(final long nodeId)
    {
        if (nodeId < 0)
        {
            throw new IllegalArgumentException("a node's wire id cannot be negative: " + nodeId);
        }
    }

    private static void checkName(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("a node name cannot be " + (name == null ? "null" : "empty"));
        }
    }

    @Override
    public String toString()
    {
        final Members current = members;
        final StringBuilder sb = new StringBuilder("NodeRegistry{");
        for (int i = 0; i < current.size; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(i).append('=');
            sb.append(current.names[i] == null ? Long.toString(current.ids[i]) : current.names[i]);
        }
        return sb.append('}').toString();
    }

    /** An immutable membership snapshot; never mutated once published. */
    static final class Members
    {
        static final Members EMPTY = new Members(
            0, new long[0], new String[0], new int[0], new Long2LongHashMap(UNKNOWN),
            new Object2IntHashMap<>(UNKNOWN));

        final int size;
        final long[] ids;
        final String[] names;
        /** Indices in ascending wire-id order: the order entries are encoded in. */
        final int[] sortedByIdIndices;
        private final Long2LongHashMap indexById;
        private final Object2IntHashMap<String> indexByName;

        private Members(
            final int size, final long[] ids, final String[] names, final int[] sortedByIdIndices,
            final Long2LongHashMap indexById, final Object2IntHashMap<String> indexByName)
        {
            this.size = size;
            this.ids = ids;
            this.names = names;
            this.sortedByIdIndices = sortedByIdIndices;
            this.indexById = indexById;
            this.indexByName = indexByName;
        }

        int indexOf(final long nodeId)
        {
            return (int)indexById.get(nodeId);
        }

        int indexOf(final String name)
        {
            return indexByName.getValue(name);
        }

        Members with(final long nodeId, final String name)
        {
            final int index = size;
            final long[] newIds = Arrays.copyOf(ids, size + 1);
            newIds[index] = nodeId;
            final String[] newNames = Arrays.copyOf(names, size + 1);
            newNames[index] = name;

            final int[] newSorted = new int[size + 1];
            int insertAt = 0;
            while (insertAt < size && ids[sortedByIdIndices[insertAt]] < nodeId)
            {
                insertAt++;
            }
            System.arraycopy(sortedByIdIndices, 0, newSorted, 0, insertAt);
            newSorted[insertAt] = index;
            System.arraycopy(sortedByIdIndices, insertAt, newSorted, insertAt + 1, size - insertAt);

            final Long2LongHashMap newById = new Long2LongHashMap(indexById);
            newById.put(nodeId, index);
            final Object2IntHashMap<String> newByName = new Object2IntHashMap<>(indexByName);
            if (name != null)
            {
                newByName.put(name, index);
            }
            return new Members(size + 1, newIds, newNames, newSorted, newById, newByName);
        }
    }
}
