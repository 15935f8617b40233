package dev.ordo.clocks.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 item 8 and issue 11's text footgun. Before the fix a 19-digit logical part let
 * {@code NumberFormatException} escape, and {@code +01:00}, a lower-case {@code z}, {@code 23:59:60} and
 * surrounding spaces were accepted although the guide says parse refuses anything else; and
 * {@code HybridTimestamps.toString} printed a {@code MICROS} timestamp from 2026 as the year 5527.
 */
class HybridTimestampTextRefusalTest
{
    @Test
    void parseShouldRefuseEveryNonCanonicalFormWithItsOwnMessageAndNothingButInvalidTimestampException()
    {
        for (final HybridTimestampFormat format : HybridTimestampFormat.values())
        {
            assertRefused(format, "2026-11-22T10:15:30.123Z/9999999999999999999", "exceeds");
            assertRefused(format, "2026-11-22T10:15:30.123Z/99999999999999999999999", "exceeds");
            assertRefused(format, "2026-11-22T10:15:30.123Z/65536000", "exceeds");
            assertRefused(format, "2026-11-22T10:15:30.123+01:00/1", "no offsets");
            assertRefused(format, "2026-11-22T10:15:30.123z/1", "upper-case Z");
            assertRefused(format, "2016-12-31T23:59:60Z/1", "seconds 00-59");
            assertRefused(format, " 2026-11-22T10:15:30.123Z/1", "no spaces");
            assertRefused(format, "2026-11-22T10:15:30.123Z/1 ", "not a decimal number");
            assertRefused(format, "2026-11-22T10:15:30.123Z/-1", "not a decimal number");
            assertRefused(format, "2026-11-22T10:15:30.123Z/", "not a decimal number");
            assertRefused(format, "2026-02-30T10:15:30Z", "not an ISO-8601");
            assertRefused(format, "1969-12-31T23:59:59Z", "before 1970");
            assertRefused(format, "2026-11-22T10:15:30.1234567Z", "finer than");
            assertRefused(format, "2026-11-22T10:15:30.123Z/0007", "leading zero (write /7)");
            assertRefused(format, "2026-11-22T10:15:30.123Z/00", "leading zero (write /0)");
            assertThat(format.parse("2026-11-22T10:15:30.123Z/0")).isEqualTo(format.parse("2026-11-22T10:15:30.123Z"));
        }
    }

    @Test
    void millisHelpersShouldRefuseAMicrosTimestampInsteadOfPrintingTheYear5527()
    {
        final long micros = HybridTimestampFormat.MICROS.parse("2026-11-22T10:15:30.123456Z/5");
        assertThatThrownBy(() -> HybridTimestamps.toString(micros))
            .isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("probably MICROS");
        assertThat(HybridTimestamps.toString(micros, HybridTimestampFormat.MICROS))
            .isEqualTo("2026-11-22T10:15:30.123456Z/5");
        final long after2041 = HybridTimestampFormat.MICROS.parse("2050-01-01T00:00:00Z");
        assertThatThrownBy(() -> HybridTimestamps.toString(after2041)).isInstanceOf(InvalidTimestampException.class);
        assertThatThrownBy(() -> HybridTimestamps.parse("5527-01-01T00:00:00.000Z/0"))
            .isInstanceOf(InvalidTimestampException.class);
        final long millis = HybridTimestamps.parse("2026-11-22T10:15:30.123Z/5");
        assertThat(HybridTimestamps.toString(millis)).isEqualTo("2026-11-22T10:15:30.123Z/5");
        assertThat(HybridTimestamps.parse("2026-11-22T10:15:30.123456Z/5", HybridTimestampFormat.MICROS))
            .isEqualTo(micros);
    }

    private static void assertRefused(final HybridTimestampFormat format, final String text, final String reason)
    {
        assertThatThrownBy(() -> format.parse(text))
            .as("%s parse of \"%s\"", format, text)
            .isExactlyInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining(reason);
    }
}
