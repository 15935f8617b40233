package dev.ordo.clocks.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * {@link #nodeId(int)}, {@link #size()}) are wait-free and allocation-free: they read a snapshot published
 * through a volatile field. Registration takes a lock and costs amortized O(1) per new node: the id and name
 * arrays and the two hash indexes are append-only and grow by doubling, so a snapshot shares them with its
 * successors (a reader never looks past its snapshot's size, and every slot it can see was written before
 * the snapshot was published). The ascending-id order that encodings need is built lazily, on the first
 * encode after registrations, in O(size + new · log new). A registration made by one thread is visible to
 * lookups that start after it returns.
 */
public final class NodeRegistry
{
    /** Most nodes one registry holds (a clock costs about 8 bytes per registered node). */
    public static final int MAX_NODES = 1 << 20;

    /** Returned by the {@code indexOf} methods for an unknown node. */
    public static final int UNKNOWN = -1;

    private volatile Members members = Members.EMPTY;
    /** Final entries of retired nodes by index (0: active); copy-on-write under the lock, empty until a retire. */
    private volatile long[] finals = new long[0];

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
     * Retires a node that has left for good, at its final entry: the number of events it made (for hybrid
     * entries, the timestamp of its last event). It never changes again, so a clock whose entry equals it
     * has seen the node's final state, and that entry is exact forever. Clocks keep such entries exactly in
     * memory (every comparison and merge stays exact) and encode them as a compact <em>retired</em> marker
     * that needs no value bits, so a departed node with a large counter never widens an encoding. Entries
     * below the final value stay exact too and encode as before. Decoding a marker needs the final value:
     * {@code decode} and {@code merge(EncodedVectorClock)} refuse one for a node not retired here.
     *
     * <p>Every replica must retire the node at the same value, its true final entry (a membership service
     * or the node's own goodbye message tells it). Retiring is idempotent for the same value. Takes the
     * registry's lock and copies the table of final values once (O(size)); lookups stay wait-free.
     *
     * @param nodeIndex  a registered index.
     * @param finalValue the node's final entry, {@code >= 1}.
     * @throws IllegalArgumentException if the index is not registered, the value is below 1, or the node is
     *                                  already retired at another value.
     */
    public synchronized void retire(final int nodeIndex, final long finalValue)
    {
        final Members current = members;
        checkIndex(current, nodeIndex);
        if (finalValue < 1)
        {
            throw new IllegalArgumentException(
                "cannot retire node " + current.ids[nodeIndex] + " at " + finalValue + ": a final entry is >= 1");
        }
        final long[] table = finals;
        final long existing = nodeIndex < table.length ? table[nodeIndex] : 0;
        if (existing == finalValue)
        {
            return;
        }
        if (existing != 0)
        {
            throw new IllegalArgumentException(
                "node " + current.ids[nodeIndex] + " is already retired at " + existing + ", not " + finalValue);
        }
        final long[] next = Arrays.copyOf(table, Math.max(table.length, current.size));
        next[nodeIndex] = finalValue;
        finals = next;
    }

    /**
     * @param nodeIndex a node index.
     * @return the final entry the node was {@linkplain #retire(int, long) retired} at, or 0 if it is not
     * retired (or not registered). Wait-free, allocation-free.
     */
    public long finalValue(final int nodeIndex)
    {
        final long[] table = finals;
        return nodeIndex >= 0 && nodeIndex < table.length ? table[nodeIndex] : 0;
    }

    /**
     * @return true when at least one node is retired.
     */
    public boolean hasRetiredNodes()
    {
        return finals.length != 0;
    }

    /** The published table of final values, by index (0: not retired); replaced, never written, once read. */
    long[] finals()
    {
        return finals;
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
        final Members next = current.with(nodeId, name, this);
        members = next;
        return next.size - 1;
    }

    /**
     * @return array elements copied by registrations so far (growth and rehashing): linear in the number of
     * nodes, never quadratic. For tests.
     */
    long elementsCopied()
    {
        return elementsCopied;
    }

    /** The largest sorted view built so far: a prefix every later view extends. */
    private volatile Sorted lastSorted = Sorted.EMPTY;
    private long elementsCopied;

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

    /**
     * Allocates; for logs and tests. Example: {@code NodeRegistry{0=alice, 1=42}}.
     */
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

    /**
     * A membership snapshot: the first {@link #size} slots of append-only arrays shared with later snapshots.
     * Slots below {@code size} never change once published.
     */
    static final class Members
    {
        static final Members EMPTY =
            new Members(null, 0, new long[0], new String[0], LongIndex.EMPTY, NameIndex.EMPTY);

        private final NodeRegistry owner;
        final int size;
        /** Wire ids by index; slots at and above {@link #size} belong to later snapshots. */
        final long[] ids;
        final String[] names;
        private final LongIndex indexById;
        private final NameIndex indexByName;
        /** Lazily built ascending-id view (racy single-check: an immutable object, any copy is right). */
        private Sorted sorted;

        private Members(
            final NodeRegistry owner, final int size, final long[] ids, final String[] names,
            final LongIndex indexById, final NameIndex indexByName)
        {
            this.owner = owner;
            this.size = size;
            this.ids = ids;
            this.names = names;
            this.indexById = indexById;
            this.indexByName = indexByName;
        }

        int indexOf(final long nodeId)
        {
            final int index = indexById.get(nodeId);
            return index < size ? index : UNKNOWN;
        }

        int indexOf(final String name)
        {
            final int index = indexByName.get(name);
            return index < size ? index : UNKNOWN;
        }

        /** Called under the registry's lock. */
        Members with(final long nodeId, final String name, final NodeRegistry registry)
        {
            final int index = size;
            long[] newIds = ids;
            String[] newNames = names;
            if (index == ids.length)
            {
                final int capacity = Math.max(8, index * 2);
                newIds = Arrays.copyOf(ids, capacity);
                newNames = Arrays.copyOf(names, capacity);
                registry.elementsCopied += 2L * index;
            }
            newIds[index] = nodeId;
            newNames[index] = name;
            final LongIndex byId = indexById.with(nodeId, index, newIds, index + 1, registry);
            final NameIndex byName = name == null ? indexByName : indexByName.with(name, index, newNames, index + 1,
                registry);
            return new Members(registry, index + 1, newIds, newNames, byId, byName);
        }

        /** Ascending wire-id order of this snapshot's nodes (what encodings walk). Allocates once per snapshot. */
        Sorted sorted()
        {
            final Sorted cached = sorted;
            return cached != null ? cached : buildSorted();
        }

        private Sorted buildSorted()
        {
            // Extend the largest view built so far when it covers a prefix of this snapshot (the usual case:
            // registrations only append), so a burst of registrations costs one sort of the new nodes.
            final Sorted last = owner == null ? Sorted.EMPTY : owner.lastSorted;
            final Sorted built = (last.indices.length <= size ? last : Sorted.EMPTY).extend(this);
            sorted = built;
            if (owner != null && built.indices.length > owner.lastSorted.indices.length)
            {
                owner.lastSorted = built;
            }
            return built;
        }
    }

    /** Indices in ascending wire-id order: {@code ids[k] == Members.ids[indices[k]]}. Immutable. */
    static final class Sorted
    {
        static final Sorted EMPTY = new Sorted(new int[0], new long[0]);

        final int[] indices;
        final long[] ids;

        /** Lazily built id block (racy single-check: an object with final fields, any copy is right). */
        private IdBlock idBlock;

        private Sorted(final int[] indices, final long[] ids)
        {
            this.indices = indices;
            this.ids = ids;
        }

        /**
         * @return the ids block of an encoding that holds an entry for every node of this view: every id in
         * ascending order at the smallest width that holds the largest, little-endian. An encoding whose
         * count is {@code ids.length} and whose ids block equals these bytes has exactly these nodes, so
         * entry {@code k} is node index {@code indices[k]}: decoding and comparing check the ids with one
         * bulk comparison, and encoding copies them. Built on the first call (allocates), then cached.
         */
        IdBlock idBlock()
        {
            final IdBlock cached = idBlock;
            return cached != null ? cached : (idBlock = new IdBlock(ids));
        }

        /**
         * @return the sorted view of {@code members}, built from this view of a prefix of them: the new nodes
         * are sorted ({@code t log t}) and merged in (linear).
         */
        Sorted extend(final Members members)
        {
            final int from = indices.length;
            final int size = members.size;
            final int tail = size - from;
            if (tail == 0)
            {
                return this;
            }
            final long[] tailIds = Arrays.copyOfRange(members.ids, from, size);
            Arrays.sort(tailIds);
            final int[] newIndices = new int[size];
            final long[] newIds = new long[size];
            int i = 0;
            int j = 0;
            for (int k = 0; k < size; k++)
            {
                if (j >= tail || (i < from && ids[i] < tailIds[j]))
                {
                    newIndices[k] = indices[i];
                    newIds[k] = ids[i++];
                }
                else
                {
                    newIndices[k] = members.indexOf(tailIds[j]);
                    newIds[k] = tailIds[j++];
                }
            }
            return new Sorted(newIndices, newIds);
        }
    }

    /** The encoded ids of every node of a {@link Sorted} view, for the wire format's ids block. Immutable. */
    static final class IdBlock
    {
        /** Id width code of the layout byte (0..3). */
        final int widthCode;
        /** The ids, ascending, {@code 1 << widthCode} bytes each, little-endian. */
        final byte[] bytes;

        IdBlock(final long[] ascendingIds)
        {
            final int n = ascendingIds.length;
            widthCode = n == 0 ? 0 : WireFormat.idWidthCode(ascendingIds[n - 1]);
            final int width = 1 << widthCode;
            bytes = new byte[n * width];
            for (int k = 0; k < n; k++)
            {
                long id = ascendingIds[k];
                for (int b = 0; b < width; b++)
                {
                    bytes[k * width + b] = (byte)id;
                    id >>>= 8;
                }
            }
        }
    }

    /**
     * Open-addressing hash index from wire id to node index, safe for readers during inserts: an insert
     * writes the value, then publishes the key with a release store; a reader that sees the key (acquire)
     * sees its value. Grows by rehashing into a new table, published with the next snapshot (the old one is
     * never written again). Keys are non-negative; -1 marks an empty slot.
     */
    static final class LongIndex
    {
        private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(long[].class);
        static final LongIndex EMPTY = new LongIndex(8);

        private final long[] keys;
        private final int[] values;
        private final int mask;
        private int count;

        private LongIndex(final int capacity)
        {
            keys = new long[capacity];
            Arrays.fill(keys, -1L);
            values = new int[capacity];
            mask = capacity - 1;
        }

        int get(final long key)
        {
            int slot = hash(key) & mask;
            while (true)
            {
                final long k = (long)KEYS.getAcquire(keys, slot);
                if (k == key)
                {
                    return values[slot];
                }
                if (k == -1L)
                {
                    return UNKNOWN;
                }
                slot = (slot + 1) & mask;
            }
        }

        /** Under the registry's lock. @return this index (key added) or a grown copy. */
        LongIndex with(
            final long key, final int value, final long[] allIds, final int size, final NodeRegistry registry)
        {
            LongIndex target = this;
            if (this == EMPTY || (count + 1) * 2 > keys.length)
            {
                target = new LongIndex(Math.max(16, Integer.highestOneBit(Math.max(1, size)) * 4));
                for (int i = 0; i < size - 1; i++)
                {
                    target.insert(allIds[i], i);
                }
                registry.elementsCopied += size - 1;
            }
            target.insert(key, value);
            return target;
        }

        private void insert(final long key, final int value)
        {
            int slot = hash(key) & mask;
            while (keys[slot] != -1L)
            {
                slot = (slot + 1) & mask;
            }
            values[slot] = value;
            KEYS.setRelease(keys, slot, key);
            count++;
        }

        private static int hash(final long key)
        {
            final long h = key * 0x9E3779B97F4A7C15L;
            return (int)(h ^ (h >>> 32));
        }
    }

    /** The same for names (null marks an empty slot). */
    static final class NameIndex
    {
        private static final VarHandle KEYS = MethodHandles.arrayElementVarHandle(String[].class);
        static final NameIndex EMPTY = new NameIndex(8);

        private final String[] keys;
        private final int[] values;
        private final int mask;
        private int count;

        private NameIndex(final int capacity)
        {
            keys = new String[capacity];
            values = new int[capacity];
            mask = capacity - 1;
        }

        int get(final String key)
        {
            int slot = hash(key) & mask;
            while (true)
            {
                final String k = (String)KEYS.getAcquire(keys, slot);
                if (k == null)
                {
                    return UNKNOWN;
                }
                if (k.equals(key))
                {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
        }

        NameIndex with(
            final String key, final int value, final String[] allNames, final int size, final NodeRegistry registry)
        {
            NameIndex target = this;
            if (this == EMPTY || (count + 1) * 2 > keys.length)
            {
                target = new NameIndex(Math.max(16, Integer.highestOneBit(Math.max(1, size)) * 4));
                for (int i = 0; i < size - 1; i++)
                {
                    if (allNames[i] != null)
                    {
                        target.insert(allNames[i], i);
                    }
                }
                registry.elementsCopied += size - 1;
            }
            target.insert(key, value);
            return target;
        }

        private void insert(final String key, final int value)
        {
            int slot = hash(key) & mask;
            while (keys[slot] != null)
            {
                slot = (slot + 1) & mask;
            }
            values[slot] = value;
            KEYS.setRelease(keys, slot, key);
            count++;
        }

        private static int hash(final String key)
        {
            final int h = key.hashCode() * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
