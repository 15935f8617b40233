package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.DirectBuffer;

/**
 * A reusable flyweight over an encoded vector clock (the wire format of
 * {@link VectorClock#encode(org.agrona.MutableDirectBuffer, int)}), so clocks can be compared where they lie
 * (in a received message, a log record, a memory-mapped file) without decoding them and without a
 * {@link NodeRegistry}.
 *
 * <p>{@link #wrap(DirectBuffer, int, int)} validates the whole encoding once (format byte, counts,
 * varints, strictly ascending node ids, value ranges, no trailing bytes) and throws
 * {@link MalformedClockException} for anything wrong, leaving the flyweight as it was. After a successful
 * wrap, {@link #compare(EncodedVectorClock)} is a merge walk over both byte ranges in node-id order that
 * stops as soon as the answer is settled. Neither allocates.
 *
 * <p>The flyweight does not copy the bytes: changing them after {@code wrap} gives undefined (but never
 * out-of-bounds) answers; wrap again. Pruned entries are honoured exactly as in
 * {@link VectorClock#compare(VectorClock)}.
 *
 * <p>Concurrency contract: not thread-safe; one instance per thread. Wrapping the same bytes from several
 * flyweights on several threads is fine.
 */
public final class EncodedVectorClock
{
    private final WireCursor validator = new WireCursor();
    private final WireCursor left = new WireCursor();
    private final WireCursor right = new WireCursor();

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int entryCount;
    private boolean prunedEntries;
    private EntryKind kind;
    private long uncertainComparisonCount;

    /**
     * A flyweight wrapping nothing yet.
     */
    public EncodedVectorClock()
    {
    }

    /**
     * Points this flyweight at an encoding after validating it completely.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @return this.
     * @throws MalformedClockException naming what is wrong and where; the flyweight is unchanged.
     */
    public EncodedVectorClock wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireCursor c = validator;
        final int count = c.validate(buffer, offset, length, null, null);
        boolean anyPruned = false;
        while (c.next())
        {
            anyPruned |= c.entryPruned;
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.entryCount = count;
        this.prunedEntries = anyPruned;
        this.kind = c.kind();
        return this;
    }

    /**
     * Finds where an encoding that starts at {@code offset} ends, for clocks embedded in larger messages
     * without a length prefix. Validates as {@link #wrap(DirectBuffer, int, int)} does, up to the end found.
     *
     * @param buffer   the bytes, untrusted.
     * @param offset   where the encoding starts.
     * @param maxLength bytes available from {@code offset}.
     * @return the encoding's length.
     * @throws MalformedClockException if no valid encoding starts there.
     */
    public static int lengthOf(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        final WireCursor c = new WireCursor();
        return c.scanLength(buffer, offset, maxLength);
    }

    /**
     * Compares the wrapped history with another wrapped one, directly on the bytes.
     *
     * @param other a wrapped encoding of the same kind.
     * @return how this history relates to {@code other}'s.
     * @throws IllegalArgumentException if either flyweight wraps nothing, or the kinds differ.
     */
    public Causality compare(final EncodedVectorClock other)
    {
        checkWrapped();
        other.checkWrapped();
        if (other.kind != kind)
        {
            throw new IllegalArgumentException(
                "cannot compare an encoded " + kind + " clock with an encoded " + other.kind + " clock");
        }
        final WireCursor a = left;
        final WireCursor b = right;
        a.rewind(buffer, offset, length);
        b.rewind(other.buffer, other.offset, other.length);
        int flags = 0;
        boolean moreA = a.next();
        boolean moreB = b.next();
        while (moreA || moreB)
        {
            if (moreA && (!moreB || a.entryId < b.entryId))
            {
                flags |= Relation.of(a.entryValue, a.entryPruned, 0, false);
                moreA = a.next();
            }
            else if (moreB && (!moreA || b.entryId < a.entryId))
            {
                flags |= Relation.of(0, false, b.entryValue, b.entryPruned);
                moreB = b.next();
            }
            else
            {
                flags |= Relation.of(a.entryValue, a.entryPruned, b.entryValue, b.entryPruned);
                moreA = a.next();
                moreB = b.next();
            }
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
     * @param nodeId a wire id.
     * @return the wrapped clock's entry for that node (a lower bound if pruned), or 0. A linear scan.
     */
    public long get(final long nodeId)
    {
        checkWrapped();
        final WireCursor c = left;
        c.rewind(buffer, offset, length);
        while (c.next())
        {
            if (c.entryId >= nodeId)
            {
                return c.entryId == nodeId ? c.entryValue : 0;
            }
        }
        return 0;
    }

    /**
     * @return how many comparisons made by this flyweight answered CONCURRENT only because of pruned entries.
     */
    public long uncertainComparisonCount()
    {
        return uncertainComparisonCount;
    }

    /**
     * @return the wrapped buffer, or null before the first successful wrap.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the wrapped encoding starts.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return the wrapped encoding's length in bytes.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the number of entries (non-zero nodes, pruned ones included).
     */
    public int entryCount()
    {
        return entryCount;
    }

    /**
     * @return true when at least one entry is pruned.
     */
    public boolean hasPrunedEntries()
    {
        return prunedEntries;
    }

    /**
     * @return the kind of the wrapped entries, or null before the first successful wrap.
     */
    public EntryKind kind()
    {
        return kind;
    }

    private void checkWrapped()
    {
        if (buffer == null)
        {
            throw new IllegalArgumentException("this EncodedVectorClock wraps nothing yet: call wrap first");
        }
    }

    /**
     * Allocates; for logs and tests. Example: {@code EncodedVectorClock{COUNTERS, 1=3, 7=>=1(pruned)}}.
     */
    @Override
    public String toString()
    {
        if (buffer == null)
        {
            return "EncodedVectorClock{unwrapped}";
        }
        final StringBuilder sb = new StringBuilder("EncodedVectorClock{").append(kind);
        final WireCursor c = new WireCursor();
        c.rewind(buffer, offset, length);
        while (c.next())
        {
            sb.append(", ").append(c.entryId).append('=');
            sb.append(c.entryPruned ? ">=" + c.entryValue + "(pruned)" : Long.toString(c.entryValue));
        }
        return sb.append('}').toString();
    }
}
