package dev.ordo.clocks.api;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static dev.ordo.clocks.api.HybridTimestampFormat.MICROS;
import static dev.ordo.clocks.api.HybridTimestampFormat.MILLIS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HybridTimestampFormatTest
{
    @Test
    void shouldUseThePapersLayoutByDefault()
    {
        assertThat(MILLIS.logicalBits()).isEqualTo(16);
        assertThat(MICROS.logicalBits()).isEqualTo(12);
        assertThat(HybridTimestamps.pack(1, 2)).isEqualTo((1L << 16) | 2);
        assertThat(MICROS.pack(1, 2)).isEqualTo((1L << 12) | 2);
    }

    @ParameterizedTest
    @EnumSource(HybridTimestampFormat.class)
    void packUnpackAndPrintParseShouldRoundTripForRandomTimestamps(final HybridTimestampFormat format)
    {
        final long seed = Seeds.seed("round trip " + format);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++)
        {
            final long physical = random.nextLong(format.maxPhysical() + 1);
            final long logical = random.nextLong(format.maxLogical() + 1);
            final long ts = format.pack(physical, logical);
            assertThat(format.isValid(ts)).isTrue();
            assertThat(format.physical(ts)).isEqualTo(physical);
            assertThat(format.logical(ts)).isEqualTo(logical);
            assertThat(format.parse(format.toString(ts))).as("seed %d", seed).isEqualTo(ts);
        }
    }

    /**
     * One canonical text per timestamp: {@code toString}'s, which {@code parse} reads back and which prints
     * back unchanged. The same text with leading zeros in the logical part ({@code /07}) is refused; the two
     * documented ISO shortenings of the instant (fewer fraction digits, no {@code /0}) name the same
     * timestamp and print back as the canonical text. Failed before the fix: {@code /07} was read as 7.
     */
    @ParameterizedTest
    @EnumSource(HybridTimestampFormat.class)
    void everyTimestampShouldHaveExactlyOneCanonicalTextAndLeadingZerosShouldBeRefused(
        final HybridTimestampFormat format)
    {
        final long seed = Seeds.seed("canonical text " + format);
        final SplittableRandom random = new SplittableRandom(seed);
        final long unitsPerSecond = format.physicalUnit().convert(1, java.util.concurrent.TimeUnit.SECONDS);
        for (int i = 0; i < 20_000; i++)
        {
            long physical = random.nextLong(format.maxPhysical() + 1);
            if (random.nextInt(4) == 0)
            {
                physical -= physical % (random.nextBoolean() ? unitsPerSecond : unitsPerSecond / 10);
            }
            final int shape = random.nextInt(4);
            final long logical = shape == 0 ? 0 : shape == 1 ? random.nextLong(10) : random.nextLong(format.maxLogical() + 1);
            final long ts = format.pack(physical, logical);
            final String text = format.toString(ts);
            assertThat(format.parse(text)).as("seed %d: %s", seed, text).isEqualTo(ts);
            assertThat(format.toString(format.parse(text))).as("seed %d", seed).isEqualTo(text);

            final int slash = text.lastIndexOf('/');
            final String padded = text.substring(0, slash + 1) + "0".repeat(1 + random.nextInt(3)) +
                text.substring(slash + 1);
            assertThatThrownBy(() -> format.parse(padded))
                .as("seed %d: %s", seed, padded)
                .isExactlyInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("leading zero");

            String instant = text.substring(0, slash - 1); // without the Z
            while (instant.endsWith("0") && instant.contains("."))
            {
                instant = instant.substring(0, instant.length() - 1);
            }
            if (instant.endsWith("."))
            {
                instant = instant.substring(0, instant.length() - 1);
            }
            final String shortened = instant + "Z" + (logical == 0 && random.nextBoolean() ? "" : "/" + logical);
            assertThat(format.toString(format.parse(shortened))).as("seed %d: %s", seed, shortened).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @EnumSource(HybridTimestampFormat.class)
    void packedOrderShouldBeLexicographicOrderOfPhysicalThenLogical(final HybridTimestampFormat format)
    {
        final long seed = Seeds.seed("packed order " + format);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++)
        {
            final long p1 = random.nextLong(format.maxPhysical() + 1);
            final long p2 = random.nextBoolean() ? p1 : random.nextLong(format.maxPhysical() + 1);
            final long l1 = random.nextLong(format.maxLogical() + 1);
            final long l2 = random.nextLong(format.maxLogical() + 1);
            final int expected = p1 != p2 ? Long.compare(p1, p2) : Long.compare(l1, l2);
            assertThat(Integer.signum(format.compare(format.pack(p1, l1), format.pack(p2, l2))))
                .as("seed %d", seed).isEqualTo(Integer.signum(expected));
        }
    }

    @Test
    void shouldPrintIso8601WithFixedFractionDigitsAndTheLogicalPart()
    {
        final long ms = java.time.Instant.parse("2026-11-22T10:25:30.120Z").toEpochMilli();
        assertThat(HybridTimestamps.toString(HybridTimestamps.pack(ms, 5))).isEqualTo("2026-11-22T10:25:30.120Z/5");
        assertThat(MICROS.toString(MICROS.pack(ms * 1000 + 7, 0))).isEqualTo("2026-11-22T10:25:30.120007Z/0");
        assertThat(HybridTimestamps.parse("2026-11-22T10:25:30.12Z")).isEqualTo(HybridTimestamps.pack(ms, 0));
    }

    @Test
    void microsFormatShouldOrderTimestampsPastTheYear2041()
    {
        final long y2040 = MICROS.parse("2040-01-01T00:00:00Z");
        final long y2100 = MICROS.parse("2100-01-01T00:00:00Z/1");
        assertThat(y2100).isNegative(); // top bit set: signed < would lie
        assertThat(MICROS.compare(y2040, y2100)).isNegative();
        assertThat(MICROS.toString(y2100)).isEqualTo("2100-01-01T00:00:00.000000Z/1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "yesterday", "2026-11-22T10:25:30.120Z/", "2026-11-22T10:25:30.120Z/-1", "2026-11-22T10:25:30.120Z/x",
        "2026-11-22T10:25:30.120Z/65536", "2026-11-22T10:25:30.1205Z/0", "1969-12-31T23:59:59Z/0",
        "9999-01-01T00:00:00Z/0", "2026-11-22 10:25:30Z", "2026-13-01T00:00:00Z"})
    void shouldRejectBadTextWithAClearMessage(final String text)
    {
        assertThatThrownBy(() -> HybridTimestamps.parse(text))
            .isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("cannot parse");
    }

    @Test
    void shouldRejectNegativeMillisTimestamps()
    {
        assertThat(MILLIS.isValid(-1)).isFalse();
        assertThatThrownBy(() -> MILLIS.validate(-5))
            .isInstanceOf(InvalidTimestampException.class)
            .hasMessageContaining("-5");
        assertThat(MILLIS.toString(-5)).isEqualTo("invalid(-5)");
    }

    @Test
    void packAndUnpackShouldNotAllocate() throws Exception
    {
        final long[] sink = new long[1];
        final long bytes = AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                final long ts = HybridTimestamps.pack(i, i & 0xFFFF);
                acc += HybridTimestamps.timeMs(ts) + HybridTimestamps.logical(ts) + HybridTimestamps.compare(ts, acc) +
                    MICROS.physical(ts) + MICROS.logical(ts) + (MILLIS.isValid(ts) ? 1 : 0);
            }
            sink[0] = acc;
        });
        assertThat(bytes).isZero();
    }
}
