package dev.ordo.ntp.nts;

import dev.ordo.ntp.Chronyd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KE server's certificate must name the host (RFC 6125): exact DNS names, a leftmost wildcard standing for
 * exactly one label, IP addresses only for IP literals, and no fallback to the subject's common name.
 */
class NtsHostNameTest
{
    @TempDir
    Path dir;

    @Test
    void theCertificateShouldNameTheHostExactlyOrByAOneLabelWildcard() throws Exception
    {
        Chronyd.requireTool(NtsChronyd.openssl() != null, "openssl (apt-get install openssl)");
        final X509Certificate cert = load(NtsChronyd.makeCertificate(dir, "names",
            "DNS:*.example.com,DNS:Exact.Test,IP:127.0.0.1,IP:::1"));
        assertThat(NtsKeClient.namesHost(cert, "exact.test")).isTrue();
        assertThat(NtsKeClient.namesHost(cert, "EXACT.test")).isTrue();
        assertThat(NtsKeClient.namesHost(cert, "time.example.com")).isTrue();
        assertThat(NtsKeClient.namesHost(cert, "example.com")).isFalse();
        assertThat(NtsKeClient.namesHost(cert, "a.time.example.com")).isFalse();
        assertThat(NtsKeClient.namesHost(cert, "other.test")).isFalse();
        assertThat(NtsKeClient.namesHost(cert, "127.0.0.1")).isTrue();
        assertThat(NtsKeClient.namesHost(cert, "::1")).isTrue();
        assertThat(NtsKeClient.namesHost(cert, "127.0.0.2")).isFalse();

        final X509Certificate noSan = load(NtsChronyd.makeCertificate(dir, "common", "DNS:unrelated.test"));
        assertThat(NtsKeClient.namesHost(noSan, "common")).as("the common name is not a host name").isFalse();
    }

    private static X509Certificate load(final Path file) throws Exception
    {
        try (InputStream in = Files.newInputStream(file))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
