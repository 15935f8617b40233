package dev.ordo.clocks.api;

/**
 * Static helpers for hybrid timestamps in the default {@link HybridTimestampFormat#MILLIS} layout
 * (48-bit Unix-epoch milliseconds, 16-bit logical counter). Every method but {@link #toString(long)} and
 * {@link #parse(CharSequence)} is allocation-free. For the microsecond layout use
 * {@link HybridTimestampFormat#MICROS}'s methods, which have the same names.
 */
public final class HybridTimestamps
{
    private static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MILLIS;

    private HybridTimestamps()
    {
    }

    /**
     * @param timeMs  Unix-epoch milliseconds, {@code 0 .. 2^47 - 1}.
     * @param logical logical counter, {@code 0 .. 65535}.
     * @return the packed timestamp.
     */
    public static long pack(final long timeMs, final int logical)
    {
        return FORMAT.pack(timeMs, logical);
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its physical part in Unix-epoch milliseconds.
     */
    public static long timeMs(final long timestamp)
    {
        return FORMAT.physical(timestamp);
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its logical counter.
     */
    public static int logical(final long timestamp)
    {
        return (int)FORMAT.logical(timestamp);
    }

    /**
     * @param a a timestamp.
     * @param b a timestamp.
     * @return negative, zero or positive as {@code a} is before, equal to or after {@code b}.
     */
    public static int compare(final long a, final long b)
    {
        return FORMAT.compare(a, b);
    }

    /**
     * @param timestamp a packed timestamp.
     * @return e.g. {@code 2026-11-22T10:15:30.123Z/5}.
     */
    public static String toString(final long timestamp)
    {
        return FORMAT.toString(timestamp);
    }

    /**
     * @param text e.g. {@code 2026-11-22T10:15:30.123Z/5}.
     * @return the packed timestamp.
     * @throws InvalidTimestampException saying what is wrong with the text.
     */
    public static long parse(final CharSequence text)
    {
        return FORMAT.parse(text);
    }
}
