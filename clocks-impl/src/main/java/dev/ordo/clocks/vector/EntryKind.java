package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.HybridTimestampFormat;

/**
 * What the entries of a {@link VectorClock} hold, and the format byte that starts its encoding.
 *
 * <ul>
 *     <li>{@link #COUNTERS}: classic event counters, {@code 1 .. Long.MAX_VALUE} (0 means "no event").</li>
 *     <li>{@link #HLC_MILLIS}, {@link #HLC_MICROS}: each entry is the packed hybrid logical clock timestamp
 *     ({@link HybridTimestampFormat}) of the latest event of that node, so a clock orders events causally
 *     and also tells roughly when each node last acted. Entries must be non-negative {@code long}s: for
 *     {@link HybridTimestampFormat#MICROS} that means physical times before the year 2041.</li>
 * </ul>
 * Clocks of different kinds never compare or merge with each other.
 */
public enum EntryKind
{
    /** Event counters. Format byte {@code 0x31}. */
    COUNTERS((byte)0x31, Long.MAX_VALUE, null),

    /** Packed {@link HybridTimestampFormat#MILLIS} timestamps. Format byte {@code 0x32}. */
    HLC_MILLIS((byte)0x32, HybridTimestampFormat.MILLIS.maxTimestamp(), HybridTimestampFormat.MILLIS),

    /** Packed {@link HybridTimestampFormat#MICROS} timestamps below 2^63. Format byte {@code 0x33}. */
    HLC_MICROS((byte)0x33, Long.MAX_VALUE, HybridTimestampFormat.MICROS);

    private final byte formatByte;
    private final long maxValue;
    private final HybridTimestampFormat timestampFormat;

    EntryKind(final byte formatByte, final long maxValue, final HybridTimestampFormat timestampFormat)
    {
        this.formatByte = formatByte;
        this.maxValue = maxValue;
        this.timestampFormat = timestampFormat;
    }

    /**
     * @param format a hybrid timestamp layout.
     * @return the kind whose entries are timestamps of that layout.
     */
    public static EntryKind hybrid(final HybridTimestampFormat format)
    {
        return format == HybridTimestampFormat.MILLIS ? HLC_MILLIS : HLC_MICROS;
    }

    /**
     * @return the byte an encoding of this kind starts with: layout version 3 in the high nibble, the kind
     * (1, 2, 3) in the low one.
     */
    public byte formatByte()
    {
        return formatByte;
    }

    /**
     * @return the largest entry value, inclusive.
     */
    public long maxValue()
    {
        return maxValue;
    }

    /**
     * @return the timestamp layout of the entries, or null for {@link #COUNTERS}.
     */
    public HybridTimestampFormat timestampFormat()
    {
        return timestampFormat;
    }

    /**
     * @param value a candidate entry value.
     * @return true when {@code 1 <= value <= maxValue()}.
     */
    public boolean isValidEntry(final long value)
    {
        return value >= 1 && value <= maxValue;
    }
}
