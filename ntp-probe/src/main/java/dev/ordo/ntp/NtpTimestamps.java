package dev.ordo.ntp;

/**
 * Conversions between NTP timestamps (RFC 5905: 32-bit seconds since 1900 and a 32-bit binary fraction,
 * in one {@code long}) and Unix-epoch nanoseconds. Allocation-free. Era 0 only: the conversion of NTP
 * seconds assumes times between 1968 and 2104 (the era-0 wrap in 2036 is handled by the
 * RFC 4330 convention that a set top bit means era 0 and a clear one era 1).
 */
public final class NtpTimestamps
{
    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
    public static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTimestamps()
    {
    }

    /**
     * @param epochNs Unix-epoch nanoseconds between 1968 and 2104.
     * @return the NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low 32).
     */
    public static long fromEpochNanos(final long epochNs)
    {
        final long seconds = Math.floorDiv(epochNs, NANOS_PER_SECOND);
        final long nanos = Math.floorMod(epochNs, NANOS_PER_SECOND);
        final long ntpSeconds = (seconds + NTP_TO_UNIX_SECONDS) & 0xFFFF_FFFFL;
        final long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return (ntpSeconds << 32) | fraction;
    }

    /**
     * @param ntpTimestamp an NTP timestamp.
     * @return Unix-epoch nanoseconds; the fraction is rounded to the nearest nanosecond.
     */
    public static long toEpochNanos(final long ntpTimestamp)
    {
        final long ntpSeconds = ntpTimestamp >>> 32;
        final long fraction = ntpTimestamp & 0xFFFF_FFFFL;
        // RFC 4330 section 3: top bit clear means era 1 (2036-02-07 onwards).
        final long unixSeconds = (ntpSeconds & 0x8000_0000L) != 0 ?
            ntpSeconds - NTP_TO_UNIX_SECONDS : ntpSeconds + (1L << 32) - NTP_TO_UNIX_SECONDS;
        final long nanos = (fraction * NANOS_PER_SECOND + (1L << 31)) >>> 32;
        return unixSeconds * NANOS_PER_SECOND + nanos;
    }
}
