package dev.ordo.ntp.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest
{
    @Test
    void shouldParseSecondsAndUnits() throws Exception
    {
        assertThat(Durations.parseNs("-i", "0.25")).isEqualTo(250_000_000L);
        assertThat(Durations.parseNs("-i", "250ms")).isEqualTo(250_000_000L);
        assertThat(Durations.parseNs("-i", "2s")).isEqualTo(2_000_000_000L);
        assertThat(Durations.parseNs("-i", "15us")).isEqualTo(15_000L);
        assertThat(Durations.parseNs("-i", "7ns")).isEqualTo(7L);
        assertThatThrownBy(() -> Durations.parseNs("--interval", "soon"))
            .hasMessage("--interval needs a duration such as 0.5, 500ms or 2s, not \"soon\"");
        assertThatThrownBy(() -> Durations.parseNs("-t", "-1")).hasMessage("-t must not be negative: -1");
        assertThatThrownBy(() -> Durations.parseNs("-t", "1e30")).hasMessageContaining("too large");
    }

    @Test
    void shouldFormatWithAUnitForTheMagnitude()
    {
        assertThat(Durations.format(850)).isEqualTo("850 ns");
        assertThat(Durations.format(-412_000)).isEqualTo("-412.000 µs");
        assertThat(Durations.format(5_250_000)).isEqualTo("5.250 ms");
        assertThat(Durations.format(5_250_000_000L)).isEqualTo("5.250000 s");
        assertThat(Durations.formatSigned(3)).isEqualTo("+3 ns");
    }

    @Test
    void driftShouldBeTheNegatedSlopeInPpmWithAHardRange()
    {
        final DriftEstimator drift = new DriftEstimator();
        assertThat(drift.hasEstimate()).isFalse();
        // Offset (server - host) falls 2 us per second: the host gains 2 ppm.
        for (int i = 0; i < 5; i++)
        {
            drift.add(i * 1_000_000_000L, 1_000_000L - i * 2_000L, 100);
        }
        assertThat(drift.driftPpm()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(drift.minDriftPpm()).isLessThan(2.0);
        assertThat(drift.maxDriftPpm()).isGreaterThan(2.0);
    }

    @Test
    void jsonWriterShouldEscapeAndPlaceCommas()
    {
        final StringBuilder sb = new StringBuilder();
        new JsonWriter(sb).beginObject().field("a\"b", "x\ny\u0001").name("list").beginArray().value(1L).value(true)
            .nullValue().value(Double.NaN).beginObject().endObject().endArray().endObject();
        assertThat(sb).hasToString("{\"a\\\"b\":\"x\\ny\\u0001\",\"list\":[1,true,null,null,{}]}");
        assertThat(Json.parse(sb.toString())).isNotNull();
    }
}
