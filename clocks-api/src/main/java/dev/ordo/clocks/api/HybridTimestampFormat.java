package dev.ordo.clocks.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The bit layout of a hybrid logical clock timestamp packed into one primitive {@code long}:
 * physical time since the Unix epoch in the high bits, a logical counter in the low bits.
 *
 * <ul>
 *     <li>{@link #MILLIS}: 48 bits of milliseconds, 16 logical bits (the HLC paper's and Apache Ignite 3's
 *     layout). Valid physical times are {@code 0 .. 2^47 - 1} ms (until the year 6429), so every valid
 *     timestamp is a non-negative {@code long} and plain {@code <} orders them.</li>
 *     <li>{@link #MICROS}: 52 bits of microseconds, 12 logical bits (YugabyteDB's layout). Valid physical
 *     times are {@code 0 .. 2^52 - 1} µs (until the year 2112); from the year 2041 the top bit is set, so
 *     order these timestamps with {@link #compare(long, long)} (unsigned), never with {@code <}.</li>
 * </ul>
 *
 * <p>Packing and unpacking are branch-free shifts and masks: no allocation, no validation (use
 * {@link #validate(long)} on untrusted input). {@link #toString(long)} and {@link #parse(CharSequence)}
 * allocate and are not meant for hot paths.
 *
 * <p>Ordering: the packed order is the HLC order. Incrementing a packed timestamp whose logical part is
 * full carries into the physical part, which keeps the order (see the HLC guide on logical overflow).
 */
public enum HybridTimestampFormat
{
    /** 48-bit Unix-epoch milliseconds, 16-bit logical counter. The default. */
    MILLIS(16, (1L << 47) - 1, TimeUnit.MILLISECONDS, "ms", 3),

    /** 52-bit Unix-epoch microseconds, 12-bit logical counter. Compare with {@link #compare(long, long)}. */
    MICROS(12, (1L << 52) - 1, TimeUnit.MICROSECONDS, "µs", 6);

    /** yyyy-MM-ddTHH:mm:ss[.fraction]Z: no offset, no lower-case z, no leap second (:60), no spaces. */
    private static final Pattern STRICT_INSTANT =
        Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?Z");

    private final int logicalBits;
    private final long logicalMask;
    private final long maxPhysical;
    private final long maxTimestamp;
    private final TimeUnit physicalUnit;
    private final String unitSymbol;
    private final DateTimeFormatter printer;

    HybridTimestampFormat(
        final int logicalBits, final long maxPhysical, final TimeUnit physicalUnit, final String unitSymbol,
        final int fractionDigits)
    {
        this.logicalBits = logicalBits;
        this.logicalMask = (1L << logicalBits) - 1;
        this.maxPhysical = maxPhysical;
        this.maxTimestamp = (maxPhysical << logicalBits) | logicalMask;
        this.physicalUnit = physicalUnit;
        this.unitSymbol = unitSymbol;
        this.printer = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss." + "S".repeat(fractionDigits) + "'Z'")
            .withZone(ZoneOffset.UTC);
    }

    /**
     * Packs physical time and a logical counter. No validation: {@code physical} must be in
     * {@code 0..maxPhysical()} and {@code logical} in {@code 0..maxLogical()}; other bits are lost.
     *
     * @param physical physical time since the Unix epoch, in {@link #physicalUnit()}.
     * @param logical  logical counter.
     * @return the packed timestamp.
     */
    public long pack(final long physical, final long logical)
    {
        return (physical << logicalBits) | (logical & logicalMask);
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its physical part, in {@link #physicalUnit()} since the Unix epoch.
     */
    public long physical(final long timestamp)
    {
        return timestamp >>> logicalBits;
    }

    /**
     * @param timestamp a packed timestamp.
     * @return its logical part.
     */
    public long logical(final long timestamp)
    {
        return timestamp & logicalMask;
    }

    /**
     * @param physical physical time in {@link #physicalUnit()}.
     * @return the smallest timestamp with that physical time (logical part 0).
     */
    public long fromPhysical(final long physical)
    {
        return physical << logicalBits;
    }

    /**
     * Total order of valid timestamps of this format (unsigned comparison, which equals signed comparison
     * for {@link #MILLIS}).
     *
     * @param a a timestamp.
     * @param b a timestamp.
     * @return negative, zero or positive as {@code a} is before, equal to or after {@code b}.
     */
    public int compare(final long a, final long b)
    {
        return Long.compareUnsigned(a, b);
    }

    /**
     * @param timestamp a value of unknown origin.
     * @return true when {@code timestamp} is a timestamp this format can hold.
     */
    public boolean isValid(final long timestamp)
    {
        return Long.compareUnsigned(timestamp, maxTimestamp) <= 0;
    }

    /**
     * Checks a value of unknown origin.
     *
     * @param timestamp the value.
     * @return {@code timestamp}, when valid.
     * @throws InvalidTimestampException naming the value when this format cannot hold it (for
     *                                   {@link #MILLIS}: any negative value).
     */
    public long validate(final long timestamp)
    {
        if (!isValid(timestamp))
        {
            throw new InvalidTimestampException(
                "invalid " + name() + " hybrid timestamp " + timestamp + " (0x" + Long.toHexString(timestamp) +
                "): physical part " + Long.toUnsignedString(physical(timestamp)) + " " + unitSymbol +
                " exceeds the largest valid " + maxPhysical + " " + unitSymbol);
        }
        return timestamp;
    }

    /**
     * @return number of low bits holding the logical counter.
     */
    public int logicalBits()
    {
        return logicalBits;
    }

    /**
     * @return the largest logical counter, {@code 2^logicalBits - 1}.
     */
    public long maxLogical()
    {
        return logicalMask;
    }

    /**
     * @return the largest valid physical time, in {@link #physicalUnit()}.
     */
    public long maxPhysical()
    {
        return maxPhysical;
    }

    /**
     * @return the largest valid timestamp.
     */
    public long maxTimestamp()
    {
        return maxTimestamp;
    }

    /**
     * @return unit of the physical part: {@link TimeUnit#MILLISECONDS} or {@link TimeUnit#MICROSECONDS}.
     */
    public TimeUnit physicalUnit()
    {
        return physicalUnit;
    }

    /**
     * @return "ms" or "µs".
     */
    public String unitSymbol()
    {
        return unitSymbol;
    }

    /**
     * Prints a timestamp as an ISO-8601 UTC instant with a fixed number of fraction digits, a slash and the
     * logical part: {@code 2026-11-22T10:15:30.123Z/5} ({@link #MILLIS}) or
     * {@code 2026-11-22T10:15:30.123456Z/5} ({@link #MICROS}). Allocates.
     *
     * @param timestamp a packed timestamp; invalid values print as {@code invalid(<value>)}.
     * @return the text, which {@link #parse(CharSequence)} reads back to the same value.
     */
    public String toString(final long timestamp)
    {
        if (!isValid(timestamp))
        {
            return "invalid(" + timestamp + ")";
        }
        final long physical = physical(timestamp);
        final Instant instant = this == MILLIS ?
            Instant.ofEpochMilli(physical) :
            Instant.ofEpochSecond(physical / 1_000_000L, (physical % 1_000_000L) * 1_000L);
        return printer.format(instant) + "/" + logical(timestamp);
    }

    /**
     * Parses the text {@link #toString(long)} prints. The logical part ("/n") may be omitted (it is then 0);
     * the instant may have 0 to 9 fraction digits as long as it is a whole number of {@link #physicalUnit()}.
     * Refused, each with its own message: surrounding spaces, offsets other than {@code Z} (such as
     * {@code +01:00}), a lower-case {@code z}, a leap second ({@code 23:59:60}), a logical part that is not
     * a decimal number, has a leading zero ({@code /07}; {@code /0} itself is fine) or exceeds
     * {@link #maxLogical()} (however many digits it has), times before 1970 or past {@link #maxPhysical()},
     * and fractions finer than the unit. Nothing but {@link InvalidTimestampException} escapes.
     *
     * <p>Canonical text: each timestamp has exactly one, the one {@link #toString(long)} prints, and
     * {@code toString(parse(text)).equals(text)} holds exactly for it. The only other texts accepted are the
     * two ISO-8601 shortenings of the instant people type, {@code 2026-11-22T10:15:30Z} for
     * {@code 2026-11-22T10:15:30.000Z/0}: fewer fraction digits, and no {@code /0}. Code that uses the text
     * as an identity (a key, a hash) should print it with {@link #toString(long)} rather than keep the
     * text it was given.
     *
     * @param text e.g. {@code 2026-11-22T10:15:30.123Z/5}.
     * @return the packed timestamp.
     * @throws InvalidTimestampException saying exactly what is wrong with the text.
     */
    public long parse(final CharSequence text)
    {
        if (text == null)
        {
            throw new InvalidTimestampException("cannot parse a null " + name() + " hybrid timestamp");
        }
        final String s = text.toString();
        final int slash = s.lastIndexOf('/');
        final String instantText = slash < 0 ? s : s.substring(0, slash);
        long logical = 0;
        if (slash >= 0)
        {
            final String logicalText = s.substring(slash + 1);
            if (logicalText.isEmpty() || !logicalText.chars().allMatch(c -> c >= '0' && c <= '9'))
            {
                throw new InvalidTimestampException(
                    "cannot parse \"" + s + "\": logical part \"" + logicalText + "\" is not a decimal number");
            }
            if (logicalText.length() > 1 && logicalText.charAt(0) == '0')
            {
                // "/07" and "/7" would be two texts for one timestamp: only toString's form is read.
                final String digits = logicalText.replaceFirst("^0+(?=.)", "");
                throw new InvalidTimestampException(
                    "cannot parse \"" + s + "\": logical part \"" + logicalText + "\" has a leading zero" +
                    (digits.length() <= 10 ? " (write /" + digits + ")" : "") +
                    "; each timestamp has exactly one logical text, without leading zeros");
            }
            // Compared as text first: a 19-digit or longer number must not reach Long.parseLong.
            if (logicalText.length() > 10 || Long.parseLong(logicalText) > logicalMask)
            {
                throw new InvalidTimestampException(
                    "cannot parse \"" + s + "\": logical part " + logicalText + " exceeds the " + name() +
                    " maximum " + logicalMask);
            }
            logical = Long.parseLong(logicalText);
        }
        if (!STRICT_INSTANT.matcher(instantText).matches())
        {
            throw new InvalidTimestampException(
                "cannot parse \"" + s + "\": \"" + instantText + "\" is not an ISO-8601 UTC instant of the form " +
                "2026-11-22T10:15:30.123Z (four-digit year, seconds 00-59, optional fraction, upper-case Z; " +
                "no offsets such as +01:00, no spaces)");
        }
        final Instant instant;
        try
        {
            instant = Instant.parse(instantText);
        }
        catch (final DateTimeException ex)
        {
            throw new InvalidTimestampException(
                "cannot parse \"" + s + "\": \"" + instantText +
                "\" is not an ISO-8601 UTC instant like 2026-11-22T10:15:30.123Z (" + ex.getMessage() + ")");
        }
        if (instant.getEpochSecond() < 0)
        {
            throw new InvalidTimestampException("cannot parse \"" + s + "\": " + instantText + " is before 1970");
        }
        final long nanosPerUnit = physicalUnit.toNanos(1);
        if (instant.getNano() % nanosPerUnit != 0)
        {
            throw new InvalidTimestampException(
                "cannot parse \"" + s + "\": " + instantText + " is finer than the " + name() + " unit (" +
                unitSymbol + ")");
        }
        final long unitsPerSecond = physicalUnit.convert(1, TimeUnit.SECONDS);
        final long maxSeconds = maxPhysical / unitsPerSecond;
        final long physical;
        if (instant.getEpochSecond() > maxSeconds ||
            (physical = instant.getEpochSecond() * unitsPerSecond + instant.getNano() / nanosPerUnit) > maxPhysical)
        {
            throw new InvalidTimestampException(
                "cannot parse \"" + s + "\": " + instantText + " is beyond the largest " + name() + " time " +
                printer.format(Instant.ofEpochSecond(maxSeconds)));
        }
        return pack(physical, logical);
    }
}
