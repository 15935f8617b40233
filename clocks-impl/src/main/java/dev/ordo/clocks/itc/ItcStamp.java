package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An interval tree clock stamp: causality tracking for systems whose participants come and go without global
 * ids (ephemeral workers, forked tasks, mobile replicas). Almeida, Baquero, Fonte, "Interval Tree Clocks: A
 * Logical Clock for Dynamic Systems" (OPODIS 2008).
 *
 * <h2>Model</h2>
 * A stamp is an <em>id</em> (which part of the interval [0, 1) this participant owns) and an <em>event</em> tree
 * (how many events happened over each part of the interval). Start from {@link #seed()}; {@link #fork()} splits
 * a stamp's id in two for a new participant; {@link #event()} records an event, inflating the event tree only
 * over the owned part; {@link #join(ItcStamp)} merges two stamps (their ids, which must be disjoint, and their
 * event trees, pointwise maximum) when participants merge or retire; {@link #peek()} makes an anonymous copy
 * (id 0) to send with a message, which the receiver joins. {@link #compare} orders two stamps by their event
 * trees exactly as vector clocks would, with no ids to register and no entries for departed participants: the
 * trees shrink again as ids are joined back (both trees are kept normalized).
 *
 * <h2>Guarantees (tested against an explicit causal-history model)</h2>
 * For any stamps produced by fork, event, join and peek from one seed, {@code a.compare(b)} is BEFORE exactly when
 * a's causal history is a strict subset of b's, EQUAL when they are equal, CONCURRENT otherwise. Join is
 * commutative, associative and idempotent on event trees; {@code fork} then {@code join} of the two halves gives
 * the original id back.
 *
 * <h2>Limits and cost</h2>
 * Counters are at most {@code 2^62 - 1} on any path; going past it throws {@code ClockOverflowException}. Stamps
 * are immutable persistent trees: every operation returns a new stamp and allocates the nodes it changes (sizes
 * follow the number of live participants, typically a few dozen nodes), so unlike Ordo's vector clocks these
 * operations are not allocation-free; {@link #compare} is (the walk carries lifts as numbers).
 * {@code ItcBenchmark} measures them. Thread-safe (immutable).
 *
 * <h2>Wire format</h2>
 * Format byte {@code 0x49} ('I'), then the id tree in preorder (a byte per node: 0 = owns nothing, 1 = owns
 * all, 2 = split), then the event tree in preorder (per node {@code varint(n << 1 | split)}). {@link #decode}
 * refuses anything but exactly one normalized stamp (non-normalized trees, counters past the limit, trees deeper
 * than {@value #MAX_DEPTH}, truncation, trailing bytes) with a {@link MalformedClockException}; every node takes
 * at least one byte, so decoding work is bounded by the input length.
 */
public final class ItcStamp
{
    /** The format byte. */
    public static final int FORMAT = 0x49;
    /** The deepest id or event tree {@link #decode} accepts. */
    public static final int MAX_DEPTH = 256;

    private static final ItcStamp SEED = new ItcStamp(Id.ONE, Event.ZERO);

    private final Id id;
    private final Event event;

    private ItcStamp(final Id id, final Event event)
    {
        this.id = id;
        this.event = event;
    }

    /**
     * @return the first stamp of a system: owns the whole interval, no events.
     */
    public static ItcStamp seed()
    {
        return SEED;
    }

    /**
     * Two stamps that split this one's id and share its history (a participant creating another).
     *
     * @param left  this participant from now on.
     * @param right the new participant.
     */
    public record Fork(ItcStamp left, ItcStamp right)
    {
    }

    /**
     * @return two stamps with disjoint ids whose sum is this id, both with this history. Forking an anonymous stamp
     * gives two anonymous stamps.
     * @throws IllegalStateException when a half's id tree would be deeper than {@link #MAX_DEPTH}: {@link #decode}
     *                               refuses such trees, so the stamp could not be sent; join ids first.
     */
    public Fork fork()
    {
        final Id[] halves = id.split();
        // decode bounds the recursion on hostile input at MAX_DEPTH; never hand out a stamp it would refuse.
        if (halves[0].depth() > MAX_DEPTH || halves[1].depth() > MAX_DEPTH)
        {
            throw new IllegalStateException("forking would make an id tree deeper than " + MAX_DEPTH +
                " levels, which decode refuses; join some participants' ids first");
        }
        return new Fork(new ItcStamp(halves[0], event), new ItcStamp(halves[1], event));
    }

    /**
     * @return this stamp after one more event of its owner: after this one in {@link #compare}.
     * @throws IllegalStateException when this stamp is anonymous (it owns nothing to count an event on).
     */
    public ItcStamp event()
    {
        if (id.isZero())
        {
            throw new IllegalStateException("an anonymous stamp (from peek) cannot record events; join it first");
        }
        final Event filled = Event.fill(id, event);
        if (!filled.equals(event))
        {
            return new ItcStamp(id, filled);
        }
        return new ItcStamp(id, Event.grow(id, event).event);
    }

    /**
     * @param other a stamp whose id is disjoint from this one's (another participant, or an anonymous stamp).
     * @return a stamp owning both ids with both histories.
     * @throws IllegalArgumentException when the ids overlap (the same participant joined twice).
     */
    public ItcStamp join(final ItcStamp other)
    {
        return new ItcStamp(Id.sum(id, other.id), Event.join(event, other.event));
    }

    /**
     * @return an anonymous stamp (owns nothing) with this history: what a message carries.
     */
    public ItcStamp peek()
    {
        return new ItcStamp(Id.ZERO, event);
    }

    /**
     * @return whether this stamp owns nothing (it cannot record events).
     */
    public boolean isAnonymous()
    {
        return id.isZero();
    }

    /**
     * @param other another stamp.
     * @return how this stamp's history relates to the other's (ids play no part).
     */
    public Causality compare(final ItcStamp other)
    {
        final boolean leq = Event.leq(event, other.event);
        final boolean geq = Event.leq(other.event, event);
        return leq ? (geq ? Causality.EQUAL : Causality.BEFORE) : geq ? Causality.AFTER : Causality.CONCURRENT;
    }

    // ---------------------------------------------------------------- codec

    /**
     * @return bytes {@link #encode} writes.
     */
    public int encodedLength()
    {
        return 1 + idLength(id) + eventLength(event);
    }

    /**
     * @param dst    target array.
     * @param offset where to start.
     * @return bytes written.
     * @throws IndexOutOfBoundsException when it does not fit; nothing is written.
     */
    public int encode(final byte[] dst, final int offset)
    {
        final int length = encodedLength();
        if (offset < 0 || length > dst.length - offset)
        {
            throw new IndexOutOfBoundsException("stamp needs " + length + " bytes at offset " + offset +
                " of a " + dst.length + "-byte array");
        }
        final ByteBuffer view = ByteBuffer.wrap(dst);
        return encode(view, offset);
    }

    /**
     * @param dst   target buffer (heap or direct), written at absolute indices; position and limit unchanged.
     * @param index where to start.
     * @return bytes written.
     * @throws IndexOutOfBoundsException when it does not fit below the limit; nothing is written.
     */
    public int encode(final ByteBuffer dst, final int index)
    {
        final int length = encodedLength();
        if (index < 0 || length > dst.limit() - index)
        {
            throw new IndexOutOfBoundsException("stamp needs " + length + " bytes at index " + index +
                " below a limit of " + dst.limit());
        }
        int p = index;
        dst.put(p++, (byte)FORMAT);
        p = writeId(dst, p, id);
        p = writeEvent(dst, p, event);
        return p - index;
    }

    /**
     * @param src    source array.
     * @param offset start.
     * @param length exactly one encoding.
     * @return the stamp.
     * @throws MalformedClockException when the bytes are not exactly one valid, normalized stamp.
     */
    public static ItcStamp decode(final byte[] src, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > src.length - length)
        {
            throw new IndexOutOfBoundsException("range offset=" + offset + " length=" + length +
                " does not fit " + src.length + " bytes");
        }
        return new Reader(ByteBuffer.wrap(src), offset, length).stamp();
    }

    /**
     * @param src    source buffer (heap or direct), read at absolute indices.
     * @param index  start.
     * @param length exactly one encoding.
     * @return the stamp.
     * @throws MalformedClockException when the bytes are not exactly one valid, normalized stamp.
     */
    public static ItcStamp decode(final ByteBuffer src, final int index, final int length)
    {
        if (index < 0 || length < 0 || index > src.limit() - length)
        {
            throw new IndexOutOfBoundsException("range index=" + index + " length=" + length +
                " does not fit below the limit " + src.limit());
        }
        return new Reader(src, index, length).stamp();
    }

    private static int idLength(final Id id)
    {
        return id.isLeaf() ? 1 : 1 + idLength(id.left) + idLength(id.right);
    }

    private static int eventLength(final Event e)
    {
        final int own = varintLength(e.n << 1 | (e.isLeaf() ? 0 : 1));
        return e.isLeaf() ? own : own + eventLength(e.left) + eventLength(e.right);
    }

    private static int writeId(final ByteBuffer dst, final int at, final Id id)
    {
        if (id.isLeaf())
        {
            dst.put(at, (byte)(id.isOne() ? 1 : 0));
            return at + 1;
        }
        dst.put(at, (byte)2);
        return writeId(dst, writeId(dst, at + 1, id.left), id.right);
    }

    private static int writeEvent(final ByteBuffer dst, final int at, final Event e)
    {
        int p = at;
        long v = e.n << 1 | (e.isLeaf() ? 0 : 1);
        while ((v & ~0x7FL) != 0)
        {
            dst.put(p++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        dst.put(p++, (byte)v);
        return e.isLeaf() ? p : writeEvent(dst, writeEvent(dst, p, e.left), e.right);
    }

    private static int varintLength(final long value)
    {
        return value == 0 ? 1 : (63 - Long.numberOfLeadingZeros(value)) / 7 + 1;
    }

    /** A one-shot validating reader. */
    private static final class Reader
    {
        private final ByteBuffer src;
        private final int start;
        private final int limit;
        private int position;

        Reader(final ByteBuffer src, final int index, final int length)
        {
            this.src = src;
            this.start = index;
            this.limit = index + length;
            this.position = index;
        }

        ItcStamp stamp()
        {
            final int format = readByte("format byte");
            if (format != FORMAT)
            {
                throw new MalformedClockException("not an interval tree clock: format byte 0x" +
                    Integer.toHexString(format) + ", expected 0x" + Integer.toHexString(FORMAT), start);
            }
            final Id id = readId(0);
            final Event event = readEvent(0, 0);
            if (position != limit)
            {
                throw new MalformedClockException((limit - position) + " trailing bytes after the stamp", position);
            }
            return new ItcStamp(id, event);
        }

        private Id readId(final int depth)
        {
            checkDepth(depth);
            final int at = position;
            final int tag = readByte("id node");
            switch (tag)
            {
                case 0:
                    return Id.ZERO;
                case 1:
                    return Id.ONE;
                case 2:
                    final Id left = readId(depth + 1);
                    final Id right = readId(depth + 1);
                    if ((left.isZero() && right.isZero()) || (left.isOne() && right.isOne()))
                    {
                        throw new MalformedClockException("id node (" + left + ", " + right +
                            ") is not normalized", at);
                    }
                    return Id.node(left, right);
                default:
                    throw new MalformedClockException("id node tag " + tag + " is not 0, 1 or 2", at);
            }
        }

        /** @param base the sum of the counters above this node (the path must stay within the limit). */
        private Event readEvent(final int depth, final long base)
        {
            checkDepth(depth);
            final int at = position;
            final long word = readVarint();
            final long n = word >>> 1;
            if (n > Event.MAX_COUNTER - base)
            {
                throw new MalformedClockException("event counter " + n + " takes its path past 2^62 - 1", at);
            }
            if ((word & 1) == 0)
            {
                return Event.leaf(n);
            }
            final Event left = readEvent(depth + 1, base + n);
            final Event right = readEvent(depth + 1, base + n);
            if (left.isLeaf() && right.isLeaf() && left.n == right.n)
            {
                throw new MalformedClockException("event node with two equal leaves " + left.n +
                    " is not normalized", at);
            }
            if (Math.min(left.min(), right.min()) != 0)
            {
                throw new MalformedClockException("event node whose children all exceed 0 is not normalized", at);
            }
            return Event.rawNode(n, left, right);
        }

        private void checkDepth(final int depth)
        {
            if (depth > MAX_DEPTH)
            {
                throw new MalformedClockException("tree deeper than " + MAX_DEPTH, position);
            }
        }

        private int readByte(final String field)
        {
            if (position >= limit)
            {
                throw new MalformedClockException("truncated: " + field + " runs past the end of the " +
                    (limit - start) + "-byte encoding", position);
            }
            return src.get(position++) & 0xFF;
        }

        private long readVarint()
        {
            final int begin = position;
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                final int b = readByte("event counter");
                if (shift == 63 && b > 0)
                {
                    throw new MalformedClockException("event counter is larger than 2^63-1", begin);
                }
                value |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if (b == 0 && shift > 0)
                    {
                        throw new MalformedClockException("event counter is not minimally encoded", begin);
                    }
                    return value;
                }
            }
            throw new MalformedClockException("event counter varint is over 10 bytes", begin);
        }
    }

    /**
     * @param o another object.
     * @return whether {@code o} is a stamp with the same id and event trees.
     */
    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ItcStamp))
        {
            return false;
        }
        final ItcStamp other = (ItcStamp)o;
        return id.equals(other.id) && event.equals(other.event);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(id, event);
    }

    /**
     * @return the paper's notation, {@code (id, event)}, for example {@code ((1, 0), (0, 1, 0))}.
     */
    @Override
    public String toString()
    {
        return "(" + id + ", " + event + ")";
    }
}
