package dev.ordo.ntp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostNtpConfigTest
{
    @TempDir
    Path dir;

    private Path write(final String name, final String text) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void shouldReadChronyServersPoolsPortsAndSourceDirectories() throws Exception
    {
        write("sources.d/a.sources", "server 10.0.0.7 iburst\n");
        write("sources.d/ignored.txt", "server 10.0.0.8\n");
        final Path conf = write("chrony.conf", """
            # Debian default
            pool 2.debian.pool.ntp.org iburst maxsources 4
            server time.example.com iburst port 1123 minpoll 4
            ! server commented.out
            server 192.0.2.1 # trailing comment
            sourcedir sources.d
            driftfile /var/lib/chrony/chrony.drift
            server 192.0.2.1
            """);
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(
            new ServerSpec("2.debian.pool.ntp.org", 123), new ServerSpec("time.example.com", 1123),
            new ServerSpec("192.0.2.1", 123), new ServerSpec("10.0.0.7", 123));
    }

    @Test
    void shouldReadNtpdServersAndSkipReferenceClocks() throws Exception
    {
        final Path conf = write("ntp.conf", """
            driftfile /var/lib/ntp/ntp.drift
            pool 0.ubuntu.pool.ntp.org iburst
            server 127.127.1.0
            fudge 127.127.1.0 stratum 10
            peer ntp2.example.org
            server [2001:db8::1]
            restrict default kod nomodify
            """);
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(new ServerSpec("0.ubuntu.pool.ntp.org", 123),
            new ServerSpec("ntp2.example.org", 123), new ServerSpec("2001:db8::1", 123));
    }

    @Test
    void chronyIpv6ServersShouldKeepTheirPortAndMalformedOnesShouldBeSkipped() throws Exception
    {
        final Path conf = write("chrony-v6.conf", """
            server fd00::5 port 1123 iburst
            server 2001:db8::7 iburst
            server bad:port:x iburst
            server 192.0.2.9 port 1124
            """);
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(new ServerSpec("fd00::5", 1123),
            new ServerSpec("2001:db8::7", 123), new ServerSpec("192.0.2.9", 1124));
    }

    @Test
    void shouldReadTimesyncdPreferringNtpOverFallback() throws Exception
    {
        final Path conf = write("timesyncd.conf", """
            [Time]
            #NTP=
            FallbackNTP=ntp.ubuntu.com 0.fallback.example
            """);
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(
            new ServerSpec("ntp.ubuntu.com", 123), new ServerSpec("0.fallback.example", 123));
        Files.writeString(conf, "[Time]\nNTP=a.example b.example:4123\nFallbackNTP=c.example\n");
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(
            new ServerSpec("a.example", 123), new ServerSpec("b.example", 4123));
    }

    @Test
    void firstFileNamingAServerShouldWinAndNothingShouldFallBackToThePool() throws Exception
    {
        final Path empty = write("chrony.conf", "# nothing here\nmakestep 1 3\n");
        final Path missing = dir.resolve("nope.conf");
        final Path ntp = write("ntp.conf", "server 198.51.100.4\n");
        final Path timesyncd = write("timesyncd.conf", "[Time]\nNTP=203.0.113.9\n");
        final HostNtpConfig.Configured found = HostNtpConfig.serversOrFallback(List.of(empty, missing, ntp, timesyncd));
        assertThat(found.servers()).containsExactly(new ServerSpec("198.51.100.4", 123));
        assertThat(found.source()).isEqualTo(ntp);

        final HostNtpConfig.Configured fallback = HostNtpConfig.serversOrFallback(List.of(empty, missing));
        assertThat(fallback.servers()).containsExactly(new ServerSpec("pool.ntp.org", 123));
        assertThat(fallback.source()).isNull();
    }

    @Test
    void malformedLinesShouldBeSkippedNotThrown() throws Exception
    {
        final Path conf = write("chrony.conf", "server\nserver host port notanumber\nserver ok.example port 99999\n" +
            "server fine.example\n");
        assertThat(HostNtpConfig.serversIn(conf)).containsExactly(new ServerSpec("fine.example", 123));
    }

    @Test
    void defaultFilesShouldBeTheKnownDaemonLocationsInOrder()
    {
        assertThat(HostNtpConfig.DEFAULT_FILES).extracting(Path::toString).containsExactly(
            "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntp.conf", "/etc/ntpsec/ntp.conf",
            "/etc/systemd/timesyncd.conf");
    }
}
