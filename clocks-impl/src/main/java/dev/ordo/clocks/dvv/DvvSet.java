package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.MalformedClockException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A multi-value register tracked by a dotted version vector set (DVVSet): the state one replica keeps for one
 * key of an eventually consistent store. Concurrent writes survive side by side as <em>siblings</em>; a write
 * that saw a value replaces it; nothing else is ever dropped, whatever the clocks of the machines say.
 *
 * <h2>Algorithm</h2>
 * Almeida, Baquero, Gonçalves, Preguiça, Fonte, "Scalable and Accurate Causality Tracking for Eventually
 * Consistent Stores" (DAIS 2014), in the compact form of Riak's {@code dvvset}. Per replica (server) {@code r}
 * the set keeps one entry {@code (r, n, [v_(n-k+1) .. v_n])}: the causal history contains writes
 * {@code 1..n} of {@code r}, and the {@code k} newest of them are still siblings, each identified by its
 * <em>dot</em> {@code (r, counter)}. So
 * <ul>
 *     <li>{@link #update(VersionVector, long, Object)} (a client write with the context it read): drops every
 *     sibling whose dot the context covers, raises the history to include the context, and adds the new value
 *     at the dot {@code (r, max(n_r, context_r) + 1)};</li>
 *     <li>{@link #sync(DvvSet)} (join two replicas' states): per replica keeps the larger counter and the
 *     siblings of either side that the other side has not seen-and-dropped;</li>
 *     <li>{@link #context(VersionVector)}: the version vector {@code r -> n} a client sends back with its
 *     next write.</li>
 * </ul>
 * Entries are per replica, not per client, so metadata grows with the replicas only; and because every dot is
 * exact, siblings never exceed the writes that are truly concurrent (no "sibling explosion" of server-side
 * version vectors, no lost concurrent writes of per-server vector clocks).
 *
 * <h2>Laws (tested)</h2>
 * {@code sync} is commutative, associative and idempotent; an update's value survives every sync with a state
 * that had not seen it; an update removes exactly the siblings its context covers.
 *
 * <h2>Cost</h2>
 * {@link #update}, {@link #sync}, {@link #context(VersionVector)}, {@link #siblingCount()},
 * {@link #sibling(int)}, {@link #covers}, {@link #encode} with a non-allocating value codec, and
 * {@link #decode}'s own bookkeeping allocate nothing once the internal arrays have grown to the largest shape
 * seen (more replicas or more siblings than ever before grow them, doubling). Discarded siblings are released
 * (their slots are cleared).
 *
 * <h2>Wire format</h2>
 * Format byte {@code 0x53} ('S'), varint entry count, then per entry: varint replica id (strictly ascending),
 * varint counter {@code n >= 1}, varint sibling count {@code k <= n}, and {@code k} siblings oldest first, each a
 * varint length and that many value bytes ({@link DvvValueCodec}). Every count and length is checked as an
 * unsigned number against the bytes that remain before anything is allocated or looped over; a rejected
 * encoding (including one the value codec refuses) leaves the set unchanged.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: one set per key, confined to one thread or guarded by the key's lock.
 *
 * @param <V> the value type; values are compared with {@link Object#equals} only by {@link #equals}.
 */
public final class DvvSet<V>
{
    /** The format byte of an encoded set. */
    public static final int FORMAT = 0x53;
    /** The most replicas (entries) {@link #decode} accepts. */
    public static final int MAX_ENTRIES = VersionVector.MAX_ENTRIES;
    /** The most siblings in total a register holds ({@link #update} and {@link #sync} refuse more) and decodes. */
    public static final int MAX_SIBLINGS = 1 << 20;
    private static final int MIN_ENTRY_BYTES = 3;
    private static final Object[] NO_VALUES = new Object[0];

    private long[] ids = new long[4];
    private long[] counters = new long[4];
    /** Per entry: its siblings, oldest first; slots at and above {@code valueCounts[e]} are null. */
    private Object[][] values = new Object[4][];
    private int[] valueCounts = new int[4];
    private int size;
    /** The sum of {@code valueCounts}: kept at most {@link #MAX_SIBLINGS} so every register decodes. */
    private int totalSiblings;

    private final WireBytes reader = new WireBytes();
    private Object[] decodeScratch = NO_VALUES;

    /** An empty register: no history, no siblings. */
    public DvvSet()
    {
    }

    // ---------------------------------------------------------------- queries

    /**
     * @return the number of siblings (concurrent values); 0 for a register never written, 1 when there is no
     * conflict.
     */
    public int siblingCount()
    {
        return totalSiblings;
    }

    /**
     * @param index in {@code [0, siblingCount())}; siblings are ordered by replica id, then oldest first.
     * @return that sibling.
     */
    @SuppressWarnings("unchecked")
    public V sibling(final int index)
    {
        int remaining = index;
        if (remaining >= 0)
        {
            for (int e = 0; e < size; e++)
            {
                if (remaining < valueCounts[e])
                {
                    return (V)values[e][remaining];
                }
                remaining -= valueCounts[e];
            }
        }
        throw new IndexOutOfBoundsException("sibling " + index + " outside [0, " + siblingCount() + ")");
    }

    /**
     * @return a new list of the siblings, in {@link #sibling(int)} order (allocates; see {@link #forEachSibling}).
     */
    public List<V> values()
    {
        final List<V> list = new ArrayList<>(siblingCount());
        forEachSibling(list::add);
        return list;
    }

    /**
     * @param action called with every sibling, in {@link #sibling(int)} order.
     */
    @SuppressWarnings("unchecked")
    public void forEachSibling(final Consumer<? super V> action)
    {
        for (int e = 0; e < size; e++)
        {
            final Object[] vs = values[e];
            for (int i = 0, n = valueCounts[e]; i < n; i++)
            {
                action.accept((V)vs[i]);
            }
        }
    }

    /**
     * @param replicaId a replica id.
     * @return how many writes of that replica the history contains (0 when none).
     */
    public long counter(final long replicaId)
    {
        final int e = Arrays.binarySearch(ids, 0, size, replicaId);
        return e >= 0 ? counters[e] : 0;
    }

    /**
     * @param replicaId a replica id.
     * @param counter   a write counter of that replica.
     * @return whether the history contains that write (the dot), sibling or already replaced.
     */
    public boolean covers(final long replicaId, final long counter)
    {
        return counter <= counter(replicaId);
    }

    /**
     * @return the number of replicas in the history (entries; metadata size).
     */
    public int replicaCount()
    {
        return size;
    }

    /**
     * Writes the causal context a client receives with the values it read, and sends back with its next write.
     *
     * @param target overwritten with {@code replica -> counter} for every replica in the history.
     * @return {@code target}.
     */
    public VersionVector context(final VersionVector target)
    {
        target.ensureCapacity(size);
        System.arraycopy(ids, 0, target.ids, 0, size);
        System.arraycopy(counters, 0, target.counters, 0, size);
        target.size = size;
        return target;
    }

    /**
     * @return a new vector holding the causal context (see {@link #context(VersionVector)}).
     */
    public VersionVector context()
    {
        return context(new VersionVector(size));
    }

    // ---------------------------------------------------------------- updates

    /**
     * A client's write, applied at replica {@code replicaId}: the value replaces every sibling its context covers
     * (the values the client had read) and survives next to every other (the writes it did not see).
     *
     * @param context   what the client had read: the {@link #context(VersionVector)} it was given, or an empty
     *                  vector for a blind write. Not modified.
     * @param replicaId the replica (server) applying the write; non-negative.
     * @param value     the new value; not null.
     * @return the new write's counter: its dot is {@code (replicaId, counter)}.
     * @throws ClockOverflowException when the replica's counter would pass {@code Long.MAX_VALUE}; nothing
     *                                changes.
     * @throws IllegalStateException  when the register would name more than {@link #MAX_ENTRIES} replicas or hold
     *                                more than {@link #MAX_SIBLINGS} siblings (the most a decoder accepts);
     *                                nothing changes.
     */
    public long update(final VersionVector context, final long replicaId, final V value)
    {
        Objects.requireNonNull(value, "value");
        if (replicaId < 0)
        {
            throw new IllegalArgumentException("replica id must be non-negative: " + replicaId);
        }
        final long base = Math.max(counter(replicaId), context.get(replicaId));
        if (base == Long.MAX_VALUE)
        {
            throw new ClockOverflowException("counter of replica " + replicaId + " is at Long.MAX_VALUE");
        }
        if (size + context.size + 1 > MAX_ENTRIES)
        {
            checkEntryLimit(context.ids, context.size, replicaId);
        }
        if (totalSiblings >= MAX_SIBLINGS)
        {
            checkSiblingLimitAfterUpdate(context);
        }
        // Replicas the context names and this history does not: entries (id, seen) with no siblings, all in one
        // linear pass (one insert at a time would shift the entries once per new id: quadratic).
        insertMissing(context.ids, context.counters, context.size, null);
        for (int j = 0, e = 0; j < context.size; j++)
        {
            final long id = context.ids[j];
            final long seen = context.counters[j];
            while (ids[e] != id)
            {
                e++; // every context id is present now, and both are ascending
            }
            // Siblings hold dots (n-k, n]; the context covers dots <= seen: drop that many of the oldest.
            final long n = counters[e];
            final int k = valueCounts[e];
            dropOldest(e, (int)Math.max(0, Math.min(k, seen - (n - k))));
            counters[e] = Math.max(n, seen);
        }
        int e = Arrays.binarySearch(ids, 0, size, replicaId);
        if (e < 0)
        {
            e = -e - 1;
            insertEntry(e, replicaId, 0);
        }
        // counters[e] == base now (the context was merged in), so the new dot extends the contiguous run.
        counters[e] = base + 1;
        append(e, value);
        return base + 1;
    }

    /**
     * Joins another replica's state of the same key into this one (anti-entropy, read repair, hand-off): per
     * replica the larger history, and the siblings of either side that the other side has not seen and
     * replaced. Commutative, associative and idempotent.
     *
     * @param other another state of the same key; not modified (may be this).
     * @throws IllegalStateException when the result would name more than {@link #MAX_ENTRIES} replicas or hold more
     *                               than {@link #MAX_SIBLINGS} siblings; nothing changes.
     */
    public void sync(final DvvSet<V> other)
    {
        if (other == this)
        {
            return;
        }
        if (size + other.size > MAX_ENTRIES)
        {
            checkEntryLimit(other.ids, other.size, -1);
        }
        if ((long)totalSiblings + other.totalSiblings > MAX_SIBLINGS)
        {
            checkSiblingLimitAfterSync(other);
        }
        // Replicas only the other side knows arrive with their counter and siblings, in one linear pass; for them the
        // rules below change nothing (both sides are then equal).
        insertMissing(other.ids, other.counters, other.size, other);
        for (int j = 0, e = 0; j < other.size; j++)
        {
            final long id = other.ids[j];
            final long n2 = other.counters[j];
            final int k2 = other.valueCounts[j];
            while (ids[e] != id)
            {
                e++; // every id of other is present now, and both are ascending
            }
            final long n1 = counters[e];
            final int k1 = valueCounts[e];
            // Surviving dots: (max(n1 - k1, n2 - k2), max(n1, n2)]. A dot on both sides is the same write.
            final long floor = Math.max(n1 - k1, n2 - k2);
            if (n1 >= n2)
            {
                dropOldest(e, (int)Math.max(0, floor - (n1 - k1)));
            }
            else
            {
                final int skip = (int)Math.max(0, floor - (n2 - k2));
                clearValues(e);
                copyValues(e, other.values[j], skip, k2 - skip);
                counters[e] = n2;
            }
        }
    }

    /**
     * Resolves the siblings into one value, written at {@code replicaId} as a write that saw them all: afterwards
     * the register holds exactly the merged value (until a concurrent write arrives).
     *
     * @param merge     combines the siblings (given in {@link #sibling(int)} order) into one non-null value.
     * @param replicaId the replica applying the resolution.
     * @return the merged value; with one sibling that sibling, unchanged and without a new write; with none, null.
     */
    public V reconcile(final Function<? super List<V>, ? extends V> merge, final long replicaId)
    {
        final int count = siblingCount();
        if (count <= 1)
        {
            return count == 0 ? null : sibling(0);
        }
        if (replicaId < 0)
        {
            throw new IllegalArgumentException("replica id must be non-negative: " + replicaId);
        }
        if (size == MAX_ENTRIES && Arrays.binarySearch(ids, 0, size, replicaId) < 0)
        {
            checkEntryLimit(ids, 0, replicaId);
        }
        final V merged = Objects.requireNonNull(merge.apply(values()), "merge returned null");
        final long base = counter(replicaId);
        if (base == Long.MAX_VALUE)
        {
            throw new ClockOverflowException("counter of replica " + replicaId + " is at Long.MAX_VALUE");
        }
        for (int e = 0; e < size; e++)
        {
            clearValues(e);
        }
        int e = Arrays.binarySearch(ids, 0, size, replicaId);
        if (e < 0)
        {
            e = -e - 1;
            insertEntry(e, replicaId, 0);
        }
        counters[e] = base + 1;
        append(e, merged);
        return merged;
    }

    /**
     * @param source the state to copy (sibling references are shared, not cloned).
     */
    public void copyFrom(final DvvSet<V> source)
    {
        if (source == this)
        {
            return;
        }
        clear();
        for (int j = 0; j < source.size; j++)
        {
            insertEntry(j, source.ids[j], source.counters[j]);
            copyValues(j, source.values[j], 0, source.valueCounts[j]);
        }
    }

    /** Forgets everything (history and siblings). */
    public void clear()
    {
        for (int e = 0; e < size; e++)
        {
            clearValues(e);
        }
        size = 0;
    }

    // ---------------------------------------------------------------- codec

    /**
     * @param codec the value codec.
     * @return bytes {@code encode} writes.
     */
    @SuppressWarnings("unchecked")
    public int encodedLength(final DvvValueCodec<? super V> codec)
    {
        long length = 1 + WireBytes.varintLength(size);
        for (int e = 0; e < size; e++)
        {
            length += WireBytes.varintLength(ids[e]) + WireBytes.varintLength(counters[e]) +
                WireBytes.varintLength(valueCounts[e]);
            for (int i = 0; i < valueCounts[e]; i++)
            {
                final int valueLength = codec.encodedLength((V)values[e][i]);
                length += WireBytes.varintLength(valueLength) + valueLength;
            }
        }
        if (length > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("encoding would be " + length + " bytes, over 2 GiB");
        }
        return (int)length;
    }

    /**
     * @param codec  the value codec.
     * @param dst    target array.
     * @param offset where to start.
     * @return bytes written.
     * @throws IndexOutOfBoundsException when it does not fit; nothing is written.
     */
    @SuppressWarnings("unchecked")
    public int encode(final DvvValueCodec<? super V> codec, final byte[] dst, final int offset)
    {
        WireBytes.checkCapacity(offset, encodedLength(codec), dst.length);
        int p = offset;
        dst[p++] = (byte)FORMAT;
        p += WireBytes.writeVarint(dst, p, size);
        for (int e = 0; e < size; e++)
        {
            p += WireBytes.writeVarint(dst, p, ids[e]);
            p += WireBytes.writeVarint(dst, p, counters[e]);
            p += WireBytes.writeVarint(dst, p, valueCounts[e]);
            for (int i = 0; i < valueCounts[e]; i++)
            {
                final V v = (V)values[e][i];
                final int valueLength = codec.encodedLength(v);
                p += WireBytes.writeVarint(dst, p, valueLength);
                codec.encode(v, dst, p);
                p += valueLength;
            }
        }
        return p - offset;
    }

    /**
     * @param codec the value codec.
     * @param dst   target buffer (heap or direct), written at absolute indices; position and limit unchanged.
     * @param index where to start.
     * @return bytes written.
     * @throws IndexOutOfBoundsException when it does not fit below the limit; nothing is written.
     */
    @SuppressWarnings("unchecked")
    public int encode(final DvvValueCodec<? super V> codec, final ByteBuffer dst, final int index)
    {
        WireBytes.checkCapacity(index, encodedLength(codec), dst.limit());
        int p = index;
        dst.put(p++, (byte)FORMAT);
        p += WireBytes.writeVarint(dst, p, size);
        for (int e = 0; e < size; e++)
        {
            p += WireBytes.writeVarint(dst, p, ids[e]);
            p += WireBytes.writeVarint(dst, p, counters[e]);
            p += WireBytes.writeVarint(dst, p, valueCounts[e]);
            for (int i = 0; i < valueCounts[e]; i++)
            {
                final V v = (V)values[e][i];
                final int valueLength = codec.encodedLength(v);
                p += WireBytes.writeVarint(dst, p, valueLength);
                codec.encode(v, dst, p);
                p += valueLength;
            }
        }
        return p - index;
    }

    /**
     * Replaces this state with a decoded one. The bytes must be exactly one encoding.
     *
     * @param codec  the value codec.
     * @param src    source array.
     * @param offset start.
     * @param length length.
     * @throws MalformedClockException when the bytes are not a valid encoding or the codec refuses a value; the set
     *                                 is unchanged.
     */
    public void decode(final DvvValueCodec<? extends V> codec, final byte[] src, final int offset, final int length)
    {
        try
        {
            decode(codec, reader.wrap(src, offset, length));
        }
        finally
        {
            reader.release();
        }
    }

    /**
     * Replaces this state with a decoded one, read at absolute indices (position and limit unchanged).
     *
     * @param codec  the value codec.
     * @param src    source buffer (heap or direct).
     * @param index  start.
     * @param length length.
     * @throws MalformedClockException when the bytes are not a valid encoding or the codec refuses a value; the set
     *                                 is unchanged.
     */
    public void decode(
        final DvvValueCodec<? extends V> codec, final ByteBuffer src, final int index, final int length)
    {
        try
        {
            decode(codec, reader.wrap(src, index, length));
        }
        finally
        {
            reader.release();
        }
    }

    private void decode(final DvvValueCodec<? extends V> codec, final WireBytes in)
    {
        // Pass 1: validate the structure and remember where each value's bytes are; nothing changes yet.
        final int format = in.readByte("format byte");
        if (format != FORMAT)
        {
            throw in.error("not a DVV set: format byte 0x" + Integer.toHexString(format) + ", expected 0x" +
                Integer.toHexString(FORMAT), in.start);
        }
        final int entries = in.readCount("entry count", MIN_ENTRY_BYTES, MAX_ENTRIES);
        long previous = -1;
        int totalValues = 0;
        for (int e = 0; e < entries; e++)
        {
            final int idAt = in.position;
            final long id = in.readVarint("replica id");
            if (id <= previous)
            {
                throw in.error("replica id " + id + " is not above the previous " + previous +
                    " (ids must be strictly ascending)", idAt);
            }
            previous = id;
            final int counterAt = in.position;
            final long n = in.readVarint("counter");
            if (n == 0)
            {
                throw in.error("counter of replica " + id + " is 0", counterAt);
            }
            final int kAt = in.position;
            final int k = in.readCount("sibling count", 1, MAX_SIBLINGS - totalValues);
            if (k > n)
            {
                throw in.error("sibling count " + k + " exceeds the replica's counter " + n, kAt);
            }
            for (int i = 0; i < k; i++)
            {
                final int valueLength = in.readCount("value length", 1, Integer.MAX_VALUE);
                in.position += valueLength;
            }
            totalValues += k;
        }
        if (in.remaining() != 0)
        {
            throw in.error(in.remaining() + " trailing bytes after the DVV set", in.position);
        }
        ensureDecodeScratch(totalValues);
        // Pass 2: decode the values into scratch (the codec may still refuse one), then commit.
        in.position = in.start + 1;
        in.readVarint("entry count");
        int v = 0;
        try
        {
            for (int e = 0; e < entries; e++)
            {
                in.readVarint("replica id");
                in.readVarint("counter");
                final int k = (int)in.readVarint("sibling count");
                for (int i = 0; i < k; i++, v++)
                {
                    final int valueLength = (int)in.readVarint("value length");
                    final V value = in.arrayOrNull() != null ?
                        codec.decode(in.arrayOrNull(), in.position, valueLength) :
                        codec.decode(in.bufferOrNull(), in.position, valueLength);
                    if (value == null)
                    {
                        throw in.error("the value codec returned null", in.position);
                    }
                    decodeScratch[v] = value;
                    in.position += valueLength;
                }
            }
        }
        catch (final MalformedClockException ex)
        {
            Arrays.fill(decodeScratch, 0, v, null);
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            Arrays.fill(decodeScratch, 0, v, null);
            final MalformedClockException wrapped =
                in.error("the value codec refused sibling " + v + ": " + ex, in.position);
            wrapped.initCause(ex);
            throw wrapped;
        }
        clear();
        in.position = in.start + 1;
        in.readVarint("entry count");
        v = 0;
        for (int e = 0; e < entries; e++)
        {
            final long id = in.readVarint("replica id");
            final long n = in.readVarint("counter");
            final int k = (int)in.readVarint("sibling count");
            for (int i = 0; i < k; i++)
            {
                final int valueLength = (int)in.readVarint("value length");
                in.position += valueLength;
            }
            insertEntry(e, id, n);
            copyValues(e, decodeScratch, v, k);
            v += k;
        }
        Arrays.fill(decodeScratch, 0, v, null);
    }

    // ---------------------------------------------------------------- internals

    /** Cold: refuses, before anything changes, an operation that would name more than {@link #MAX_ENTRIES}. */
    private void checkEntryLimit(final long[] incoming, final int count, final long extraId)
    {
        int union = size;
        for (int j = 0; j < count; j++)
        {
            if (Arrays.binarySearch(ids, 0, size, incoming[j]) < 0)
            {
                union++;
            }
        }
        if (extraId >= 0 && Arrays.binarySearch(ids, 0, size, extraId) < 0 &&
            Arrays.binarySearch(incoming, 0, count, extraId) < 0)
        {
            union++;
        }
        if (union > MAX_ENTRIES)
        {
            throw new IllegalStateException("the register would name " + union + " replicas, over " + MAX_ENTRIES +
                "; it is unchanged");
        }
    }

    /**
     * Inserts, in one backward pass, an entry for every id of {@code incoming} (ascending) that this set lacks,
     * with the incoming counter and, when {@code siblingsFrom} is given, that set's siblings for it (else none).
     * Linear in both sizes; each entry's sibling array moves with it (swapped, so the empty spares stay for reuse).
     */
    private void insertMissing(
        final long[] incoming, final long[] incomingCounters, final int count, final DvvSet<V> siblingsFrom)
    {
        final int missing = VersionVector.countMissing(ids, size, incoming, count);
        if (missing == 0)
        {
            return;
        }
        ensureEntryCapacity(size + missing);
        // Slots above the write cursor w are final; slots in (i, w] hold empty sibling arrays (spares or null).
        int i = size - 1;
        int w = size + missing - 1;
        // Once w == i every missing id is placed and the entries below are where they were.
        for (int j = count - 1; w > i; w--)
        {
            final long id = incoming[j];
            if (i >= 0 && ids[i] >= id)
            {
                j -= ids[i] == id ? 1 : 0;
                ids[w] = ids[i];
                counters[w] = counters[i];
                valueCounts[w] = valueCounts[i];
                final Object[] moved = values[i];
                values[i] = values[w];
                values[w] = moved;
                valueCounts[i] = 0;
                i--;
            }
            else
            {
                ids[w] = id;
                counters[w] = incomingCounters[j];
                valueCounts[w] = 0;
                if (siblingsFrom != null)
                {
                    copyValues(w, siblingsFrom.values[j], 0, siblingsFrom.valueCounts[j]);
                }
                j--;
            }
        }
        size += missing;
    }

    private void ensureEntryCapacity(final int capacity)
    {
        if (capacity > ids.length)
        {
            final int newLength = Math.max(capacity, ids.length * 2);
            ids = Arrays.copyOf(ids, newLength);
            counters = Arrays.copyOf(counters, newLength);
            values = Arrays.copyOf(values, newLength);
            valueCounts = Arrays.copyOf(valueCounts, newLength);
        }
    }

    /** Cold: refuses, before anything changes, an update that would leave more than {@link #MAX_SIBLINGS}. */
    private void checkSiblingLimitAfterUpdate(final VersionVector context)
    {
        long after = totalSiblings + 1L;
        for (int j = 0; j < context.size; j++)
        {
            final int e = Arrays.binarySearch(ids, 0, size, context.ids[j]);
            if (e >= 0)
            {
                final long n = counters[e];
                final int k = valueCounts[e];
                after -= Math.max(0, Math.min(k, context.counters[j] - (n - k)));
            }
        }
        if (after > MAX_SIBLINGS)
        {
            throw new IllegalStateException("the register would hold " + after + " siblings, over " + MAX_SIBLINGS +
                " (reconcile them, or write with a context that saw them); it is unchanged");
        }
    }

    /** Cold: refuses, before anything changes, a sync that would leave more than {@link #MAX_SIBLINGS}. */
    private void checkSiblingLimitAfterSync(final DvvSet<V> other)
    {
        long after = totalSiblings;
        for (int j = 0; j < other.size; j++)
        {
            final int e = Arrays.binarySearch(ids, 0, size, other.ids[j]);
            final int k2 = other.valueCounts[j];
            if (e < 0)
            {
                after += k2;
                continue;
            }
            final long n1 = counters[e];
            final long n2 = other.counters[j];
            final int k1 = valueCounts[e];
            // As in sync: the surviving dots are (max(n1 - k1, n2 - k2), max(n1, n2)].
            after += Math.max(n1, n2) - Math.max(n1 - k1, n2 - k2) - k1;
        }
        if (after > MAX_SIBLINGS)
        {
            throw new IllegalStateException("the register would hold " + after + " siblings, over " + MAX_SIBLINGS +
                " (reconcile them first); it is unchanged");
        }
    }

    private void ensureDecodeScratch(final int count)
    {
        if (count > decodeScratch.length)
        {
            final int newLength = Math.max(count, Math.min(MAX_SIBLINGS, decodeScratch.length * 2));
            decodeScratch = Arrays.copyOf(decodeScratch, newLength);
        }
    }

    private void insertEntry(final int index, final long id, final long counter)
    {
        if (size == ids.length)
        {
            final int newLength = ids.length * 2;
            ids = Arrays.copyOf(ids, newLength);
            counters = Arrays.copyOf(counters, newLength);
            values = Arrays.copyOf(values, newLength);
            valueCounts = Arrays.copyOf(valueCounts, newLength);
        }
        // Shift entries up; the (empty) value array in the slot past the end moves into the new slot for reuse.
        final Object[] spare = values[size];
        System.arraycopy(ids, index, ids, index + 1, size - index);
        System.arraycopy(counters, index, counters, index + 1, size - index);
        System.arraycopy(values, index, values, index + 1, size - index);
        System.arraycopy(valueCounts, index, valueCounts, index + 1, size - index);
        ids[index] = id;
        counters[index] = counter;
        values[index] = spare;
        valueCounts[index] = 0;
        size++;
    }

    private void dropOldest(final int e, final int count)
    {
        if (count <= 0)
        {
            return;
        }
        final Object[] vs = values[e];
        final int k = valueCounts[e];
        System.arraycopy(vs, count, vs, 0, k - count);
        Arrays.fill(vs, k - count, k, null);
        valueCounts[e] = k - count;
        totalSiblings -= count;
    }

    private void clearValues(final int e)
    {
        if (valueCounts[e] > 0)
        {
            Arrays.fill(values[e], 0, valueCounts[e], null);
            totalSiblings -= valueCounts[e];
            valueCounts[e] = 0;
        }
    }

    private void append(final int e, final Object value)
    {
        final int k = valueCounts[e];
        ensureValueCapacity(e, k + 1);
        values[e][k] = value;
        valueCounts[e] = k + 1;
        totalSiblings++;
    }

    /** Appends {@code count} values (oldest first) to an entry with no siblings. */
    private void copyValues(final int e, final Object[] source, final int from, final int count)
    {
        if (count == 0)
        {
            return;
        }
        ensureValueCapacity(e, count);
        System.arraycopy(source, from, values[e], 0, count);
        valueCounts[e] = count;
        totalSiblings += count;
    }

    private void ensureValueCapacity(final int e, final int capacity)
    {
        final Object[] vs = values[e];
        if (vs == null || vs.length < capacity)
        {
            values[e] = vs == null ? new Object[Math.max(2, capacity)] :
                Arrays.copyOf(vs, Math.max(capacity, vs.length * 2));
        }
    }

    /**
     * @param o another object.
     * @return whether {@code o} is a set with the same history and the same siblings at the same dots (values
     * compared with {@code equals}). Mutable: not a map key while it changes.
     */
    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof DvvSet))
        {
            return false;
        }
        final DvvSet<?> other = (DvvSet<?>)o;
        if (size != other.size || !Arrays.equals(ids, 0, size, other.ids, 0, size) ||
            !Arrays.equals(counters, 0, size, other.counters, 0, size) ||
            !Arrays.equals(valueCounts, 0, size, other.valueCounts, 0, size))
        {
            return false;
        }
        for (int e = 0; e < size; e++)
        {
            if (valueCounts[e] > 0 &&
                !Arrays.equals(values[e], 0, valueCounts[e], other.values[e], 0, valueCounts[e]))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        int h = 1;
        for (int e = 0; e < size; e++)
        {
            h = 31 * h + Long.hashCode(ids[e]);
            h = 31 * h + Long.hashCode(counters[e]);
            for (int i = 0; i < valueCounts[e]; i++)
            {
                h = 31 * h + Objects.hashCode(values[e][i]);
            }
        }
        return h;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("DvvSet{");
        for (int e = 0; e < size; e++)
        {
            sb.append(e == 0 ? "" : ", ").append(ids[e]).append(':').append(counters[e]).append('[');
            for (int i = 0; i < valueCounts[e]; i++)
            {
                sb.append(i == 0 ? "" : ", ").append(values[e][i]);
            }
            sb.append(']');
        }
        return sb.append('}').toString();
    }
}
