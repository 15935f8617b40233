package dev.ordo.clocks.api;

/**
 * Static helpers for hybrid timestamps in the default {@link HybridTimestampFormat#MILLIS} layout
 * (48-bit Unix-epoch milliseconds, 16-bit logical counter). Every method but {@code toString} and
 * {@code parse} is allocation-free. The text methods without a format refuse values that are probably
 * {@code MICROS} rather than print a date thousands of years away. For the microsecond layout use
 * {@link HybridTimestampFormat#MICROS}'s methods, which have the same names.
 */
public final class HybridTimestamps
{
    private static final HybridTimestampFormat FORMAT = HybridTimestampFormat.MILLIS;

    /** 2500-01-01T00:00:00Z in Unix-epoch milliseconds. */
    private static final long YEAR_2500_MS = 16_725_225_600_000L;

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
     * Prints a {@link HybridTimestampFormat#MILLIS} timestamp. Refuses values that are not plausibly
     * {@code MILLIS}: a {@link HybridTimestampFormat#MICROS} timestamp read as {@code MILLIS} lands after the
     * year 2500 (one from 2026 would print as the year 5527) or is negative, so those are refused with a
     * message that names the likely mistake. Use {@link #toString(long, HybridTimestampFormat)} to print any
     * valid timestamp of a known format. Allocates.
     *
     * @param timestamp a packed {@code MILLIS} timestamp before the year 2500.
     * @return e.g. {@code 2026-11-22T10:15:30.123Z/5}.
     * @throws InvalidTimestampException when the value is not a plausible {@code MILLIS} timestamp.
     */
    public static String toString(final long timestamp)
    {
        return FORMAT.toString(requirePlausibleMillis(timestamp));
    }

    /**
     * Prints a timestamp of the given format ({@link HybridTimestampFormat#toString(long)}). Allocates.
     *
     * @param timestamp a packed timestamp.
     * @param format    its format.
     * @return e.g. {@code 2026-11-22T10:15:30.123456Z/5} for {@code MICROS}.
     */
    public static String toString(final long timestamp, final HybridTimestampFormat format)
    {
        return format.toString(timestamp);
    }

    /**
     * Parses a {@link HybridTimestampFormat#MILLIS} timestamp before the year 2500 (see
     * {@link #toString(long)} for why later ones are refused here).
     *
     * @param text e.g. {@code 2026-11-22T10:15:30.123Z/5}.
     * @return the packed timestamp.
     * @throws InvalidTimestampException saying what is wrong with the text.
     */
    public static long parse(final CharSequence text)
    {
        return requirePlausibleMillis(FORMAT.parse(text));
    }

    /**
     * Parses a timestamp of the given format ({@link HybridTimestampFormat#parse(CharSequence)}).
     *
     * @param text   e.g. {@code 2026-11-22T10:15:30.123456Z/5}.
     * @param format its format.
     * @return the packed timestamp.
     * @throws InvalidTimestampException saying what is wrong with the text.
     */
    public static long parse(final CharSequence text, final HybridTimestampFormat format)
    {
        return format.parse(text);
    }

    private static long requirePlausibleMillis(final long timestamp)
    {
        if (timestamp < 0 || FORMAT.physical(timestamp) >= YEAR_2500_MS)
        {
            throw new InvalidTimestampException(
                "hybrid timestamp " + timestamp + " is not a MILLIS timestamp before the year 2500 (as MILLIS it would " +
                "read " + FORMAT.toString(timestamp) + "); it is probably MICROS: use HybridTimestampFormat.MICROS or " +
                "HybridTimestamps.toString/parse with the format");
        }
        return timestamp;
    }
}
