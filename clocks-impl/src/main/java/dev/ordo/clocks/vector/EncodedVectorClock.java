package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.MalformedClockException;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable flyweight over an encoded vector clock (the wire format of {@link VectorClock#encode(byte[], int)},
 * docs/vector-clocks.md), so clocks can be compared where they lie (in a received message, a log record, a
 * memory-mapped file) without decoding them and without a {@link NodeRegistry}. The bytes may live in a
 * {@code byte[]}, a {@link ByteBuffer} (heap or direct) or, for Aeron users, an Agrona {@link DirectBuffer};
 * none of these paths needs a JVM flag of its own.
 *
 * <p>{@code wrap} validates the whole encoding once (format byte, layout, count against the bytes, strictly
 * ascending node ids, value ranges, canonical widths, no trailing bytes) and throws
 * {@link MalformedClockException} for anything wrong, leaving the flyweight exactly as it was. After a
 * successful wrap, {@link #compare(EncodedVectorClock)} compares in place: when both encodings hold the same
 * nodes (identical ids blocks, one bulk comparison) it compares the values entry by entry, else it walks both
 * in node-id order (fixed-width fields: one load per id and per value); it stops as soon as the answer is
 * settled.
 * Neither allocates, except that a flyweight keeps a copy of the header and ids block of the last encoding it
 * validated in a {@code byte[]} (allocated on the first such wrap and when a larger one comes, at most 8 KiB
 * and a few bytes), so wrapping encodings of the same nodes checks header and ids with one bulk comparison
 * (and, for 4-byte counters, only the values after it); two flyweights whose remembered headers and ids were
 * once found equal compare their values without looking at the ids again, until either wraps other bytes.
 * A flyweight holds a reference to the last flyweight it found so (for as long as it lives).
 *
 * <p>The flyweight reads the wrapped bytes in place: if they change after {@code wrap}, later calls may give wrong
 * answers, but never read outside the wrapped range; wrap again ({@link VectorClock#merge(EncodedVectorClock)} and
 * {@link VectorClock#decode(EncodedVectorClock)} validate again before they change a clock). A wrapped
 * {@link ByteBuffer}'s order may change freely; its limit must stay at or beyond the wrapped range (a buffer
 * without an accessible array is read through its own bounds checks). A heap byte buffer or Agrona buffer is read
 * through the array it had at {@code wrap}: if the buffer then grows ({@code ExpandableArrayBuffer}) or is pointed
 * at other memory, the flyweight still reads the old array until wrapped again. Pruned entries are honoured exactly as in
 * {@link VectorClock#compare(VectorClock)}.
 *
 * <p>Concurrency contract: not thread-safe; one instance per thread. Wrapping the same bytes from several
 * flyweights on several threads is fine.
 */
public final class EncodedVectorClock
{
    private static final byte[] NO_BYTES = new byte[0];
    /** Largest header and ids block a flyweight keeps a copy of (1024 hashed ids). */
    private static final int KNOWN_LIMIT = 8192 + WireFormat.FIXED_HEADER + WireFormat.MAX_COUNT_BYTES;

    /** The wrapped bytes. */
    private final WireBytes bytes = new WireBytes();
    /** Scratch for validating a new wrap; detached when the call returns, success or not. */
    private final WireBytes probe = new WireBytes();

    /**
     * The start of the last encoding this flyweight validated on an array, its header and ids block, with the
     * encoding's length, packed header information and largest id: an encoding of the same length that starts
     * with the same bytes has the same header and the same (valid) ids, so the next wrap of an encoding of the
     * same nodes checks them with one bulk comparison and validates only the values. Kept up to
     * {@link #KNOWN_LIMIT} bytes; written only after a wrap succeeded.
     */
    private byte[] known = NO_BYTES;
    private int knownPrefix = -1;
    private int knownLength = -1;
    private long knownInfo;
    private long knownLastId;
    /** The kind of the known prefix's encoding. */
    private EntryKind knownKind;
    /**
     * Whether the known prefix's encoding has 4-byte values without flags and at least two entries (the usual
     * layout of counters): then {@link #wrap(byte[], int, int)} checks the values of an encoding of the same
     * nodes with {@link WireFormat#validInts} alone.
     */
    private boolean knownInts;
    /** Counts the changes of {@link #known}: with this flyweight's identity, it names the prefix held there. */
    private long knownVersion;
    /** Whether the wrapped bytes start with {@code known[0, knownPrefix)}, as checked or copied by their wrap. */
    private boolean wrapsKnown;
    /** Scratch of {@link #validateArray} for the wrap that follows it: {@link #wrapsKnown} of the bytes it passed. */
    private boolean validatedKnown;
    /**
     * The last flyweight whose known prefix (header and ids block) {@link #compare(EncodedVectorClock)} found
     * equal to this one's, and both {@link #knownVersion}s then: while neither changed and both wrap bytes
     * that start with their known prefix, the two wrapped encodings hold the same nodes in the same layout,
     * and comparing them is comparing their values blocks.
     */
    private EncodedVectorClock sameIdsPeer;
    private long sameIdsPeerVersion;
    private long sameIdsOwnVersion;

    private DirectBuffer agronaBuffer;
    private int offset;
    private int length;
    private long info;
    private EntryKind kind;
    private long uncertainComparisonCount;

    /**
     * A flyweight wrapping nothing yet.
     */
    public EncodedVectorClock()
    {
    }

    /**
     * Points this flyweight at an encoding in a byte array after validating it completely.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @return this.
     * @throws MalformedClockException naming what is wrong and where; the flyweight is unchanged.
     */
    public EncodedVectorClock wrap(final byte[] buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final int prefix = knownPrefix;
        if (knownInts && length == knownLength && offset >= 0 && offset <= buffer.length - length &&
            WireFormat.equalRanges(buffer, offset, known, 0, prefix) &&
            WireFormat.validInts(buffer, offset + prefix, length - prefix))
        {
            // The same header and ids as the last encoding validated here, 4-byte values: valid values make it
            // valid, and it is that encoding's layout.
            bytes.attachArray(buffer);
            wrapsKnown = true;
            agronaBuffer = null;
            this.offset = offset;
            this.length = length;
            info = knownInfo;
            kind = knownKind;
            return this;
        }
        final long info = validateArray(buffer, offset, length, true);
        if (info != WireFormat.INVALID)
        {
            return wrapped(buffer, offset, info);
        }
        probe.attach(buffer);
        return wrapProbe(offset, length, true, null);
    }

    /**
     * Points this flyweight at an encoding at absolute indices of a byte buffer (heap or direct, up to its
     * limit) after validating it completely. The buffer's position, limit and order are not used or changed.
     *
     * @param buffer the bytes, untrusted.
     * @param index  where the encoding starts.
     * @param length its exact length.
     * @return this.
     * @throws MalformedClockException naming what is wrong and where; the flyweight is unchanged.
     */
    public EncodedVectorClock wrap(final ByteBuffer buffer, final int index, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(index);
        }
        probe.attach(buffer);
        return wrapProbe(index, length, true, null);
    }

    /**
     * Points this flyweight at an encoding in an Agrona buffer (for Aeron users) after validating it
     * completely.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @return this.
     * @throws MalformedClockException naming what is wrong and where; the flyweight is unchanged.
     */
    public EncodedVectorClock wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        probe.attach(buffer);
        return wrapProbe(offset, length, true, buffer);
    }

    /**
     * Wraps the encoding that starts at {@code offset} in a larger message without a length prefix: validates
     * as {@link #wrap(byte[], int, int)} does, up to the end of the clock, and wraps exactly its bytes;
     * {@link #length()} then says where the rest of the message starts. Allocation-free.
     *
     * @param buffer    the bytes, untrusted.
     * @param offset    where the encoding starts.
     * @param maxLength bytes available from {@code offset}.
     * @return this.
     * @throws MalformedClockException if no valid encoding starts there; the flyweight is unchanged.
     */
    public EncodedVectorClock wrapPrefix(final byte[] buffer, final int offset, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final long info = validateArray(buffer, offset, maxLength, false);
        if (info != WireFormat.INVALID)
        {
            return wrapped(buffer, offset, info);
        }
        probe.attach(buffer);
        return wrapProbe(offset, maxLength, false, null);
    }

    /**
     * {@link #wrapPrefix(byte[], int, int)} for a byte buffer (absolute indices).
     *
     * @param buffer    the bytes, untrusted.
     * @param index     where the encoding starts.
     * @param maxLength bytes available from {@code index}.
     * @return this.
     * @throws MalformedClockException if no valid encoding starts there; the flyweight is unchanged.
     */
    public EncodedVectorClock wrapPrefix(final ByteBuffer buffer, final int index, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(index);
        }
        probe.attach(buffer);
        return wrapProbe(index, maxLength, false, null);
    }

    /**
     * {@link #wrapPrefix(byte[], int, int)} for an Agrona buffer.
     *
     * @param buffer    the bytes, untrusted.
     * @param offset    where the encoding starts.
     * @param maxLength bytes available from {@code offset}.
     * @return this.
     * @throws MalformedClockException if no valid encoding starts there; the flyweight is unchanged.
     */
    public EncodedVectorClock wrapPrefix(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        probe.attach(buffer);
        return wrapProbe(offset, maxLength, false, buffer);
    }

    /**
     * {@link WireFormat#validateArray}, with the header and the ids block checked by one bulk comparison when
     * they are byte for byte those of the last encoding of the same length this flyweight validated. Writes
     * nothing unless the encoding is valid.
     */
    private long validateArray(final byte[] buffer, final int offset, final int length, final boolean exact)
    {
        final int prefix = knownPrefix;
        if (exact && prefix > 0 && length == knownLength && offset >= 0 && offset <= buffer.length - length &&
            WireFormat.equalRanges(buffer, offset, known, 0, prefix))
        {
            final long validated =
                WireFormat.validValues(buffer, knownInfo, offset + WireFormat.headerLength(knownInfo), knownLastId);
            validatedKnown = true;
            return validated;
        }
        final long info = WireFormat.header(buffer, offset, length, exact, null);
        if (info == WireFormat.INVALID || WireFormat.count(info) == 0)
        {
            validatedKnown = false;
            return info;
        }
        final int idsAt = offset + WireFormat.headerLength(info);
        final long lastId =
            WireFormat.lastAscendingId(buffer, idsAt, WireFormat.count(info), WireFormat.layout(info) & 3);
        final long validated = WireFormat.validValues(buffer, info, idsAt, lastId);
        validatedKnown = validated != WireFormat.INVALID && remember(buffer, offset, validated, lastId);
        return validated;
    }

    /**
     * Keeps a copy of a validated encoding's header and ids block (called only after it passed).
     *
     * @return whether it did (not above {@link #KNOWN_LIMIT}).
     */
    private boolean remember(final byte[] buffer, final int offset, final long info, final long lastId)
    {
        final int prefix =
            WireFormat.headerLength(info) + WireFormat.count(info) * WireFormat.idWidth(WireFormat.layout(info));
        if (prefix > KNOWN_LIMIT)
        {
            return false;
        }
        if (known.length < prefix)
        {
            known = new byte[Math.min(KNOWN_LIMIT, Math.max(64, 2 * prefix))];
        }
        System.arraycopy(buffer, offset, known, 0, prefix);
        knownPrefix = prefix;
        knownLength = WireFormat.length(info);
        knownInfo = info;
        knownLastId = lastId;
        knownKind = WireFormat.kindOf(WireFormat.formatByte(info));
        final int layout = WireFormat.layout(info);
        knownInts = ((layout >>> 2) & 3) == 2 && (layout & WireFormat.PRUNED_PRESENT) == 0 && WireFormat.count(info) >= 2;
        knownVersion++;
        return true;
    }

    /** Points at an array encoding the fast validation accepted. */
    private EncodedVectorClock wrapped(final byte[] buffer, final int offset, final long validated)
    {
        bytes.attach(buffer);
        this.wrapsKnown = validatedKnown;
        this.agronaBuffer = null;
        this.offset = offset;
        this.length = WireFormat.length(validated);
        this.info = validated;
        this.kind = WireFormat.kindOf(WireFormat.formatByte(validated));
        return this;
    }

    private EncodedVectorClock wrapProbe(
        final int offset, final int length, final boolean exact, final DirectBuffer agrona)
    {
        final long validated;
        try
        {
            validated = WireFormat.validate(probe, offset, length, exact, null, null, null);
            bytes.attach(probe);
            wrapsKnown = false;
        }
        finally
        {
            probe.detach();
        }
        this.agronaBuffer = agrona;
        this.offset = offset;
        this.length = WireFormat.length(validated);
        this.info = validated;
        this.kind = WireFormat.kindOf(WireFormat.formatByte(validated));
        return this;
    }

    /**
     * Finds where an encoding that starts at {@code offset} ends, validating it as
     * {@link #wrapPrefix(byte[], int, int)} does.
     *
     * @param buffer    the bytes, untrusted.
     * @param offset    where the encoding starts.
     * @param maxLength bytes available from {@code offset}.
     * @return the encoding's length.
     * @throws MalformedClockException if no valid encoding starts there.
     */
    public static int lengthOf(final byte[] buffer, final int offset, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final WireBytes in = new WireBytes();
        in.attach(buffer);
        return WireFormat.length(WireFormat.validate(in, offset, maxLength, false, null, null, null));
    }

    /**
     * {@link #lengthOf(byte[], int, int)} for a byte buffer (absolute indices).
     *
     * @param buffer    the bytes, untrusted.
     * @param index     where the encoding starts.
     * @param maxLength bytes available from {@code index}.
     * @return the encoding's length.
     * @throws MalformedClockException if no valid encoding starts there.
     */
    public static int lengthOf(final ByteBuffer buffer, final int index, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(index);
        }
        final WireBytes in = new WireBytes();
        in.attach(buffer);
        return WireFormat.length(WireFormat.validate(in, index, maxLength, false, null, null, null));
    }

    /**
     * {@link #lengthOf(byte[], int, int)} for an Agrona buffer.
     *
     * @param buffer    the bytes, untrusted.
     * @param offset    where the encoding starts.
     * @param maxLength bytes available from {@code offset}.
     * @return the encoding's length.
     * @throws MalformedClockException if no valid encoding starts there.
     */
    public static int lengthOf(final DirectBuffer buffer, final int offset, final int maxLength)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final WireBytes in = new WireBytes();
        in.attach(buffer);
        return WireFormat.length(WireFormat.validate(in, offset, maxLength, false, null, null, null));
    }

    private static MalformedClockException noBuffer(final int offset)
    {
        return new MalformedClockException("no buffer to read a vector clock from", offset);
    }

    /**
     * Compares the wrapped history with another wrapped one, directly on the bytes. Allocation-free.
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
        final int flags;
        if (wrapsKnown && other.wrapsKnown &&
            (sameIdsPeer == other && sameIdsPeerVersion == other.knownVersion && sameIdsOwnVersion == knownVersion ||
                learnSameIds(other)))
        {
            // The same nodes in the same layout, known without looking at the ids again.
            final int layout = WireFormat.layout(info);
            final int count = WireFormat.count(info);
            final int values = WireFormat.headerLength(info) + count * WireFormat.idWidth(layout);
            flags = WireFormat.compareSameNodes(bytes.array, bytes.base + offset + values,
                other.bytes.array, other.bytes.base + other.offset + values, count, (layout >>> 2) & 3);
        }
        else
        {
            flags = WireFormat.compareFlags(bytes, offset, info, other.bytes, other.offset, other.info);
        }
        return resolveCounting(flags);
    }

    /**
     * Whether the known prefixes of both flyweights (each wrapping bytes that start with its own) are equal and
     * without pruned entries; if so, remembers it for the next comparison with {@code other}.
     */
    private boolean learnSameIds(final EncodedVectorClock other)
    {
        final int prefix = knownPrefix;
        if (info != other.info || (WireFormat.layout(info) & WireFormat.PRUNED_PRESENT) != 0 ||
            prefix != other.knownPrefix || !WireFormat.equalRanges(known, 0, other.known, 0, prefix))
        {
            return false;
        }
        sameIdsPeer = other;
        sameIdsPeerVersion = other.knownVersion;
        sameIdsOwnVersion = knownVersion;
        return true;
    }

    /**
     * Compares the wrapped history with an encoding in a byte array, validating that encoding completely: the
     * answer and the errors of {@code compare(new EncodedVectorClock().wrap(buffer, offset, length))}, in one
     * call, without wrapping it anywhere and allocation-free. For the common step of a replica that keeps its
     * clock encoded and receives another (is the incoming write newer, older, or a sibling?).
     *
     * <p>When the encoding holds the same nodes as the wrapped one in the same layout (the steady state of a
     * cluster), its ids block is checked equal to the wrapped one's, which makes it valid, and its values are
     * validated while they are compared, in one pass. Anything else is validated as {@link #wrap(byte[], int, int)}
     * validates, then compared as {@link #compare(EncodedVectorClock)} compares.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @return how the wrapped history relates to the encoded one.
     * @throws MalformedClockException  naming what is wrong with the bytes and where; this flyweight is unchanged.
     * @throws IllegalArgumentException if the encoding is valid and this flyweight wraps nothing, or the encoding
     *                                  is valid but of another kind (malformed bytes are reported first, as wrap
     *                                  then compare reports them).
     */
    public Causality compareWith(final byte[] buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        final byte[] array = bytes.array;
        int flags = WireFormat.NOT_FAST;
        if (array != null && (WireFormat.layout(info) & WireFormat.PRUNED_PRESENT) == 0)
        {
            flags = WireFormat.compareUntrusted(
                array, bytes.base + this.offset + WireFormat.headerLength(info), info, buffer, offset, length);
        }
        if (flags == WireFormat.NOT_FAST)
        {
            probe.attach(buffer);
            flags = compareWithProbe(offset, length);
        }
        return resolveCounting(flags);
    }

    /**
     * {@link #compareWith(byte[], int, int)} for an encoding at absolute indices of a byte buffer (heap or direct,
     * up to its limit); the buffer's position, limit and order are not used or changed.
     *
     * @param buffer the bytes, untrusted.
     * @param index  where the encoding starts.
     * @param length its exact length.
     * @return how the wrapped history relates to the encoded one.
     * @throws MalformedClockException  naming what is wrong with the bytes and where; this flyweight is unchanged.
     * @throws IllegalArgumentException if the encoding is valid and this flyweight wraps nothing, or the encoding
     *                                  is valid but of another kind (malformed bytes are reported first, as wrap
     *                                  then compare reports them).
     */
    public Causality compareWith(final ByteBuffer buffer, final int index, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(index);
        }
        probe.attach(buffer);
        return resolveCounting(compareWithProbe(index, length));
    }

    /**
     * {@link #compareWith(byte[], int, int)} for an encoding in an Agrona buffer.
     *
     * @param buffer the bytes, untrusted.
     * @param offset where the encoding starts.
     * @param length its exact length.
     * @return how the wrapped history relates to the encoded one.
     * @throws MalformedClockException  naming what is wrong with the bytes and where; this flyweight is unchanged.
     * @throws IllegalArgumentException if the encoding is valid and this flyweight wraps nothing, or the encoding
     *                                  is valid but of another kind (malformed bytes are reported first, as wrap
     *                                  then compare reports them).
     */
    public Causality compareWith(final DirectBuffer buffer, final int offset, final int length)
    {
        if (buffer == null)
        {
            throw noBuffer(offset);
        }
        probe.attach(buffer);
        return resolveCounting(compareWithProbe(offset, length));
    }

    /** The answer of {@link Relation} flags, counting it when only pruning left it {@code CONCURRENT}. */
    private Causality resolveCounting(final int flags)
    {
        if (Relation.isUncertain(flags))
        {
            uncertainComparisonCount++;
        }
        return Relation.resolve(flags);
    }

    /** Validates the encoding at {@code offset} of the attached probe completely and compares; detaches it. */
    private int compareWithProbe(final int offset, final int length)
    {
        try
        {
            final long validated = WireFormat.validate(probe, offset, length, true, null, null, null);
            // As in compare(new EncodedVectorClock().wrap(...)): the bytes are validated before the wrap is missed.
            checkWrapped();
            final EntryKind otherKind = WireFormat.kindOf(WireFormat.formatByte(validated));
            if (otherKind != kind)
            {
                throw new IllegalArgumentException(
                    "cannot compare an encoded " + kind + " clock with an encoded " + otherKind + " clock");
            }
            return WireFormat.compareFlags(bytes, this.offset, info, probe, offset, validated);
        }
        finally
        {
            probe.detach();
        }
    }

    /**
     * @param nodeId a wire id.
     * @return the wrapped clock's entry for that node (a lower bound if pruned), or 0 (no entry, or a retired
     * marker: see {@link #isRetired(long)}). A linear scan.
     */
    public long get(final long nodeId)
    {
        final int entry = find(nodeId);
        return entry < 0 ? 0 : value(entry);
    }

    /**
     * @param nodeId a wire id.
     * @return true when the wrapped clock's entry for that node is pruned.
     */
    public boolean isPruned(final long nodeId)
    {
        final int entry = find(nodeId);
        return entry >= 0 && pruned(entry);
    }

    /**
     * @param nodeId a wire id.
     * @return true when the wrapped clock's entry for that node is a retired marker ({@link #get(long)} is
     * then 0: the final value lives in the registries, {@link NodeRegistry#finalValue(int)}).
     */
    public boolean isRetired(final long nodeId)
    {
        final int entry = find(nodeId);
        return entry >= 0 && retired(entry);
    }

    private int find(final long nodeId)
    {
        checkWrapped();
        for (int e = 0, n = entryCount(); e < n; e++)
        {
            final long id = nodeId(e);
            if (id >= nodeId)
            {
                return id == nodeId ? e : -1;
            }
        }
        return -1;
    }

    /**
     * @param entry an entry number, {@code 0 .. entryCount() - 1}, in ascending node-id order.
     * @return that entry's wire id.
     * @throws IndexOutOfBoundsException if there is no such entry.
     */
    public long nodeId(final int entry)
    {
        final int idWidth = WireFormat.idWidth(WireFormat.layout(info));
        return bytes.read(idsAt() + checkEntry(entry) * idWidth, idWidth);
    }

    /**
     * @param entry an entry number, {@code 0 .. entryCount() - 1}.
     * @return that entry's value (a lower bound when pruned, 0 for a retired marker).
     * @throws IndexOutOfBoundsException if there is no such entry.
     */
    public long value(final int entry)
    {
        final int valueWidth = WireFormat.valueWidth(WireFormat.layout(info));
        final long raw = bytes.read(valueAt(entry), valueWidth);
        return valueWidth == 8 ? raw & Long.MAX_VALUE : raw & ((1L << (valueWidth * 8 - 1)) - 1);
    }

    /**
     * @param entry an entry number, {@code 0 .. entryCount() - 1}.
     * @return true when that entry is pruned (its value a lower bound).
     * @throws IndexOutOfBoundsException if there is no such entry.
     */
    public boolean pruned(final int entry)
    {
        return flagged(entry) && value(entry) != 0;
    }

    /**
     * @param entry an entry number, {@code 0 .. entryCount() - 1}.
     * @return true when that entry is a retired marker: exactly the node's final value
     * ({@link NodeRegistry#retire(int, long)}), which the bytes do not carry ({@link #value(int)} is 0).
     * @throws IndexOutOfBoundsException if there is no such entry.
     */
    public boolean retired(final int entry)
    {
        return flagged(entry) && value(entry) == 0;
    }

    private boolean flagged(final int entry)
    {
        final int valueWidth = WireFormat.valueWidth(WireFormat.layout(info));
        final long raw = bytes.read(valueAt(entry), valueWidth);
        return ((raw >>> (valueWidth * 8 - 1)) & 1) != 0;
    }

    /** @return {@code entry}, after checking that it exists. */
    private int checkEntry(final int entry)
    {
        checkWrapped();
        if (entry < 0 || entry >= entryCount())
        {
            throw new IndexOutOfBoundsException("entry " + entry + " of a clock with " + entryCount() + " entries");
        }
        return entry;
    }

    /** @return where the ids block starts. */
    private int idsAt()
    {
        return offset + WireFormat.headerLength(info);
    }

    /** @return where an entry's value lies (the values block follows the ids block). */
    private int valueAt(final int entry)
    {
        final int layout = WireFormat.layout(info);
        return idsAt() + entryCount() * WireFormat.idWidth(layout) + checkEntry(entry) * WireFormat.valueWidth(layout);
    }

    /**
     * @return how many comparisons made by this flyweight answered CONCURRENT only because of pruned entries.
     */
    public long uncertainComparisonCount()
    {
        return uncertainComparisonCount;
    }

    /**
     * @return the wrapped Agrona buffer when the last wrap took one, else null.
     */
    public DirectBuffer buffer()
    {
        return agronaBuffer;
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
        return WireFormat.count(info);
    }

    /**
     * @return true when at least one entry is pruned or a retired marker (the layout's flag bit).
     */
    public boolean hasPrunedEntries()
    {
        return (WireFormat.layout(info) & WireFormat.PRUNED_PRESENT) != 0;
    }

    /**
     * @return the kind of the wrapped entries, or null before the first successful wrap.
     */
    public EntryKind kind()
    {
        return kind;
    }

    /**
     * Copies the wrapped encoding's bytes into a new array (for example to keep it after the buffer is
     * reused). Allocates.
     *
     * @return the encoding.
     */
    public byte[] toBytes()
    {
        checkWrapped();
        final byte[] copy = new byte[length];
        for (int i = 0; i < length; i++)
        {
            copy[i] = (byte)bytes.u8(offset + i);
        }
        return copy;
    }

    WireBytes bytes()
    {
        return bytes;
    }

    long info()
    {
        return info;
    }

    void checkWrapped()
    {
        if (kind == null)
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
        if (kind == null)
        {
            return "EncodedVectorClock{unwrapped}";
        }
        final StringBuilder sb = new StringBuilder("EncodedVectorClock{").append(kind);
        for (int e = 0, n = entryCount(); e < n; e++)
        {
            sb.append(", ").append(nodeId(e)).append('=');
            sb.append(retired(e) ? "final(retired)" : pruned(e) ? ">=" + value(e) + "(pruned)" : Long.toString(value(e)));
        }
        return sb.append('}').toString();
    }
}
