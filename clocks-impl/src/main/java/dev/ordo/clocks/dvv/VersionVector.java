package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.ClockOverflowException;
import dev.ordo.clocks.api.MalformedClockException;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A version vector keyed by replica id: for each replica, how many of its writes a causal history contains
 * (writes {@code 1..counter(id)}). It is the <em>causal context</em> a {@link DvvSet} hands to a client with
 * the values it read ({@link DvvSet#context(VersionVector)}), and that the client sends back with its next write
 * ({@link DvvSet#update(VersionVector, long, Object)}): "this write saw these versions".
 *
 * <h2>Representation</h2>
 * Replica ids are non-negative {@code long}s (for example {@code NodeRegistry.idOf(name)}), kept sorted in
 * parallel arrays with their counters; only counters of at least 1 are stored (an absent id means 0). Entries
 * are per replica (server), never per client, so the vector grows with the number of replicas only.
 *
 * <h2>Cost</h2>
 * {@link #get}, {@link #covers}, {@link #compare}, {@link #merge}, {@link #copyFrom}, {@link #encode} and
 * {@link #decode} allocate nothing once the arrays have grown to the largest vector seen (they grow, doubling,
 * only when a vector gains entries).
 *
 * <h2>Wire format</h2>
 * Format byte {@code 0x44} ('D'), varint entry count, then per entry varint replica id (strictly ascending) and
 * varint counter (at least 1). Varints are unsigned LEB128, minimal. {@code decode} validates the whole
 * encoding before it changes anything: a rejected encoding leaves this vector as it was.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: confine an instance to one thread or guard it externally.
 */
public final class VersionVector
{
    /** The format byte of an encoded version vector. */
    public static final int FORMAT = 0x44;
    /** The most entries {@link #decode} accepts (and the most replicas a vector may name). */
    public static final int MAX_ENTRIES = 1 << 20;
    /** Fewest bytes one encoded entry takes: a one-byte id and a one-byte counter. */
    static final int MIN_ENTRY_BYTES = 2;

    long[] ids;
    long[] counters;
    int size;
    private final WireBytes reader = new WireBytes();
    /** Decode target, swapped with {@link #ids}/{@link #counters} once an encoding is accepted. */
    private long[] spareIds = new long[0];
    private long[] spareCounters = new long[0];

    /** An empty vector (every counter 0). */
    public VersionVector()
    {
        this(4);
    }

    /**
     * @param capacity entries to make room for before the arrays grow.
     */
    public VersionVector(final int capacity)
    {
        ids = new long[Math.max(1, capacity)];
        counters = new long[Math.max(1, capacity)];
    }

    /**
     * @return the number of replicas with a counter of at least 1.
     */
    public int size()
    {
        return size;
    }

    /**
     * @param entry entry index in {@code [0, size())}, ascending by replica id.
     * @return that entry's replica id.
     */
    public long idAt(final int entry)
    {
        checkEntry(entry);
        return ids[entry];
    }

    /**
     * @param entry entry index in {@code [0, size())}.
     * @return that entry's counter (at least 1).
     */
    public long counterAt(final int entry)
    {
        checkEntry(entry);
        return counters[entry];
    }

    /**
     * @param replicaId a replica id.
     * @return its counter; 0 when absent.
     */
    public long get(final long replicaId)
    {
        final int i = Arrays.binarySearch(ids, 0, size, replicaId);
        return i >= 0 ? counters[i] : 0;
    }

    /**
     * @param replicaId a replica id.
     * @param counter   a write counter of that replica.
     * @return whether this history contains write {@code counter} of {@code replicaId} (the dot).
     */
    public boolean covers(final long replicaId, final long counter)
    {
        return counter <= get(replicaId);
    }

    /**
     * Raises one counter to at least {@code counter} (never lowers it).
     *
     * @param replicaId non-negative replica id.
     * @param counter   non-negative counter; 0 changes nothing.
     * @return this vector.
     * @throws IllegalArgumentException when an argument is negative.
     */
    public VersionVector raise(final long replicaId, final long counter)
    {
        if (replicaId < 0 || counter < 0)
        {
            throw new IllegalArgumentException(
                "replica id and counter must be non-negative: id=" + replicaId + " counter=" + counter);
        }
        if (counter == 0)
        {
            return this;
        }
        final int i = Arrays.binarySearch(ids, 0, size, replicaId);
        if (i >= 0)
        {
            counters[i] = Math.max(counters[i], counter);
        }
        else
        {
            insertAt(-i - 1, replicaId, counter);
        }
        return this;
    }

    /**
     * Adds one write of {@code replicaId} to this history.
     *
     * @param replicaId non-negative replica id.
     * @return the new counter.
     * @throws ClockOverflowException when the counter is already {@code Long.MAX_VALUE}; nothing changes.
     */
    public long increment(final long replicaId)
    {
        final long current = get(replicaId);
        if (current == Long.MAX_VALUE)
        {
            throw new ClockOverflowException("counter of replica " + replicaId + " is at Long.MAX_VALUE");
        }
        raise(replicaId, current + 1);
        return current + 1;
    }

    /**
     * Pointwise maximum: afterwards this vector's history contains both histories.
     *
     * @param other another vector (may be this).
     * @throws IllegalStateException when the result would name more than {@link #MAX_ENTRIES} replicas; nothing
     *                               changes.
     */
    public void merge(final VersionVector other)
    {
        if (other == this)
        {
            return;
        }
        final int missing = countMissing(ids, size, other.ids, other.size);
        if (missing == 0)
        {
            // Every id of other is here already: pointwise maximum in one merged walk.
            for (int i = 0, j = 0; j < other.size; i++)
            {
                if (ids[i] == other.ids[j])
                {
                    counters[i] = Math.max(counters[i], other.counters[j++]);
                }
            }
            return;
        }
        if ((long)size + missing > MAX_ENTRIES)
        {
            throw new IllegalStateException("merged vector would name " + (size + missing) + " replicas, over " +
                MAX_ENTRIES + "; this vector is unchanged");
        }
        ensureCapacity(size + missing);
        // Merge from the back into the grown arrays: every entry moves once (linear, whatever the interleaving).
        // Writing at w never overwrites an unread entry of this vector: w - i == missing ids not yet placed >= 0.
        int i = size - 1;
        int w = size + missing - 1;
        for (int j = other.size - 1; j >= 0; w--)
        {
            final long b = other.ids[j];
            if (i >= 0 && ids[i] > b)
            {
                ids[w] = ids[i];
                counters[w] = counters[i--];
            }
            else if (i >= 0 && ids[i] == b)
            {
                ids[w] = b;
                counters[w] = Math.max(counters[i--], other.counters[j--]);
            }
            else
            {
                ids[w] = b;
                counters[w] = other.counters[j--];
            }
        }
        size += missing;
    }

    /** The number of ids in {@code other[0, otherSize)} absent from {@code mine[0, mySize)} (both ascending). */
    static int countMissing(final long[] mine, final int mySize, final long[] other, final int otherSize)
    {
        int missing = 0;
        int i = 0;
        int j = 0;
        while (j < otherSize)
        {
            if (i == mySize)
            {
                return missing + otherSize - j;
            }
            final long a = mine[i];
            final long b = other[j];
            if (a < b)
            {
                i++;
            }
            else
            {
                missing += a == b ? 0 : 1;
                i += a == b ? 1 : 0;
                j++;
            }
        }
        return missing;
    }

    /**
     * Compares two histories in one merged walk.
     *
     * @param other another vector.
     * @return {@link Causality#BEFORE} when this history is strictly contained in {@code other}'s, and so on;
     * never an uncertain answer (version vectors here are never pruned).
     */
    public Causality compare(final VersionVector other)
    {
        boolean less = false;
        boolean greater = false;
        int i = 0;
        int j = 0;
        while (i < size && j < other.size)
        {
            final long a = ids[i];
            final long b = other.ids[j];
            if (a == b)
            {
                final long x = counters[i++];
                final long y = other.counters[j++];
                less |= x < y;
                greater |= x > y;
            }
            else if (a < b)
            {
                greater = true; // only this side has replica a (other's counter is 0)
                i++;
            }
            else
            {
                less = true;
                j++;
            }
            if (less && greater)
            {
                return Causality.CONCURRENT;
            }
        }
        greater |= i < size;
        less |= j < other.size;
        if (less && greater)
        {
            return Causality.CONCURRENT;
        }
        return less ? Causality.BEFORE : greater ? Causality.AFTER : Causality.EQUAL;
    }

    /**
     * @param source the vector to copy; this becomes equal to it.
     */
    public void copyFrom(final VersionVector source)
    {
        if (source == this)
        {
            return;
        }
        ensureCapacity(source.size);
        System.arraycopy(source.ids, 0, ids, 0, source.size);
        System.arraycopy(source.counters, 0, counters, 0, source.size);
        size = source.size;
    }

    /** Empties the vector (every counter 0). */
    public void clear()
    {
        size = 0;
    }

    // ---------------------------------------------------------------- codec

    /**
     * @return bytes {@link #encode} writes.
     */
    public int encodedLength()
    {
        int length = 1 + WireBytes.varintLength(size);
        for (int i = 0; i < size; i++)
        {
            length += WireBytes.varintLength(ids[i]) + WireBytes.varintLength(counters[i]);
        }
        return length;
    }

    /**
     * @param dst    target array.
     * @param offset where to start.
     * @return bytes written ({@link #encodedLength()}).
     * @throws IndexOutOfBoundsException when the encoding does not fit; nothing is written.
     */
    public int encode(final byte[] dst, final int offset)
    {
        WireBytes.checkCapacity(offset, encodedLength(), dst.length);
        int i = offset;
        dst[i++] = (byte)FORMAT;
        i += WireBytes.writeVarint(dst, i, size);
        for (int e = 0; e < size; e++)
        {
            i += WireBytes.writeVarint(dst, i, ids[e]);
            i += WireBytes.writeVarint(dst, i, counters[e]);
        }
        return i - offset;
    }

    /**
     * @param dst   target buffer (heap or direct); written at absolute indices, position and limit unchanged.
     * @param index where to start.
     * @return bytes written ({@link #encodedLength()}).
     * @throws IndexOutOfBoundsException when the encoding does not fit below the limit; nothing is written.
     */
    public int encode(final ByteBuffer dst, final int index)
    {
        WireBytes.checkCapacity(index, encodedLength(), dst.limit());
        int i = index;
        dst.put(i++, (byte)FORMAT);
        i += WireBytes.writeVarint(dst, i, size);
        for (int e = 0; e < size; e++)
        {
            i += WireBytes.writeVarint(dst, i, ids[e]);
            i += WireBytes.writeVarint(dst, i, counters[e]);
        }
        return i - index;
    }

    /**
     * Replaces this vector with a decoded one. The bytes must be exactly one encoding.
     *
     * @param src    source array.
     * @param offset start of the encoding.
     * @param length its length.
     * @throws MalformedClockException when the bytes are not a valid encoding; this vector is unchanged.
     */
    public void decode(final byte[] src, final int offset, final int length)
    {
        try
        {
            decode(reader.wrap(src, offset, length));
        }
        finally
        {
            reader.release();
        }
    }

    /**
     * Replaces this vector with a decoded one, read at absolute indices (position and limit unchanged).
     *
     * @param src   source buffer (heap or direct).
     * @param index start of the encoding.
     * @param length its length.
     * @throws MalformedClockException when the bytes are not a valid encoding; this vector is unchanged.
     */
    public void decode(final ByteBuffer src, final int index, final int length)
    {
        try
        {
            decode(reader.wrap(src, index, length));
        }
        finally
        {
            reader.release();
        }
    }

    /**
     * One pass: validates into the spare arrays, then swaps them in, so a refused encoding changes nothing and an
     * accepted one is parsed once.
     */
    private void decode(final WireBytes in)
    {
        final int format = in.readByte("format byte");
        if (format != FORMAT)
        {
            throw in.error("not a version vector: format byte 0x" + Integer.toHexString(format) +
                ", expected 0x" + Integer.toHexString(FORMAT), in.start);
        }
        final int count = in.readCount("entry count", MIN_ENTRY_BYTES, MAX_ENTRIES);
        if (spareIds.length < count)
        {
            spareIds = new long[Math.max(count, ids.length)];
            spareCounters = new long[spareIds.length];
        }
        final long[] newIds = spareIds;
        final long[] newCounters = spareCounters;
        long previous = -1;
        for (int e = 0; e < count; e++)
        {
            final int at = in.position;
            final long id = in.readVarint("replica id");
            if (id <= previous)
            {
                throw in.error("replica id " + id + " is not above the previous " + previous +
                    " (ids must be strictly ascending)", at);
            }
            previous = id;
            final int counterAt = in.position;
            final long counter = in.readVarint("counter");
            if (counter == 0)
            {
                throw in.error("counter of replica " + id + " is 0 (zero entries are never encoded)", counterAt);
            }
            newIds[e] = id;
            newCounters[e] = counter;
        }
        if (in.remaining() != 0)
        {
            throw in.error(in.remaining() + " trailing bytes after the version vector", in.position);
        }
        spareIds = ids;
        spareCounters = counters;
        ids = newIds;
        counters = newCounters;
        size = count;
    }

    // ---------------------------------------------------------------- internals

    void ensureCapacity(final int capacity)
    {
        if (capacity > ids.length)
        {
            final int newLength = Math.max(capacity, ids.length * 2);
            ids = Arrays.copyOf(ids, newLength);
            counters = Arrays.copyOf(counters, newLength);
        }
    }

    private void insertAt(final int index, final long id, final long counter)
    {
        if (size == MAX_ENTRIES)
        {
            throw new IllegalStateException("a version vector holds at most " + MAX_ENTRIES + " replicas");
        }
        ensureCapacity(size + 1);
        System.arraycopy(ids, index, ids, index + 1, size - index);
        System.arraycopy(counters, index, counters, index + 1, size - index);
        ids[index] = id;
        counters[index] = counter;
        size++;
    }

    private void checkEntry(final int entry)
    {
        if (entry < 0 || entry >= size)
        {
            throw new IndexOutOfBoundsException("entry " + entry + " outside [0, " + size + ")");
        }
    }

    /**
     * @param o another object.
     * @return whether {@code o} is a version vector with the same counters. Mutable state: do not use as a map key
     * while it changes.
     */
    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof VersionVector))
        {
            return false;
        }
        final VersionVector other = (VersionVector)o;
        return size == other.size && Arrays.equals(ids, 0, size, other.ids, 0, size) &&
            Arrays.equals(counters, 0, size, other.counters, 0, size);
    }

    @Override
    public int hashCode()
    {
        int h = 1;
        for (int i = 0; i < size; i++)
        {
            h = 31 * h + Long.hashCode(ids[i]);
            h = 31 * h + Long.hashCode(counters[i]);
        }
        return h;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++)
        {
            sb.append(i == 0 ? "" : ", ").append(ids[i]).append('=').append(counters[i]);
        }
        return sb.append('}').toString();
    }
}
