package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.InvalidTimestampException;
import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A mutable vector clock over {@code long} entries, one per node of a {@link NodeRegistry}, that allocates
 * nothing on its hot paths: {@link #increment(int)}, {@link #merge(VectorClock)},
 * {@link #compare(VectorClock)}, {@link #encode(MutableDirectBuffer, int)},
 * {@link #decode(DirectBuffer, int, int)}, {@link #compare(EncodedVectorClock)} and
 * {@link #merge(EncodedVectorClock)} are array walks over primitives.
 *
 * <p>Semantics (Mattern/Fidge): entry {@code i} counts the events of node {@code i} this history contains.
 * A node's entry missing from a clock (never incremented, or registered after the clock was created) is 0.
 * {@link #compare(VectorClock)} answers {@link Causality#BEFORE} when every entry is {@code <=} the other
 * clock's and one is smaller, {@link Causality#AFTER} for the mirror image, {@link Causality#EQUAL} and
 * otherwise {@link Causality#CONCURRENT}, in one pass that stops as soon as the answer is settled.
 *
 * <p>Entries are event counters ({@link EntryKind#COUNTERS}) or packed hybrid logical clock timestamps
 * ({@link EntryKind#HLC_MILLIS}, {@link EntryKind#HLC_MICROS}): then {@link #increment(int, long)} sets a
 * node's entry to the timestamp of its new event, and the clock tells roughly when each node last acted as
 * well as the causal order. Clocks of different kinds or registries are never mixed.
 *
 * <p>Pruning that does not lie: {@link #prune(PruningPolicy)} drops the counters of old entries to shrink
 * encodings but remembers that it did. A pruned entry keeps its node id and a lower bound (1), and every
 * comparison that depends on a pruned entry answers {@link Causality#CONCURRENT} instead of a possibly false
 * BEFORE/AFTER/EQUAL, counted by {@link #uncertainComparisonCount()}. Merging keeps the flag (the true value
 * stays unknown), so a pruned entry stays pruned in every descendant until {@link #reset()}.
 *
 * <p>Retiring a departed node keeps every order exact: {@link NodeRegistry#retire(int, long)} records its
 * final value; entries stay exact in memory, and an entry at the final value encodes as a compact retired
 * marker that {@code decode} resolves through the registry. Prefer it to pruning for nodes that left.
 *
 * <p>Concurrency contract: single writer. One thread owns a clock and calls every method on it (the
 * comparison methods too: they update a statistics counter). To share the state with other threads,
 * publish it through a {@link VectorClockSnapshot}, which readers copy from without locks or allocation.
 * The {@link NodeRegistry} may be extended concurrently: a clock grows (allocating once) the first time it
 * meets a node registered after it was created.
 *
 * <p>Overflow: an entry never passes {@link EntryKind#maxValue()}; {@link #increment(int)} throws
 * {@link ClockOverflowException} instead and leaves the clock unchanged. Failed operations (bad index, bad
 * timestamp, malformed bytes) leave the clock unchanged too.
 */
public final class VectorClock
{
    private static final long[] NO_LONGS = new long[0];
    private static final int[] NO_INTS = new int[0];
    private static final byte[] NO_BYTES = new byte[0];

    private final NodeRegistry registry;
    private final EntryKind kind;
    /** Scratch view of the bytes of the current encode/decode call; detached when the call returns. */
    private final WireBytes scratch = new WireBytes();

    private long[] values;
    private long[] prunedBits;
    /** Scratch of the fused array decode (null until the first); swapped with the live arrays on success. */
    private long[] scratchValues;
    private long[] scratchBits;
    /** When each entry last changed, in {@link #changeCount} units: the larger of this and {@link #changedSince}. */
    private long[] changedAt;
    /** Every entry changed at this count or later (set when every entry is replaced at once). */
    private long changedSince;
    private int prunedCount;
    /**
     * The registry snapshot the view fields below were taken from (null until the first array decode or
     * encoded compare). The array fast paths check the registry's current snapshot against it (one
     * identity check) and read the ids block, the entry order and the largest id from this clock's own
     * fields instead of through a chain of dependent loads (registry, snapshot, sorted view, id block,
     * bytes) on every call. Refreshed when the registry has changed; single writer like the rest. Every user
     * reads them through {@link #syncedMembers()}: for {@code decode} a view of an older snapshot would still
     * decode right (registrations only append), but {@code compare(EncodedVectorClock)} with one would ignore
     * this clock's entries for newer nodes (red team, round 8).
     */
    private NodeRegistry.Members viewMembers;
    /** Node index of entry k of an encoding that holds every node of {@link #viewMembers}. */
    private int[] viewOrder = NO_INTS;
    /** The ids block of such an encoding ({@link NodeRegistry.Sorted#idBlock()}). */
    private byte[] viewIdBytes = NO_BYTES;
    /** Its id width code (0..3). */
    private int viewIdWidthCode;
    /** The largest registered id (0 when there is none). */
    private long viewLastId;
    private long changeCount;
    private long uncertainComparisonCount;
    private long prunedEntryCount;

    /**
     * An all-zero counter clock sized for every node registered so far (later nodes grow it once).
     *
     * @param registry the membership this clock's indices refer to.
     */
    public VectorClock(final NodeRegistry registry)
    {
        this(registry, EntryKind.COUNTERS);
    }

    /**
     * An all-zero clock of the given entry kind.
     *
     * @param registry the membership this clock's indices refer to.
     * @param kind     what the entries hold.
     */
    public VectorClock(final NodeRegistry registry, final EntryKind kind)
    {
        if (registry == null || kind == null)
        {
            throw new IllegalArgumentException("a vector clock needs a registry and an entry kind");
        }
        this.registry = registry;
        this.kind = kind;
        final int size = registry.size();
        this.values = size == 0 ? NO_LONGS : new long[size];
        this.changedAt = size == 0 ? NO_LONGS : new long[size];
        this.prunedBits = new long[bitWords(size)];
    }

    /**
     * @return the membership this clock's indices refer to.
     */
    public NodeRegistry registry()
    {
        return registry;
    }

    /**
     * @return what the entries hold.
     */
    public EntryKind kind()
    {
        return kind;
    }

    /**
     * Records an event of node {@code nodeIndex}: its entry grows by one (for hybrid entries: by one logical
     * tick, which carries into the physical part when the logical part is full, keeping the order).
     *
     * @param nodeIndex a registered index.
     * @return the entry's new value.
     * @throws IllegalArgumentException if the index is not registered.
     * @throws ClockOverflowException   if the entry is at {@link EntryKind#maxValue()}; unchanged then.
     */
    public long increment(final int nodeIndex)
    {
        final long[] vs = slot(nodeIndex);
        final long current = vs[nodeIndex];
        if (current >= kind.maxValue())
        {
            throw new ClockOverflowException(
                "entry of node " + registry.nodeId(nodeIndex) + " is at the largest " + kind + " value " +
                current + "; the vector clock is unchanged");
        }
        final long next = current + 1;
        vs[nodeIndex] = next;
        changedAt[nodeIndex] = ++changeCount;
        return next;
    }

    /**
     * Records an event of the named node; see {@link #increment(int)}.
     *
     * @param nodeName a registered name.
     * @return the entry's new value.
     * @throws IllegalArgumentException if the name is not registered.
     */
    public long increment(final String nodeName)
    {
        return increment(indexOfName(nodeName));
    }

    /**
     * Records an event of node {@code nodeIndex} stamped {@code newValue}, typically the packed hybrid
     * timestamp of the event from the node's hybrid logical clock: the entry becomes {@code newValue}.
     *
     * @param nodeIndex a registered index.
     * @param newValue  strictly greater than the entry's current value, at most {@link EntryKind#maxValue()}.
     * @return {@code newValue}.
     * @throws InvalidTimestampException if {@code newValue} is not greater than the entry or out of range;
     *                                   the clock is unchanged.
     * @throws IllegalArgumentException  if the index is not registered.
     */
    public long increment(final int nodeIndex, final long newValue)
    {
        final long[] vs = slot(nodeIndex);
        final long current = vs[nodeIndex];
        if (newValue <= current || newValue > kind.maxValue())
        {
            throw new InvalidTimestampException(
                "cannot set the " + kind + " entry of node " + registry.nodeId(nodeIndex) + " to " + newValue +
                ": it must be greater than the current " + current + " and at most " + kind.maxValue() +
                "; the vector clock is unchanged");
        }
        vs[nodeIndex] = newValue;
        changedAt[nodeIndex] = ++changeCount;
        return newValue;
    }

    /**
     * @param nodeIndex a registered index.
     * @return the node's entry: 0 when the node has no event in this history; for a pruned entry, the
     * lower bound it keeps.
     * @throws IllegalArgumentException if the index is not registered.
     */
    public long get(final int nodeIndex)
    {
        if (nodeIndex >= 0 && nodeIndex < values.length)
        {
            return values[nodeIndex];
        }
        checkRegistered(nodeIndex);
        return 0;
    }

    /**
     * @param nodeName a registered name.
     * @return see {@link #get(int)}.
     * @throws IllegalArgumentException if the name is not registered.
     */
    public long get(final String nodeName)
    {
        return get(indexOfName(nodeName));
    }

    /**
     * @param nodeIndex a registered index.
     * @return true when the entry was pruned: its true value is unknown, {@link #get(int)} is a lower bound.
     */
    public boolean isPruned(final int nodeIndex)
    {
        if (nodeIndex >= 0 && nodeIndex < values.length)
        {
            return isPrunedBit(prunedBits, nodeIndex);
        }
        checkRegistered(nodeIndex);
        return false;
    }

    /**
     * @return number of non-zero entries (pruned ones included): the entries an encoding carries.
     */
    public int liveEntries()
    {
        int live = 0;
        for (final long v : values)
        {
            if (v != 0)
            {
                live++;
            }
        }
        return live;
    }

    /**
     * @return number of entries currently pruned.
     */
    public int prunedEntries()
    {
        return prunedCount;
    }

    /**
     * @return how many entries {@link #prune(PruningPolicy)} has pruned on this clock since it was created.
     */
    public long prunedEntryCount()
    {
        return prunedEntryCount;
    }

    /**
     * @return how many comparisons made by this clock answered {@link Causality#CONCURRENT} only because a
     * pruned entry made BEFORE, AFTER or EQUAL impossible to prove (the answers naive pruning gets wrong).
     */
    public long uncertainComparisonCount()
    {
        return uncertainComparisonCount;
    }

    /**
     * Merges another history into this one: every entry becomes the maximum of both (pointwise max, the
     * least upper bound). Commutative, associative and idempotent. A pruned entry on either side stays pruned.
     *
     * @param other a clock of the same registry and kind; unchanged.
     * @throws IllegalArgumentException if the registries or kinds differ.
     */
    public void merge(final VectorClock other)
    {
        checkCompatible(other);
        final long[] theirs = other.values;
        if (theirs.length > values.length)
        {
            growForTail(theirs);
        }
        final long[] mine = values;
        final long stamp = ++changeCount;
        final long[] changed = changedAt;
        for (int i = 0, n = Math.min(theirs.length, mine.length); i < n; i++)
        {
            final long y = theirs[i];
            if (y > mine[i])
            {
                mine[i] = y;
                changed[i] = stamp;
            }
        }
        if (other.prunedCount != 0)
        {
            final long[] bits = prunedBits;
            final long[] theirBits = other.prunedBits;
            int count = 0;
            for (int w = 0; w < bits.length; w++)
            {
                final long merged = bits[w] | (w < theirBits.length ? theirBits[w] : 0);
                bits[w] = merged;
                count += Long.bitCount(merged);
            }
            prunedCount = count;
        }
    }

    /**
     * Compares two histories in one pass, stopping as soon as the answer is settled (two entries ordered
     * opposite ways). With pruned entries on either side, answers {@link Causality#CONCURRENT} whenever the
     * order depends on a pruned entry, and counts it in {@link #uncertainComparisonCount()}.
     *
     * @param other a clock of the same registry and kind.
     * @return how this history relates to {@code other}'s.
     * @throws IllegalArgumentException if the registries or kinds differ.
     */
    public Causality compare(final VectorClock other)
    {
        checkCompatible(other);
        if ((prunedCount | other.prunedCount) != 0)
        {
            return comparePruned(other);
        }
        final long[] a = values;
        final long[] b = other.values;
        final int common = Math.min(a.length, b.length);
        boolean lt = false;
        boolean gt = false;
        for (int i = 0; i < common; i++)
        {
            final long x = a[i];
            final long y = b[i];
            if (x != y)
            {
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt && gt)
                {
                    return Causality.CONCURRENT;
                }
            }
        }
        if (!gt && hasNonZero(a, common))
        {
            gt = true;
        }
        if (!lt && hasNonZero(b, common))
        {
            lt = true;
        }
        return lt ? (gt ? Causality.CONCURRENT : Causality.BEFORE) : (gt ? Causality.AFTER : Causality.EQUAL);
    }

    /**
     * @param other a clock of the same registry and kind.
     * @return true when this history happened before {@code other}'s ({@link #compare(VectorClock)} is BEFORE).
     */
    public boolean happenedBefore(final VectorClock other)
    {
        return compare(other) == Causality.BEFORE;
    }

    /**
     * @param other a clock of the same registry and kind.
     * @return true when this history happened after {@code other}'s ({@link #compare(VectorClock)} is AFTER).
     */
    public boolean happenedAfter(final VectorClock other)
    {
        return compare(other) == Causality.AFTER;
    }

    /**
     * @param other a clock of the same registry and kind.
     * @return true when neither history contains the other, or the order cannot be proved.
     */
    public boolean isConcurrent(final VectorClock other)
    {
        return compare(other) == Causality.CONCURRENT;
    }

    /**
     * Makes {@code target} an exact copy of this clock's history (entries and pruned flags). Allocates only
     * if {@code target} has not seen every node this clock has.
     *
     * @param target a clock of the same registry and kind.
     * @throws IllegalArgumentException if the registries or kinds differ.
     */
    public void copyTo(final VectorClock target)
    {
        checkCompatible(target);
        if (target == this)
        {
            return;
        }
        final long[] src = values;
        if (target.values.length < src.length)
        {
            target.growTo(src.length);
        }
        final long[] dst = target.values;
        System.arraycopy(src, 0, dst, 0, src.length);
        Arrays.fill(dst, src.length, dst.length, 0L);
        final long[] srcBits = prunedBits;
        final long[] dstBits = target.prunedBits;
        System.arraycopy(srcBits, 0, dstBits, 0, srcBits.length);
        Arrays.fill(dstBits, srcBits.length, dstBits.length, 0L);
        target.prunedCount = prunedCount;
        target.stampAll();
    }

    /**
     * Makes this clock an exact copy of {@code source}; see {@link #copyTo(VectorClock)}.
     *
     * @param source a clock of the same registry and kind.
     */
    public void copyFrom(final VectorClock source)
    {
        source.copyTo(this);
    }

    /**
     * Forgets the whole history: every entry 0, no pruned entries. Statistics counters are kept.
     */
    public void reset()
    {
        Arrays.fill(values, 0L);
        Arrays.fill(prunedBits, 0L);
        prunedCount = 0;
    }

    /** Drops one entry (value and pruned flag): for the value form's {@code without}. */
    void clearEntry(final int index)
    {
        if (index >= 0 && index < values.length && values[index] != 0)
        {
            values[index] = 0;
            if (isPrunedBit(prunedBits, index))
            {
                prunedBits[index >>> 6] &= ~(1L << index);
                prunedCount--;
            }
            changedAt[index] = ++changeCount;
        }
    }

    /**
     * Prunes the entries the policy selects. The policy is offered every live (non-zero, not yet pruned)
     * entry once, oldest first: "oldest" is the entry changed least recently, counted in changes made to this
     * clock (increments, merges and decodes that raised an entry); ties go to the smaller node id. A pruned
     * entry keeps its node id and the lower bound 1, with the pruned flag set (see the class comment for what
     * comparisons then answer). Not a hot path: O(live · log live) time; allocates one array of the live
     * entries.
     *
     * @param policy decides which entries go.
     * @return the number of entries pruned by this call.
     */
    public int prune(final PruningPolicy policy)
    {
        final long[] vs = values;
        final long[] changed = changedAt;
        final long[] ids = registry.members().ids;
        final long[] finals = registry.finals();
        int live = 0;
        for (int i = 0; i < vs.length; i++)
        {
            if (vs[i] != 0 && !isPrunedBit(prunedBits, i) && !isRetiredEntry(finals, i, vs[i]))
            {
                live++;
            }
        }
        final Integer[] oldestFirst = new Integer[live];
        for (int i = 0, n = 0; i < vs.length; i++)
        {
            if (vs[i] != 0 && !isPrunedBit(prunedBits, i) && !isRetiredEntry(finals, i, vs[i]))
            {
                oldestFirst[n++] = i;
            }
        }
        final long since = changedSince;
        for (int i = 0; i < changed.length; i++)
        {
            changed[i] = Math.max(changed[i], since);
        }
        Arrays.sort(oldestFirst, (x, y) -> changed[x] != changed[y] ?
            Long.compare(changed[x], changed[y]) : Long.compare(ids[x], ids[y]));
        int pruned = 0;
        for (final int next : oldestFirst)
        {
            if (policy.shouldPrune(ids[next], vs[next], changeCount - changed[next], live))
            {
                vs[next] = 1;
                prunedBits[next >>> 6] |= 1L << next;
                prunedCount++;
                prunedEntryCount++;
                pruned++;
                live--;
            }
        }
        return pruned;
    }

    /**
     * @return the exact number of bytes the {@code encode} methods write now.
     */
    public int encodedLength()
    {
        final NodeRegistry.Members members = registry.members();
        final long[] vs = values;
        final long[] ids = members.ids;
        final long[] finals = registry.finals();
        int count = 0;
        long idBits = 0;
        long valueBits = 0;
        for (int i = 0, n = Math.min(vs.length, members.size); i < n; i++)
        {
            final long v = vs[i];
            if (v != 0)
            {
                count++;
                idBits |= ids[i];
                if (finals.length == 0 || !isRetiredEntry(finals, i, v))
                {
                    valueBits |= v;
                }
            }
        }
        return WireFormat.encodedLength(count, idBits, valueBits);
    }

    /**
     * Writes this clock in the wire format (docs/vector-clocks.md): format byte, layout byte, entry count,
     * then node id and value of every non-zero entry in ascending node-id order, at fixed widths. The
     * encoding is canonical: two clocks with the same history encode to the same bytes. Allocation-free.
     *
     * @param buffer where to write; must have {@link #encodedLength()} bytes from {@code offset} on.
     * @param offset where the encoding starts.
     * @return the number of bytes written, {@link #encodedLength()}.
     * @throws IllegalArgumentException if the array is too small; nothing is written then.
     */
    public int encode(final byte[] buffer, final int offset)
    {
        if (prunedCount == 0 && !registry.hasRetiredNodes())
        {
            return encodeArray(buffer, offset);
        }
        final WireBytes out = scratch;
        out.attach(buffer);
        try
        {
            return encodeTo(out, offset);
        }
        finally
        {
            out.detach();
        }
    }

    /**
     * Writes this clock at an absolute index of a byte buffer (heap or direct), as
     * {@link #encode(byte[], int)} does. The buffer's position, limit and byte order are not used or changed.
     *
     * @param buffer where to write; must have {@link #encodedLength()} bytes from {@code index} up to its limit.
     * @param index  where the encoding starts.
     * @return the number of bytes written.
     * @throws IllegalArgumentException if the buffer is read-only or too small; nothing is written then.
     */
    public int encode(final ByteBuffer buffer, final int index)
    {
        if (buffer.isReadOnly())
        {
            throw new IllegalArgumentException("cannot encode a vector clock into a read-only ByteBuffer");
        }
        final WireBytes out = scratch;
        out.attach(buffer);
        try
        {
            return encodeTo(out, index);
        }
        finally
        {
            out.detach();
        }
    }

    /**
     * Writes this clock into an Agrona buffer (for Aeron users; creating Agrona buffers needs Agrona's JVM
     * flag, this method does not), as {@link #encode(byte[], int)} does. An expandable buffer grows to fit.
     *
     * @param buffer where to write; must have {@link #encodedLength()} bytes from {@code offset} on (or be
     *               expandable).
     * @param offset where the encoding starts.
     * @return the number of bytes written.
     * @throws IllegalArgumentException if the buffer is too small; nothing is written then.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        if (buffer.isExpandable() && offset >= 0)
        {
            buffer.checkLimit(offset + encodedLength());
        }
        final WireBytes out = scratch;
        out.attach(buffer);
        try
        {
            return encodeTo(out, offset);
        }
        finally
        {
            out.detach();
        }
    }

    /**
     * The array fast path of {@link #encode(byte[], int)} for a clock without pruned entries in a registry
     * without retired nodes (so no entry carries the flag): the same bytes, written straight into the array,
     * each field with one store of exactly its width. When every registered node has an entry, the ids block
     * is the registry's ({@link NodeRegistry.Sorted#idBlock()}), copied in bulk.
     */
    private int encodeArray(final byte[] a, final int offset)
    {
        final NodeRegistry.Members members = registry.members();
        final long[] vs = values;
        final long[] ids = members.ids;
        final int vsLength = Math.min(vs.length, members.size);
        // Pass 1, without branches: the OR of the values and whether one is 0 (entries are never negative, so
        // v - 1 is negative exactly for 0); the live entries are counted only then.
        long valueBits = 0;
        long zero = 0;
        for (int i = 0; i < vsLength; i++)
        {
            final long v = vs[i];
            valueBits |= v;
            zero |= v - 1;
        }
        int count = vsLength;
        if (zero < 0)
        {
            count = 0;
            for (int i = 0; i < vsLength; i++)
            {
                count += vs[i] != 0 ? 1 : 0;
            }
        }
        long idBits = 0;
        if (count == members.size && count != 0)
        {
            idBits = members.sorted().ids[count - 1];  // every node: the largest id has the OR's top bit
        }
        else
        {
            for (int i = 0; i < vsLength; i++)
            {
                idBits |= vs[i] != 0 ? ids[i] : 0;
            }
        }
        final int length = WireFormat.encodedLength(count, idBits, valueBits);
        if (offset < 0 || offset > a.length - length)
        {
            throw new IllegalArgumentException(
                "cannot encode a vector clock of " + length + " bytes at offset " + offset + " into a buffer of " +
                "capacity " + a.length);
        }
        final int layout = WireFormat.layoutOf(count, idBits, valueBits, false);
        a[offset] = (byte)WireFormat.formatByteOf(kind);
        a[offset + 1] = (byte)layout;
        int q = offset + 2;
        for (int c = count; ; c >>>= 7)
        {
            if (c < 0x80)
            {
                a[q++] = (byte)c;
                break;
            }
            a[q++] = (byte)((c & 0x7F) | 0x80);
        }
        if (count == 0)
        {
            return length;
        }
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final NodeRegistry.Sorted sorted = members.sorted();
        final int[] order = sorted.indices;
        final int valuesAt = q + count * idWidth;
        if (count == order.length)
        {
            // Every node has an entry: the ids block is the registry's (same width: the OR of all ids and the
            // largest id have the same top bit), and entry k is node order[k].
            final byte[] block = sorted.idBlock().bytes;
            System.arraycopy(block, 0, a, q, block.length);
            switch (valueWidth)
            {
                case 1:
                    encodeEvery1(a, valuesAt, vs, order, count);
                    break;
                case 2:
                    encodeEvery2(a, valuesAt, vs, order, count);
                    break;
                case 4:
                    encodeEvery4(a, valuesAt, vs, order, count);
                    break;
                default:
                    encodeEvery8(a, valuesAt, vs, order, count);
                    break;
            }
            return length;
        }
        final long[] sortedIds = sorted.ids;
        int qi = q;
        int qv = valuesAt;
        for (int k = 0; k < order.length; k++)
        {
            final int i = order[k];
            final long v = i < vsLength ? vs[i] : 0;
            if (v != 0)
            {
                WireBytes.put(a, qi, idWidth, sortedIds[k]);
                WireBytes.put(a, qv, valueWidth, v);
                qi += idWidth;
                qv += valueWidth;
            }
        }
        return length;
    }

    private static void encodeEvery1(final byte[] a, final int at, final long[] vs, final int[] order, final int n)
    {
        for (int k = 0, p = at; k < n; k++, p++)
        {
            a[p] = (byte)vs[order[k]];
        }
    }

    private static void encodeEvery2(final byte[] a, final int at, final long[] vs, final int[] order, final int n)
    {
        for (int k = 0, p = at; k < n; k++, p += 2)
        {
            WireBytes.SHORTS.set(a, p, (short)vs[order[k]]);
        }
    }

    private static void encodeEvery4(final byte[] a, final int at, final long[] vs, final int[] order, final int n)
    {
        // Two values a word at a time (little-endian: entry k in the low half; both below 2^32, the layout says):
        // half the stores and index checks of one 4-byte store per value (16 nodes: 26-28 -> 24 ns, 1024 nodes:
        // 1300 -> 835 ns, interleaved).
        int k = 0;
        int p = at;
        for (; k < n - 1; k += 2, p += 8)
        {
            WireBytes.LONGS.set(a, p, vs[order[k]] | vs[order[k + 1]] << 32);
        }
        if (k < n)
        {
            WireBytes.INTS.set(a, p, (int)vs[order[k]]);
        }
    }

    private static void encodeEvery8(final byte[] a, final int at, final long[] vs, final int[] order, final int n)
    {
        for (int k = 0, p = at; k < n; k++, p += 8)
        {
            WireBytes.LONGS.set(a, p, vs[order[k]]);
        }
    }

    private int encodeTo(final WireBytes out, final int offset)
    {
        final NodeRegistry.Members members = registry.members();
        final long[] vs = values;
        final long[] ids = members.ids;
        final int vsLength = Math.min(vs.length, members.size);
        final long[] finals = registry.finals();
        final boolean retiring = finals.length != 0;
        // Pass 1: count, and the bits of every id and value (their widths are those of their maxima). A
        // retired entry at its final value is a marker without value bits: it never widens the encoding.
        int count = 0;
        int markers = 0;
        long idBits = 0;
        long valueBits = 0;
        for (int i = 0; i < vsLength; i++)
        {
            final long v = vs[i];
            if (v != 0)
            {
                count++;
                idBits |= ids[i];
                if (retiring && isRetiredEntry(finals, i, v))
                {
                    markers++;
                }
                else
                {
                    valueBits |= v;
                }
            }
        }
        final int length = WireFormat.encodedLength(count, idBits, valueBits);
        if (offset < 0 || (long)offset + length > out.capacity())
        {
            throw new IllegalArgumentException(
                "cannot encode a vector clock of " + length + " bytes at offset " + offset + " into a buffer of " +
                "capacity " + out.capacity());
        }
        final boolean anyPruned = prunedCount != 0;
        final int layout = WireFormat.layoutOf(count, idBits, valueBits, anyPruned || markers != 0);
        final int idsAt = offset + WireFormat.writeHeader(out, offset, kind, layout, count);
        if (count == 0)
        {
            return length;
        }
        // Pass 2: entries in ascending id order, the id into the ids block and the value into the values block.
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final long flag = 1L << (valueWidth * 8 - 1);
        final NodeRegistry.Sorted sorted = members.sorted();
        final int[] order = sorted.indices;
        final long[] sortedIds = sorted.ids;
        final long[] bits = prunedBits;
        int pi = idsAt;
        int pv = idsAt + count * idWidth;
        for (int k = 0; k < order.length; k++)
        {
            final int i = order[k];
            if (i < vsLength)
            {
                final long v = vs[i];
                if (v != 0)
                {
                    final long raw = markers != 0 && isRetiredEntry(finals, i, v) ? flag :
                        anyPruned && isPrunedBit(bits, i) ? v | flag : v;
                    out.write(pi, idWidth, sortedIds[k]);
                    out.write(pv, valueWidth, raw);
                    pi += idWidth;
                    pv += valueWidth;
                }
            }
        }
        return length;
    }

    /**
     * Replaces this clock's history with the one encoded at {@code buffer[offset, offset + length)}. Validates
     * everything first (format byte and kind, layout, count against the bytes, ascending unique node ids all
     * registered, value ranges, canonical widths, no trailing bytes) without writing anything, and only then
     * applies, so on failure the clock is unchanged. Allocation-free.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @throws MalformedClockException naming what is wrong and where; the clock is unchanged.
     */
    public void decode(final byte[] buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        if (decodeArray(buffer, offset, length))
        {
            return;
        }
        final WireBytes in = scratch;
        in.attach(buffer);
        try
        {
            decodeFrom(in, offset, length);
        }
        finally
        {
            in.detach();
        }
    }

    /**
     * @return the registry's current snapshot, with the view fields taken from it (the only way to read them:
     * see {@link #viewMembers}).
     */
    private NodeRegistry.Members syncedMembers()
    {
        final NodeRegistry.Members members = registry.members();
        if (members != viewMembers)
        {
            syncView(members);
        }
        return members;
    }

    /**
     * Takes the view fields from the registry's snapshot {@code members} (the sorted view and id block are
     * built once per snapshot and shared by every clock; this copies references).
     */
    private void syncView(final NodeRegistry.Members members)
    {
        final NodeRegistry.Sorted sorted = members.sorted();
        final NodeRegistry.IdBlock block = sorted.idBlock();
        final int n = sorted.indices.length;
        viewOrder = sorted.indices;
        viewIdBytes = block.bytes;
        viewIdWidthCode = block.widthCode;
        viewLastId = n == 0 ? 0 : sorted.ids[n - 1];
        viewMembers = members;
    }

    /**
     * The array fast path of {@link #decode(byte[], int, int)}, accepting exactly what the reference path
     * accepts and changing nothing when it returns false (the reference path then decodes or reports the
     * error). Two shapes:
     * <ul>
     *     <li>every registered node has an exact entry (the usual state of a small or medium cluster): the ids
     *     block must equal the registry's ({@link NodeRegistry.Sorted#idBlock()}), one bulk comparison that
     *     checks every id at once (ascending, registered, canonical width) and resolves entry {@code k} to node
     *     {@code order[k]}; then one pass decodes the values into a scratch array while checking them, swapped
     *     in after every check passed;</li>
     *     <li>anything else: validation and decoding fused into one pass (ids resolved by a merge walk over the
     *     registry's ascending ids) that writes only into scratch arrays, swapped in after everything
     *     passed.</li>
     * </ul>
     */
    private boolean decodeArray(final byte[] a, final int offset, final int length)
    {
        final long info = WireFormat.header(a, offset, length, true, kind);
        if (info == WireFormat.INVALID)
        {
            return false;
        }
        final NodeRegistry.Members members = syncedMembers();
        final int count = WireFormat.count(info);
        final int layout = WireFormat.layout(info);
        final int idsAt = offset + WireFormat.headerLength(info);
        final byte[] idBytes = viewIdBytes;
        // Every node, no flag, the registry's id width (so the ids block is idBytes.length long, inside the
        // array: the header checked count * stride against the bytes) and its exact ids.
        if (count == viewOrder.length && count != 0 &&
            (layout & (WireFormat.PRUNED_PRESENT | 3)) == viewIdWidthCode &&
            WireFormat.equalRanges(a, idsAt, idBytes, 0, idBytes.length))
        {
            return decodeEvery(a, idsAt + idBytes.length, layout, viewOrder, count, viewLastId);
        }
        final int valuesAt = idsAt + count * WireFormat.idWidth(layout);
        return decodeSparse(a, info, idsAt, valuesAt, members, members.sorted());
    }

    /**
     * Decodes the values block of an encoding whose ids block is exactly the registry's (entry k is node
     * order[k]) in one pass into the scratch array, checking every value on the way (not zero; at 8 bytes also
     * at most the kind's largest) and OR-ing them for the canonical layout check; swaps the scratch in only
     * when every check passed.
     *
     * @return false (nothing visible changed) if a value or the layout is not valid.
     */
    private boolean decodeEvery(
        final byte[] a, final int valuesAt, final int layout, final int[] order, final int n, final long lastId)
    {
        if (values.length < n)
        {
            growTo(n);                              // capacity only: every entry stays as it was
        }
        long[] sv = scratchValues;
        if (sv == null || sv.length != values.length)
        {
            sv = scratchValues = new long[values.length];
        }
        final int valueWidth = WireFormat.valueWidth(layout);
        // The OR of all values, or -1 if one is not valid (a valid OR is never negative: no flag bits here).
        final long bits;
        switch (valueWidth)
        {
            case 1:
                bits = decodeEvery1(a, valuesAt, order, n, sv);
                break;
            case 2:
                bits = decodeEvery2(a, valuesAt, order, n, sv);
                break;
            case 4:
                bits = decodeEvery4(a, valuesAt, order, n, sv);
                break;
            default:
                bits = decodeEvery8(a, valuesAt, order, n, sv, kind.maxValue());
                break;
        }
        final int flagShift = valueWidth * 8 - 1;
        if (bits < 0 ||
            WireFormat.layoutOf(n, lastId, bits & ((1L << flagShift) - 1), (bits >>> flagShift) != 0) != layout)
        {
            return false;
        }
        // Commit: the decoded history replaces this one; the old array becomes the next call's scratch.
        if (sv.length > n)
        {
            Arrays.fill(sv, n, sv.length, 0L);
        }
        scratchValues = values;
        values = sv;
        if (prunedCount != 0)
        {
            Arrays.fill(prunedBits, 0L);
            prunedCount = 0;
        }
        changedSince = ++changeCount;              // every entry replaced: one store instead of n
        return true;
    }

    private static long decodeEvery1(final byte[] a, final int at, final int[] order, final int n, final long[] sv)
    {
        long bits = 0;
        long bad = 0;
        for (int k = 0, p = at; k < n; k++, p++)
        {
            final long v = a[p] & 0xFFL;
            bad |= v - 1;
            bits |= v;
            sv[order[k]] = v;
        }
        return bad < 0 ? -1 : bits;
    }

    private static long decodeEvery2(final byte[] a, final int at, final int[] order, final int n, final long[] sv)
    {
        long bits = 0;
        long bad = 0;
        for (int k = 0, p = at; k < n; k++, p += 2)
        {
            final long v = (short)WireBytes.SHORTS.get(a, p) & 0xFFFFL;
            bad |= v - 1;
            bits |= v;
            sv[order[k]] = v;
        }
        return bad < 0 ? -1 : bits;
    }

    private static long decodeEvery4(final byte[] a, final int at, final int[] order, final int n, final long[] sv)
    {
        // Two values a word at a time (little-endian: entry k in the low half). A value of 0 is invalid; a zero
        // half is found by subtracting 1 from each half: (w - 0x1_0000_0001) & ~w has bit 31 set exactly when
        // the low half is 0, and bit 63 set exactly when the high half is 0, except that a zero low half
        // borrows from the high one and may set or clear bit 63: the word is invalid then anyway. Half the
        // loads, index checks and checks of one value at a time (16 nodes: 28 -> 24 ns together with the view
        // fields, 1024 nodes: 740 -> 600 ns, interleaved).
        long words = 0;
        long zeros = 0;
        int k = 0;
        int p = at;
        for (; k < n - 1; k += 2, p += 8)
        {
            final long w = (long)WireBytes.LONGS.get(a, p);
            zeros |= (w - 0x0000_0001_0000_0001L) & ~w;
            words |= w;
            sv[order[k]] = w & 0xFFFF_FFFFL;
            sv[order[k + 1]] = w >>> 32;
        }
        if (k < n)
        {
            final long v = (int)WireBytes.INTS.get(a, p) & 0xFFFF_FFFFL;
            zeros |= (v - 1) & ~v;                  // the same test on one value: every bit set exactly for 0
            words |= v;
            sv[order[k]] = v;
        }
        return (zeros & 0x8000_0000_8000_0000L) != 0 ? -1 : (words | words >>> 32) & 0xFFFF_FFFFL;
    }

    private static long decodeEvery8(
        final byte[] a, final int at, final int[] order, final int n, final long[] sv, final long maxValue)
    {
        long bits = 0;
        long bad = 0;
        for (int k = 0, p = at; k < n; k++, p += 8)
        {
            final long v = (long)WireBytes.LONGS.get(a, p);
            bad |= (v - 1) | (maxValue - v);
            bits |= v;
            sv[order[k]] = v;
        }
        return bad < 0 ? -1 : bits;
    }

    /**
     * The fused pass of {@link #decodeArray} for encodings that do not hold every node: writes only into
     * scratch arrays, swapped in after every check passed. The checks are those of
     * {@link WireFormat#validateArray} plus the registry's (every id registered, every retired marker's node
     * retired); returns false on anything it does not accept, having changed nothing visible.
     */
    private boolean decodeSparse(
        final byte[] a, final long info, final int idsAt, final int valuesAt, final NodeRegistry.Members members,
        final NodeRegistry.Sorted sorted)
    {
        final int count = WireFormat.count(info);
        final int n = members.size;
        if (count > n || n > 4 * count + 8)
        {
            return false;                           // too many entries, or a sparse clock: the reference path
        }
        final long[] finals = registry.finals();
        final long[] sortedIds = sorted.ids;
        final int[] order = sorted.indices;
        if (values.length < n)
        {
            growTo(n);                              // capacity only: every entry stays as it was
        }
        long[] sv = scratchValues;
        long[] sb = scratchBits;
        if (sv == null || sb == null || sv.length != values.length || sb.length != prunedBits.length)
        {
            sv = scratchValues = new long[values.length];
            sb = scratchBits = new long[prunedBits.length];
        }
        else
        {
            Arrays.fill(sv, 0L);
            Arrays.fill(sb, 0L);
        }
        final int layout = WireFormat.layout(info);
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << flagShift) - 1;
        final long maxValue = kind.maxValue();
        long previous = -1;
        long ascending = -1;
        long bad = 0;
        long idBits = 0;
        long rawBits = 0;
        int pruned = 0;
        int k = 0;
        for (int e = 0; e < count; e++)
        {
            final long id = WireBytes.get(a, idsAt + e * idWidth, idWidth);
            final long raw = WireBytes.get(a, valuesAt + e * valueWidth, valueWidth);
            final long value = raw & valueMask;
            final long flag = raw >>> flagShift;
            ascending &= previous - id;
            bad |= (value - 1 + flag) | (maxValue - value);
            idBits |= id;
            rawBits |= raw;
            previous = id;
            // Both ascend: resolve the index with a merge walk; an id the walk passes over is unknown.
            while (k < n && sortedIds[k] < id)
            {
                k++;
            }
            if (k == n || sortedIds[k] != id)
            {
                return false;
            }
            final int i = order[k++];
            if (flag == 0)
            {
                sv[i] = value;
            }
            else if (value != 0)
            {
                sv[i] = value;
                sb[i >>> 6] |= 1L << i;
                pruned++;
            }
            else
            {
                final long finalValue = i < finals.length ? finals[i] : 0;
                if (finalValue == 0)
                {
                    return false;                   // a retired marker for a node not retired here
                }
                sv[i] = finalValue;
            }
        }
        if (count != 0 && (ascending >= 0 || (bad | idBits) < 0 ||
            WireFormat.layoutOf(count, previous, rawBits & valueMask, (rawBits >>> flagShift) != 0) != layout))
        {
            return false;
        }
        // Commit: the decoded history replaces this one; the old arrays become the next call's scratch.
        scratchValues = values;
        scratchBits = prunedBits;
        values = sv;
        prunedBits = sb;
        prunedCount = pruned;
        final long stamp = ++changeCount;
        final long[] changed = changedAt;
        for (int i = 0; i < sv.length; i++)
        {
            if (sv[i] != 0)
            {
                changed[i] = stamp;
            }
        }
        return true;
    }

    /**
     * Decodes from absolute indices of a byte buffer (heap or direct, up to its limit), as
     * {@link #decode(byte[], int, int)} does. The buffer's position, limit and order are not used or changed.
     *
     * @param buffer the bytes, untrusted.
     * @param index  where the encoding starts.
     * @param length its exact length.
     * @throws MalformedClockException naming what is wrong and where; the clock is unchanged.
     */
    public void decode(final ByteBuffer buffer, final int index, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(index);
        }
        final WireBytes in = scratch;
        in.attach(buffer);
        try
        {
            decodeFrom(in, index, length);
        }
        finally
        {
            in.detach();
        }
    }

    /**
     * Decodes from an Agrona buffer (for Aeron users), as {@link #decode(byte[], int, int)} does.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @throws MalformedClockException naming what is wrong and where; the clock is unchanged.
     */
    public void decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final WireBytes in = scratch;
        in.attach(buffer);
        try
        {
            decodeFrom(in, offset, length);
        }
        finally
        {
            in.detach();
        }
    }

    /**
     * Replaces this clock's history with a wrapped encoding's: as {@link #decode(byte[], int, int)}. The
     * structure is validated again (the flyweight does not copy, so its bytes may have changed since the wrap)
     * and every node id must be registered. The bytes must not change during the call.
     *
     * @param encoded a wrapped encoding of the same kind.
     * @throws MalformedClockException if the kind differs, the bytes are no longer a valid encoding, or a node
     *                                 id is unknown; the clock is unchanged.
     */
    public void decode(final EncodedVectorClock encoded)
    {
        final NodeRegistry.Members members = registry.members();
        final long[] finals = registry.finals();
        apply(encoded.bytes(), encoded.offset(), checkMergeable(encoded, members, finals), members, finals, true);
    }

    private void decodeFrom(final WireBytes in, final int offset, final int length)
    {
        final NodeRegistry.Members members = registry.members();
        final long[] finals = registry.finals();
        final long info = WireFormat.validate(in, offset, length, true, kind, members, finals);
        apply(in, offset, info, members, finals, true);
    }

    private static MalformedClockException noBuffer(final int offset)
    {
        return new MalformedClockException("no buffer to read a vector clock from", offset);
    }

    /**
     * Merges an encoded history into this one without decoding it into a clock first: as
     * {@link #merge(VectorClock)}, after validating the bytes again and checking that every node id is
     * registered (nothing changes otherwise). Allocation-free.
     *
     * @param encoded a wrapped encoding of the same kind; its bytes are validated again (they may have changed
     *                since the wrap) and must not change during the call.
     * @throws MalformedClockException if the kind differs, the bytes are no longer a valid encoding, or a node
     *                                 id is unknown (the exception's offset is that id's); the clock is
     *                                 unchanged.
     */
    public void merge(final EncodedVectorClock encoded)
    {
        final NodeRegistry.Members members = registry.members();
        final long[] finals = registry.finals();
        apply(encoded.bytes(), encoded.offset(), checkMergeable(encoded, members, finals), members, finals, false);
    }

    /** @return the encoding's header information as its bytes are now (apply uses it, not the wrap's). */
    private long checkMergeable(final EncodedVectorClock encoded, final NodeRegistry.Members members,
        final long[] finals)
    {
        encoded.checkWrapped();
        if (encoded.kind() != kind)
        {
            throw new MalformedClockException(
                "cannot merge an encoded " + encoded.kind() + " clock into a " + kind + " vector clock",
                encoded.offset());
        }
        // Validated again, not only the ids looked up: the flyweight does not copy, so its bytes may have
        // changed since the wrap (a reused receive buffer), and apply trusts strictly ascending registered ids,
        // values in range and the header it is given. So the structure is checked again here, before the clock
        // changes, and apply gets the header as it is now, not the wrap's.
        final WireBytes in = encoded.bytes();
        final long info = WireFormat.validate(in, encoded.offset(), encoded.length(), true, kind, null, null);
        final int count = WireFormat.count(info);
        final int layout = WireFormat.layout(info);
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final boolean flagged = (layout & WireFormat.PRUNED_PRESENT) != 0;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << (valueWidth * 8 - 1)) - 1;
        final int idsAt = encoded.offset() + WireFormat.headerLength(info);
        final int valuesAt = idsAt + count * idWidth;
        for (int e = 0; e < count; e++)
        {
            final int idAt = idsAt + e * idWidth;
            final long id = in.read(idAt, idWidth);
            final int index = members.indexOf(id);
            if (index == NodeRegistry.UNKNOWN)
            {
                throw WireFormat.unknownId(id, e, idAt);
            }
            final int valueAt = valuesAt + e * valueWidth;
            if (flagged && (in.read(valueAt, valueWidth) & valueMask) == 0 && !WireFormat.isRetired(finals, index))
            {
                throw WireFormat.notRetired(id, e, idAt);
            }
        }
        return info;
    }

    /**
     * Applies a validated encoding whose ids are all registered in {@code members}: pointwise max, or a
     * replacement when {@code replace}.
     */
    private void apply(
        final WireBytes in, final int offset, final long info, final NodeRegistry.Members members,
        final long[] finals, final boolean replace)
    {
        ensureCapacityFor(members);
        final long[] vs = values;
        final long[] bits = prunedBits;
        if (replace)
        {
            Arrays.fill(vs, 0L);
            Arrays.fill(bits, 0L);
            prunedCount = 0;
        }
        final int count = WireFormat.count(info);
        final int layout = WireFormat.layout(info);
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << flagShift) - 1;
        final boolean anyPruned = (layout & WireFormat.PRUNED_PRESENT) != 0;
        final long stamp = ++changeCount;
        final long[] changed = changedAt;
        // Both sides ascend by id: resolve indices with a merge walk unless the registry is much larger.
        final boolean walk = members.size <= 4 * count + 8;
        final NodeRegistry.Sorted sorted = walk ? members.sorted() : null;
        final long[] sortedIds = walk ? sorted.ids : null;
        final int[] order = walk ? sorted.indices : null;
        int k = 0;
        int pruned = prunedCount;
        final int idsAt = offset + WireFormat.headerLength(info);
        final int valuesAt = idsAt + count * idWidth;
        final byte[] array = in.array;
        final int base = in.base;
        for (int e = 0; e < count; e++)
        {
            final int idAt = idsAt + e * idWidth;
            final int valueAt = valuesAt + e * valueWidth;
            final long id = array != null ? WireBytes.get(array, base + idAt, idWidth) : in.read(idAt, idWidth);
            final int i;
            if (walk)
            {
                while (sortedIds[k] < id)
                {
                    k++;
                }
                i = order[k++];
            }
            else
            {
                i = members.indexOf(id);
            }
            final long raw =
                array != null ? WireBytes.get(array, base + valueAt, valueWidth) : in.read(valueAt, valueWidth);
            final long bits0 = raw & valueMask;
            final boolean flagged = anyPruned && (raw >>> flagShift) != 0;
            // A retired marker (flag, value 0) is exactly the node's final value (validated: it is known here).
            final long value = flagged && bits0 == 0 ? finals[i] : bits0;
            if (value > vs[i])
            {
                vs[i] = value;
                changed[i] = stamp;
            }
            if (flagged && bits0 != 0 && !isPrunedBit(bits, i))
            {
                bits[i >>> 6] |= 1L << i;
                pruned++;
            }
        }
        prunedCount = pruned;
    }

    /**
     * Compares this history with an encoded one without decoding it: a merge walk of this clock's entries in
     * node-id order against the encoded entries (or, when the encoding holds every registered node, exactly,
     * a comparison of the values in place after one bulk check of the ids block). Node ids this registry does
     * not know are entries this clock has as 0. Same answers (and pruning honesty) as
     * {@link #compare(VectorClock)}. Allocation-free.
     *
     * @param encoded a wrapped encoding of the same kind.
     * @return how this history relates to the encoded one.
     * @throws IllegalArgumentException if the kind differs.
     */
    public Causality compare(final EncodedVectorClock encoded)
    {
        encoded.checkWrapped();
        if (encoded.kind() != kind)
        {
            throw new IllegalArgumentException(
                "cannot compare a " + kind + " vector clock with an encoded " + encoded.kind() + " clock");
        }
        final WireBytes in = encoded.bytes();
        final byte[] array = in.array;
        final long info = encoded.info();
        final int layout = WireFormat.layout(info);
        if (array != null && prunedCount == 0 && (layout & WireFormat.PRUNED_PRESENT) == 0)
        {
            syncedMembers();
            final int[] order = viewOrder;
            final int n = order.length;
            if (WireFormat.count(info) == n && n != 0 && values.length >= n)
            {
                final byte[] ids = viewIdBytes;
                final int idsAt = in.base + encoded.offset() + WireFormat.headerLength(info);
                if ((layout & 3) == viewIdWidthCode && WireFormat.equalRanges(array, idsAt, ids, 0, ids.length))
                {
                    return compareEvery(array, idsAt + ids.length, WireFormat.valueWidth(layout), order, n);
                }
            }
        }
        return compareWalk(encoded, in, info, layout);
    }

    /** {@link #compare(EncodedVectorClock)} by a merge walk in node-id order. */
    private Causality compareWalk(
        final EncodedVectorClock encoded, final WireBytes in, final long info, final int layout)
    {
        final int count = WireFormat.count(info);
        final int idWidth = WireFormat.idWidth(layout);
        final int valueWidth = WireFormat.valueWidth(layout);
        final int idsAt = encoded.offset() + WireFormat.headerLength(info);
        final int valuesAt = idsAt + count * idWidth;
        final NodeRegistry.Sorted sorted = registry.members().sorted();
        final int[] order = sorted.indices;
        final long[] ids = sorted.ids;
        final long[] vs = values;
        final int n = order.length;
        if (prunedCount == 0 && (layout & WireFormat.PRUNED_PRESENT) == 0)
        {
            final byte[] array = in.array;
            final int base = in.base;
            boolean lt = false;
            boolean gt = false;
            int k = nextLive(order, vs, 0, n);
            int e = 0;
            while (k < n && e < count)
            {
                final long mine = ids[k];
                final int idAt = idsAt + e * idWidth;
                final long theirs = array != null ? WireBytes.get(array, base + idAt, idWidth) : in.read(idAt, idWidth);
                if (mine == theirs)
                {
                    final int valueAt = valuesAt + e * valueWidth;
                    final long x = vs[order[k]];
                    final long y = array != null ?
                        WireBytes.get(array, base + valueAt, valueWidth) : in.read(valueAt, valueWidth);
                    lt |= x < y;
                    gt |= x > y;
                    k = nextLive(order, vs, k + 1, n);
                    e++;
                }
                else if (mine < theirs)
                {
                    gt = true;
                    k = nextLive(order, vs, k + 1, n);
                }
                else
                {
                    lt = true;
                    e++;
                }
                if (lt & gt)
                {
                    return Causality.CONCURRENT;
                }
            }
            gt |= k < n;
            lt |= e < count;
            return lt ? (gt ? Causality.CONCURRENT : Causality.BEFORE) : (gt ? Causality.AFTER : Causality.EQUAL);
        }
        final int flagShift = valueWidth * 8 - 1;
        final long valueMask = valueWidth == 8 ? Long.MAX_VALUE : (1L << flagShift) - 1;
        final long[] finals = registry.finals();
        int flags = 0;
        int k = nextLive(order, vs, 0, n);
        int e = 0;
        while (k < n || e < count)
        {
            final int relation;
            final long theirs = e < count ? in.read(idsAt + e * idWidth, idWidth) : Long.MAX_VALUE;
            if (e < count && (k >= n || theirs < ids[k]))
            {
                final long raw = in.read(valuesAt + e * valueWidth, valueWidth);
                relation = Relation.of(0, false, raw & valueMask, (raw >>> flagShift) != 0);
                e++;
            }
            else
            {
                final int i = order[k];
                final long x = vs[i];
                final boolean xPruned = isPrunedBit(prunedBits, i);
                if (e < count && theirs == ids[k])
                {
                    final long raw = in.read(valuesAt + e * valueWidth, valueWidth);
                    long y = raw & valueMask;
                    boolean yFlag = (raw >>> flagShift) != 0;
                    if (yFlag && y == 0 && i < finals.length && finals[i] != 0)
                    {
                        y = finals[i];          // a retired marker this registry can resolve: exact
                        yFlag = false;
                    }
                    relation = Relation.ofKnowingFinal(x, xPruned, y, yFlag, i < finals.length ? finals[i] : 0);
                    e++;
                }
                else
                {
                    relation = Relation.of(x, xPruned, 0, false);
                }
                k = nextLive(order, vs, k + 1, n);
            }
            flags |= relation;
            if ((flags & (Relation.LT | Relation.GT)) == (Relation.LT | Relation.GT))
            {
                return Causality.CONCURRENT;
            }
        }
        if (Relation.isUncertain(flags))
        {
            uncertainComparisonCount++;
        }
        return Relation.resolve(flags);
    }

    /**
     * Compares with an unpruned encoding of exactly every registered node (entry k is node order[k]); this
     * clock has no pruned entries and at least n values. One small loop per value width.
     */
    private Causality compareEvery(final byte[] a, final int valuesAt, final int valueWidth, final int[] order,
        final int n)
    {
        final int flags;
        switch (valueWidth)
        {
            case 1:
                flags = compareEvery1(a, valuesAt, order, values, n);
                break;
            case 2:
                flags = compareEvery2(a, valuesAt, order, values, n);
                break;
            case 4:
                flags = compareEvery4(a, valuesAt, order, values, n);
                break;
            default:
                flags = compareEvery8(a, valuesAt, order, values, n);
                break;
        }
        return Relation.resolve(flags);
    }

    private static int compareEvery1(final byte[] a, final int at, final int[] order, final long[] vs, final int n)
    {
        boolean lt = false;
        boolean gt = false;
        for (int k = 0, p = at; k < n; k++, p++)
        {
            final long x = vs[order[k]];
            final long y = a[p] & 0xFFL;
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    break;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareEvery2(final byte[] a, final int at, final int[] order, final long[] vs, final int n)
    {
        boolean lt = false;
        boolean gt = false;
        for (int k = 0, p = at; k < n; k++, p += 2)
        {
            final long x = vs[order[k]];
            final long y = (short)WireBytes.SHORTS.get(a, p) & 0xFFFFL;
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    break;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareEvery4(final byte[] a, final int at, final int[] order, final long[] vs, final int n)
    {
        boolean lt = false;
        boolean gt = false;
        for (int k = 0, p = at; k < n; k++, p += 4)
        {
            final long x = vs[order[k]];
            final long y = (int)WireBytes.INTS.get(a, p) & 0xFFFF_FFFFL;
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    break;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int compareEvery8(final byte[] a, final int at, final int[] order, final long[] vs, final int n)
    {
        boolean lt = false;
        boolean gt = false;
        for (int k = 0, p = at; k < n; k++, p += 8)
        {
            final long x = vs[order[k]];
            final long y = (long)WireBytes.LONGS.get(a, p);
            if (x != y)
            {
                // Most entries of related clocks are equal: a branch that is rarely taken.
                if (x < y)
                {
                    lt = true;
                }
                else
                {
                    gt = true;
                }
                if (lt & gt)
                {
                    break;
                }
            }
        }
        return (lt ? Relation.LT : 0) | (gt ? Relation.GT : 0);
    }

    private static int nextLive(final int[] order, final long[] vs, final int from, final int n)
    {
        int k = from;
        while (k < n)
        {
            final int i = order[k];
            if (i < vs.length && vs[i] != 0)
            {
                return k;
            }
            k++;
        }
        return n;
    }

    private Causality comparePruned(final VectorClock other)
    {
        if (other == this)
        {
            return Causality.EQUAL;                   // the same history, whatever its pruned entries were
        }
        final long[] a = values;
        final long[] b = other.values;
        final long[] aBits = prunedBits;
        final long[] bBits = other.prunedBits;
        final long[] finals = registry.finals();
        final int n = Math.max(a.length, b.length);
        int flags = 0;
        for (int i = 0; i < n; i++)
        {
            final long x = i < a.length ? a[i] : 0;
            final long y = i < b.length ? b[i] : 0;
            final boolean xPruned = i < a.length && isPrunedBit(aBits, i);
            final boolean yPruned = i < b.length && isPrunedBit(bBits, i);
            if (x != y || xPruned || yPruned)
            {
                flags |= Relation.ofKnowingFinal(x, xPruned, y, yPruned, i < finals.length ? finals[i] : 0);
                if ((flags & (Relation.LT | Relation.GT)) == (Relation.LT | Relation.GT))
                {
                    return Causality.CONCURRENT;
                }
            }
        }
        if (Relation.isUncertain(flags))
        {
            uncertainComparisonCount++;
        }
        return Relation.resolve(flags);
    }

    private long[] slot(final int nodeIndex)
    {
        if (nodeIndex < 0 || nodeIndex >= values.length)
        {
            checkRegistered(nodeIndex);
            growTo(registry.size());
        }
        return values;
    }

    private void checkRegistered(final int nodeIndex)
    {
        final int size = registry.size();
        if (nodeIndex < 0 || nodeIndex >= size)
        {
            throw new IllegalArgumentException(
                "node index " + nodeIndex + " is not registered (registry has " + size + " nodes)");
        }
    }

    private int indexOfName(final String nodeName)
    {
        final int index = registry.indexOf(nodeName);
        if (index == NodeRegistry.UNKNOWN)
        {
            throw new IllegalArgumentException("node \"" + nodeName + "\" is not registered");
        }
        return index;
    }

    private void checkCompatible(final VectorClock other)
    {
        if (other.registry != registry || other.kind != kind)
        {
            throw new IllegalArgumentException(
                other.registry != registry ?
                "cannot combine vector clocks of different NodeRegistry instances" :
                "cannot combine a " + kind + " vector clock with a " + other.kind + " one");
        }
    }

    private void ensureCapacityFor(final NodeRegistry.Members members)
    {
        if (values.length < members.size)
        {
            growTo(members.size);
        }
    }

    private void growForTail(final long[] theirs)
    {
        for (int i = values.length; i < theirs.length; i++)
        {
            if (theirs[i] != 0)
            {
                growTo(theirs.length);
                return;
            }
        }
    }

    private void growTo(final int size)
    {
        if (size > values.length)
        {
            values = Arrays.copyOf(values, size);
            changedAt = Arrays.copyOf(changedAt, size);
            prunedBits = Arrays.copyOf(prunedBits, bitWords(size));
        }
    }

    private void stampAll()
    {
        changedSince = ++changeCount;
    }

    long[] valuesArray()
    {
        return values;
    }

    long[] prunedBitsArray()
    {
        return prunedBits;
    }

    void ensureSize(final int size)
    {
        growTo(size);
    }

    /**
     * Snapshot copy: reads racy arrays with opaque accesses; validated by the caller before
     * {@link #finishCopy()}. The target's arrays are at least as long as the counts.
     */
    void copyOpaque(
        final long[] src, final int count, final long[] srcBits, final int words, final VarHandle longs)
    {
        final long[] dst = values;
        for (int i = 0; i < count; i++)
        {
            dst[i] = (long)longs.getOpaque(src, i);
        }
        Arrays.fill(dst, count, dst.length, 0L);
        final long[] dstBits = prunedBits;
        for (int i = 0; i < words; i++)
        {
            dstBits[i] = (long)longs.getOpaque(srcBits, i);
        }
        Arrays.fill(dstBits, words, dstBits.length, 0L);
    }

    void finishCopy()
    {
        int count = 0;
        for (final long word : prunedBits)
        {
            count += Long.bitCount(word);
        }
        prunedCount = count;
        stampAll();
    }

    private static boolean hasNonZero(final long[] array, final int from)
    {
        for (int i = from; i < array.length; i++)
        {
            if (array[i] != 0)
            {
                return true;
            }
        }
        return false;
    }

    /** @return true when entry {@code i} (value {@code v}) is its retired node's final value, exactly. */
    private boolean isRetiredEntry(final long[] finals, final int i, final long v)
    {
        return i < finals.length && finals[i] == v && !isPrunedBit(prunedBits, i);
    }

    static boolean isPrunedBit(final long[] bits, final int index)
    {
        return (bits[index >>> 6] & (1L << index)) != 0;
    }

    private static int bitWords(final int size)
    {
        return (size + 63) >>> 6;
    }

    /**
     * Allocates; for logs and tests. Example: {@code VectorClock{a=3, b=1, 17=>=1(pruned)}}.
     */
    @Override
    public String toString()
    {
        final NodeRegistry.Members members = registry.members();
        final StringBuilder sb = new StringBuilder("VectorClock{");
        boolean first = true;
        final int[] order = members.sorted().indices;
        for (int k = 0; k < order.length; k++)
        {
            final int i = order[k];
            if (i < values.length && values[i] != 0)
            {
                sb.append(first ? "" : ", ");
                sb.append(members.names[i] == null ? Long.toString(members.ids[i]) : members.names[i]).append('=');
                sb.append(isPrunedBit(prunedBits, i) ? ">=" + values[i] + "(pruned)" : Long.toString(values[i]));
                first = false;
            }
        }
        return sb.append('}').toString();
    }
}
