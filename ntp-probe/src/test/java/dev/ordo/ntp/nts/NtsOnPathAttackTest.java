package dev.ordo.ntp.nts;

import dev.ordo.ntp.NtpProbe;
import dev.ordo.ntp.ProbeResult;
import dev.ordo.ntp.ProbeSettings;
import dev.ordo.ntp.SampleRecord;
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
 * An on-path attacker between the probe and a real chronyd NTS server: the NTS-KE (chronyd's
 * {@code ntsntpserver 127.0.0.2}) sends the probe's NTP through a relay on 127.0.0.2 that alters replies. Every
 * altered reply is rejected, counted and named, and never used; genuine replies that still arrive are used.
 * Skipped loudly without chrony or openssl; failed when CI=true.
 */
class NtsOnPathAttackTest
{
    private static final ProbeSettings SETTINGS = new ProbeSettings(3, 20_000_000L, 300_000_000L);

    @TempDir
    static Path dir;

    private static NtsChronyd chronyd;
    private static OnPathRelay relay;
    private static NtpProbe probe;

    @BeforeAll
    static void start() throws Exception
    {
        NtsChronyd.requireTools();
        chronyd = NtsChronyd.start(dir, null, "127.0.0.2");
        relay = new OnPathRelay("127.0.0.2", chronyd.ntpPort(), chronyd.ntpPort());
        probe = NtpProbe.open(List.of(ServerSpec.nts("localhost", chronyd.kePort())), SETTINGS,
            SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE, host -> InetAddress.getByName(host),
            new NtsKeClient(NtsTrust.certificates(chronyd.certificate()), 5_000));
    }

    @AfterAll
    static void stop() throws Exception
    {
        if (probe != null)
        {
            probe.close();
        }
        if (relay != null)
        {
            relay.close();
        }
        if (chronyd != null)
        {
            chronyd.close();
        }
    }

    private static ServerResult round(final OnPathRelay.Attack attack)
    {
        relay.attack(attack);
        final ProbeResult result = probe.measure();
        final ServerResult server = result.servers().get(0);
        System.out.println(attack + ": " + server.status() + " " + server.message() + " outcomes " +
            server.samples().stream().map(SampleRecord::outcome).toList());
        return server;
    }

    private static void assertEveryReplyRejected(final ServerResult server, final String outcome,
        final String named)
    {
        assertThat(server.status()).as("%s%nchronyd log:%n%s", server, chronyd.log())
            .isEqualTo(ServerStatus.REJECTED);
        assertThat(server.ok()).isFalse();
        assertThat(server.authFailures()).isEqualTo(SETTINGS.samples());
        assertThat(server.samples()).extracting(SampleRecord::outcome).containsOnly(outcome);
        assertThat(server.message()).contains("failed the NTS checks and none was used").contains(named);
        assertThat(server.authFailure()).contains(named);
    }

    @Test
    void aShiftedTransmitTimestampWithTheAuthenticatorUntouchedShouldBeRejected()
    {
        assertThat(round(OnPathRelay.Attack.NONE).ok()).isTrue();
        assertEveryReplyRejected(round(OnPathRelay.Attack.SHIFT_TRANSMIT_TIMESTAMP), "nts-authentication-failed",
            "does not verify");
    }

    @Test
    void aFlippedAuthenticatorByteShouldBeRejected()
    {
        assertEveryReplyRejected(round(OnPathRelay.Attack.FLIP_AUTHENTICATOR_BYTE), "nts-authentication-failed",
            "does not verify");
    }

    @Test
    void aStrippedAuthenticatorShouldBeRejected()
    {
        assertEveryReplyRejected(round(OnPathRelay.Attack.STRIP_AUTHENTICATOR), "nts-missing-authenticator",
            "no NTS authenticator");
    }

    @Test
    void aReplyToADifferentUniqueIdentifierShouldBeRejected()
    {
        final ServerResult server = round(OnPathRelay.Attack.REPLY_TO_PREVIOUS_REQUEST);
        assertThat(server.status()).isEqualTo(ServerStatus.REJECTED);
        assertThat(server.authFailures()).isEqualTo(SETTINGS.samples() - 1); // the first request got no reply
        assertThat(server.message()).contains("unique identifier does not match");
    }

    @Test
    void aReplayedOldReplyShouldBeRejectedWhileTheGenuineRepliesAreUsed()
    {
        final ServerResult server = round(OnPathRelay.Attack.REPLAY_OLD_REPLY);
        assertThat(server.status()).isEqualTo(ServerStatus.OK);
        assertThat(server.authenticated()).isTrue();
        assertThat(server.authFailures()).isEqualTo(SETTINGS.samples() - 1);
        assertThat(server.authFailure()).contains("unique identifier does not match");
        assertThat(server.samples()).extracting(SampleRecord::outcome).containsOnly("ok");
    }

    @Test
    void aNakForACorruptedCookieShouldTriggerANewKeyExchangeAfterWhichRepliesAreUsedAgain()
    {
        final ServerResult naked = round(OnPathRelay.Attack.CORRUPT_REQUEST_COOKIE);
        assertThat(naked.ok()).isFalse();
        assertThat(naked.message()).contains("NTS NAK");
        assertThat(naked.samples()).extracting(SampleRecord::outcome).containsOnly("nts-nak");
        final ServerResult after = round(OnPathRelay.Attack.NONE);
        assertThat(after.status()).as("%s", after).isEqualTo(ServerStatus.OK);
        assertThat(after.authenticated()).isTrue();
    }
}
