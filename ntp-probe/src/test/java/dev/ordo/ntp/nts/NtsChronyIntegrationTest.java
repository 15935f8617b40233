package dev.ordo.ntp.nts;

import dev.ordo.ntp.NtpProbe;
import dev.ordo.ntp.ProbeResult;
import dev.ordo.ntp.ProbeSettings;
import dev.ordo.ntp.ServerResult;
import dev.ordo.ntp.ServerSpec;
import dev.ordo.ntp.ServerStatus;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NTS client against a real chronyd NTS server on loopback under libfaketime at a known +3.5 s: the key
 * exchange agrees on AES-SIV-CMAC-256 and delivers eight cookies, and the authenticated measurement's bound
 * contains the injected offset. Skipped loudly without chrony, libfaketime or openssl; failed when CI=true.
 */
class NtsChronyIntegrationTest
{
    private static final long INJECTED_OFFSET_NS = 3_500_000_000L;

    @TempDir
    static Path dir;

    private static NtsChronyd chronyd;
    private static NtsKeClient keClient;

    @BeforeAll
    static void start() throws Exception
    {
        NtsChronyd.requireTools();
        chronyd = NtsChronyd.start(dir, "+3.5", null);
        keClient = new NtsKeClient(NtsTrust.certificates(chronyd.certificate()), 5_000);
    }

    @AfterAll
    static void stop()
    {
        if (chronyd != null)
        {
            chronyd.close();
        }
    }

    @Test
    void theKeyExchangeShouldNegotiateAesSivAndDeliverEightCookiesAndTheNtpPort() throws Exception
    {
        final NtsAssociation association = keClient.establish("localhost", InetAddress.getLoopbackAddress(),
            chronyd.kePort());
        assertThat(association.aeadId()).isEqualTo(NtsAead.AES_SIV_CMAC_256);
        assertThat(association.cookieCount()).isEqualTo(8);
        assertThat(association.ntpPort()).isEqualTo(chronyd.ntpPort());
    }

    @Test
    void theAuthenticatedMeasurementShouldBoundTheInjectedOffset() throws Exception
    {
        final ProbeSettings settings = new ProbeSettings(6, 50_000_000L, 1_000_000_000L);
        try (NtpProbe probe = NtpProbe.open(List.of(ServerSpec.nts("127.0.0.1", chronyd.kePort())), settings,
            SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, InetAddress::getByName, keClient))
        {
            for (int round = 0; round < 2; round++) // the second round runs on the cookies the first refilled
            {
                final ProbeResult result = probe.measure();
                final ServerResult server = result.servers().get(0);
                assertThat(server.status()).as("%s%nchronyd log:%n%s", server, chronyd.log())
                    .isEqualTo(ServerStatus.OK);
                assertThat(server.authenticated()).isTrue();
                assertThat(server.authFailures()).isZero();
                assertThat(server.usedSamples()).isGreaterThanOrEqualTo(5);
                assertThat(Math.abs(server.offsetNs() - INJECTED_OFFSET_NS))
                    .as("offset %d ns, bound %d ns", server.offsetNs(), server.boundNs())
                    .isLessThanOrEqualTo(server.boundNs());
                assertThat(server.boundNs()).isLessThan(5_000_000L);
            }
        }
    }
}
