package dev.ordo.ntp;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProbeSettingsTest
{
    @Test
    void durationFormsShouldMatchTheNanosecondForms()
    {
        final ProbeSettings settings = ProbeSettings.of(4, Duration.ofMillis(50), Duration.ofSeconds(1));
        assertThat(settings).isEqualTo(new ProbeSettings(4, 50_000_000L, 1_000_000_000L));
        assertThat(settings.interval()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProbeSettings.DEFAULTS.interval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void outOfRangeValuesShouldBeRefusedNamingThemEvenWhenTheyOverflowNanoseconds()
    {
        assertThatThrownBy(() -> ProbeSettings.of(0, Duration.ZERO, Duration.ofSeconds(1)))
            .hasMessage("samples must be 1-64: 0");
        assertThatThrownBy(() -> ProbeSettings.of(8, Duration.ofMillis(-1), Duration.ofSeconds(1)))
            .hasMessageContaining("interval must be 0 to 3600 s");
        assertThatThrownBy(() -> ProbeSettings.of(8, Duration.ZERO, Duration.ofDays(365L * 1_000)))
            .hasMessageContaining("timeout must be 1 ms to 60 s");
        assertThatThrownBy(() -> ProbeSettings.of(8, Duration.ofSeconds(Long.MIN_VALUE), Duration.ofSeconds(1)))
            .hasMessageContaining("interval must be 0 to 3600 s");
    }
}
