package dev.ordo.ntp;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NtpPacketTest
{
    @Test
    void shortFormatShouldRoundUpSoBoundsNeverShrink()
    {
        final long seed = Seeds.seed("short format round trip");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++)
        {
            final long nanos = random.nextLong(0, 65_535_000_000_000L);
            final long back = NtpPacket.shortFormatToNanosCeil(NtpPacket.nanosToShortFormatCeil(nanos));
            assertThat(back).as("seed %d, nanos %d", seed, nanos).isGreaterThanOrEqualTo(nanos)
                .isLessThanOrEqualTo(nanos + 15_259 * 2);
        }
        assertThat(NtpPacket.shortFormatToNanosCeil(0x0001_8000)).isEqualTo(1_500_000_000L);
        assertThat(NtpPacket.nanosToShortFormatCeil(-5)).isZero();
        assertThat(NtpPacket.nanosToShortFormatCeil(70_000_000_000_000L)).isEqualTo(0xFFFF_FFFF);
    }

    @Test
    void precisionShouldBeThePowerOfTwoRoundedUp()
    {
        assertThat(NtpPacket.precisionToNanosCeil(0)).isEqualTo(1_000_000_000L);
        assertThat(NtpPacket.precisionToNanosCeil(-10)).isEqualTo(976_563L);
        assertThat(NtpPacket.precisionToNanosCeil(-20)).isEqualTo(954L);
        assertThat(NtpPacket.precisionToNanosCeil(-32)).isEqualTo(1L);
        assertThat(NtpPacket.precisionToNanosCeil(-128)).isEqualTo(1L);
        assertThat(NtpPacket.precisionToNanosCeil(127)).isEqualTo((1L << 30) * 1_000_000_000L);
    }

    @Test
    void kissCodesShouldRoundTripAndRejectNonsense()
    {
        assertThat(NtpPacket.kissCodeToString(NtpPacket.kissCode("RATE"))).isEqualTo("RATE");
        assertThat(NtpPacket.kissCode("DENY")).isEqualTo(0x44454E59L);
        assertThat(NtpPacket.kissCodeToString(0x0001_4142L)).isEqualTo("??AB");
        assertThatThrownBy(() -> NtpPacket.kissCode("TOOLONG")).hasMessageContaining("\"TOOLONG\"");
    }

    @Test
    void fieldsShouldBeReadFromTheirRfc5905Offsets()
    {
        final byte[] packet = new byte[48];
        packet[0] = (byte)0b11_100_100;
        packet[1] = (byte)16;
        packet[2] = (byte)10;
        packet[3] = (byte)-23;
        assertThat(NtpPacket.leapIndicator(packet, 0)).isEqualTo(3);
        assertThat(NtpPacket.version(packet, 0)).isEqualTo(4);
        assertThat(NtpPacket.mode(packet, 0)).isEqualTo(4);
        assertThat(NtpPacket.stratum(packet, 0)).isEqualTo(16);
        assertThat(NtpPacket.poll(packet, 0)).isEqualTo(10);
        assertThat(NtpPacket.precision(packet, 0)).isEqualTo(-23);
    }
}
