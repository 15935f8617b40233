package dev.ordo.ntp.nts;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * Which certificates an NTS-KE server may present: the JDK's system trust store (the default, as for HTTPS), or
 * only the certificates or CA certificates in a given PEM or DER file (for private servers and tests). The chain
 * is validated with the JDK's PKIX trust manager; the host name is checked separately by {@link NtsKeClient}.
 * Immutable and thread-safe.
 */
public final class NtsTrust
{
    private final KeyStore store;
    private final String description;
    /** Loaded on first use (a plain-NTP probe never reads the system store); a racing double load is harmless. */
    private volatile X509TrustManager trustManager;

    private NtsTrust(final KeyStore store, final String description)
    {
        this.store = store;
        this.description = description;
    }

    /**
     * @return trust in the JDK's default trust store ({@code cacerts}, or what {@code javax.net.ssl.trustStore}
     * names), loaded when the first key exchange needs it.
     */
    public static NtsTrust system()
    {
        return new NtsTrust(null, "the system trust store");
    }

    /**
     * Trusts exactly the certificates in a file: a server's own (self-signed) certificate or a CA's.
     *
     * @param file PEM (one or more {@code BEGIN CERTIFICATE} blocks) or DER.
     * @return the trust.
     * @throws IOException with a one-line message if the file cannot be read or holds no certificate.
     */
    public static NtsTrust certificates(final Path file) throws IOException
    {
        final Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file))
        {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IOException("cannot read certificate file " + file + ": no such file");
        }
        catch (final CertificateException ex)
        {
            throw new IOException("not a PEM or DER certificate file: " + file);
        }
        if (certificates.isEmpty())
        {
            throw new IOException("no certificate in " + file);
        }
        try
        {
            final KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (final Certificate certificate : certificates)
            {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            trustManager(store); // fail now, with the file's name, rather than at the first key exchange
            return new NtsTrust(store, file.toString());
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException("cannot use the certificates in " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static X509TrustManager trustManager(final KeyStore store)
    {
        try
        {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(
                TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (final TrustManager manager : factory.getTrustManagers())
            {
                if (manager instanceof X509TrustManager x509)
                {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK offers no X509TrustManager");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot load the trust store: " + ex.getMessage(), ex);
        }
    }

    /**
     * Validates a server's chain (leaf first) for TLS server use.
     *
     * @param chain the chain the server sent.
     * @throws CertificateException if it does not lead to a trusted certificate.
     */
    void check(final X509Certificate[] chain) throws CertificateException
    {
        X509TrustManager manager = trustManager;
        if (manager == null)
        {
            manager = trustManager(store);
            trustManager = manager;
        }
        manager.checkServerTrusted(chain, "UNKNOWN"); // TLS 1.3: the key exchange is not tied to the key
    }

    /**
     * @return what is trusted, for messages: "the system trust store" or the file name.
     */
    @Override
    public String toString()
    {
        return description;
    }
}
