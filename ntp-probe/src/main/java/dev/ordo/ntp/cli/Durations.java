package dev.ordo.ntp.cli;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Parsing and printing of durations for the command line. Stateless.
 */
final class Durations
{
    private Durations()
    {
    }

    /**
     * @param option the option being parsed (for the message).
     * @param text   a duration: a number of seconds ({@code 0.25}) or a number with a unit {@code ns},
     *               {@code us}, {@code ms}, {@code s} ({@code 250ms}).
     * @return nanoseconds.
     * @throws UsageException naming the option and value if it is not a non-negative duration.
     */
    static long parseNs(final String option, final String text) throws UsageException
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        long unitNs = 1_000_000_000L;
        String number = t;
        if (t.endsWith("ns"))
        {
            unitNs = 1;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("us") || t.endsWith("µs"))
        {
            unitNs = 1_000;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("ms"))
        {
            unitNs = 1_000_000;
            number = t.substring(0, t.length() - 2);
        }
        else if (t.endsWith("s"))
        {
            number = t.substring(0, t.length() - 1);
        }
        try
        {
            final BigDecimal value = new BigDecimal(number.trim());
            if (value.signum() < 0)
            {
                throw new UsageException(option + " must not be negative: " + text);
            }
            final BigDecimal nanos = value.multiply(BigDecimal.valueOf(unitNs));
            if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0)
            {
                throw new UsageException(option + " is too large: " + text);
            }
            return nanos.longValue();
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option + " needs a duration such as 0.5, 500ms or 2s, not \"" + text + "\"");
        }
    }

    /**
     * Like {@link #parseNs}, but a bare number is refused: for thresholds such as {@code --max-offset} a
     * forgotten unit ({@code 100} meant as milliseconds, taken as 100 s) would silently pass every check.
     *
     * @param option the option being parsed (for the message).
     * @param text   a number with a unit {@code ns}, {@code us}, {@code ms} or {@code s}.
     * @return nanoseconds.
     * @throws UsageException naming the option and value if the unit is missing or the value is bad.
     */
    static long parseNsWithUnit(final String option, final String text) throws UsageException
    {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.endsWith("s"))
        {
            throw new UsageException(option + " needs a unit (ns, us, ms or s), e.g. " + t + "ms or " + t + "s, not \"" +
                text + "\"");
        }
        return parseNs(option, text);
    }

    /**
     * @param ns a signed duration.
     * @return a short human form with a unit chosen for the magnitude, e.g. {@code 5.250 s},
     * {@code 0.412 ms}, {@code 850 ns}.
     */
    static String format(final long ns)
    {
        final long abs = Math.abs(ns);
        final String sign = ns < 0 ? "-" : "";
        if (abs < 1_000)
        {
            return sign + abs + " ns";
        }
        if (abs < 1_000_000)
        {
            return sign + String.format(Locale.ROOT, "%.3f µs", abs / 1e3);
        }
        if (abs < 1_000_000_000)
        {
            return sign + String.format(Locale.ROOT, "%.3f ms", abs / 1e6);
        }
        return sign + String.format(Locale.ROOT, "%.6f s", abs / 1e9);
    }

    /**
     * @param ns a signed duration.
     * @return {@link #format} with an explicit {@code +} for positive values.
     */
    static String formatSigned(final long ns)
    {
        return (ns > 0 ? "+" : "") + format(ns);
    }
}
