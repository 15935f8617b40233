package dev.ordo.ntp.nts;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Vector;

/**
 * The NTS key-establishment client (RFC 8915 section 4): TLS 1.3 to the KE server with ALPN {@code ntske/1},
 * negotiates NTPv4 and an AES-SIV AEAD algorithm, receives cookies (and optionally another NTP server or port),
 * and derives the client-to-server and server-to-client keys with the TLS exporter (RFC 8446 section 7.5, label
 * {@code EXPORTER-network-time-security}, context: protocol id, AEAD id, 0 or 1).
 *
 * <p>Why Bouncy Castle's TLS API: NTS needs the TLS keying-material exporter, which Java 17's JSSE does not expose
 * (it has no public exporter API before JDK 25's {@code ExtendedSSLSession.exportKeyingMaterialData}); Bouncy
 * Castle's TLS implementation has it on every Java version. The BC crypto runs in pure Java ({@link BcTlsCrypto}),
 * so the handshake behaves the same on every JDK and needs no security-provider registration.
 *
 * <p>Checks: TLS 1.3 only; the certificate chain must validate against the {@link NtsTrust} given (the system
 * trust store by default) and name the host (subject alternative names: DNS names with the usual single-label
 * wildcard, or an IP address for an IP literal); the server must agree to ALPN {@code ntske/1}; then the response
 * records are decoded strictly ({@link NtsKeRecords}). Every failure is an {@link NtsException} with a one-line
 * message that names the server.
 *
 * <p>Immutable and thread-safe; each {@link #establish} runs its own connection (and allocates: it is not on the
 * per-request path).
 */
public final class NtsKeClient
{
    /** The IANA port of NTS-KE. */
    public static final int DEFAULT_PORT = 4460;
    static final String ALPN = "ntske/1";
    static final String EXPORTER_LABEL = "EXPORTER-network-time-security";
    private static final int[] OFFERED = {NtsAead.AES_SIV_CMAC_256, NtsAead.AES_SIV_CMAC_512};
    private static final int NTP_PORT = 123;

    private final NtsTrust trust;
    private final int timeoutMs;
    private final int[] offered;

    /**
     * @param trust     which certificates to accept.
     * @param timeoutMs the connection and read timeout of a key exchange, in milliseconds (at least 1).
     */
    public NtsKeClient(final NtsTrust trust, final int timeoutMs)
    {
        this(trust, timeoutMs, OFFERED);
    }

    NtsKeClient(final NtsTrust trust, final int timeoutMs, final int[] offered)
    {
        if (timeoutMs < 1)
        {
            throw new IllegalArgumentException("NTS-KE timeout must be positive: " + timeoutMs + " ms");
        }
        this.trust = trust;
        this.timeoutMs = timeoutMs;
        this.offered = offered.clone();
    }

    /**
     * Runs a key exchange.
     *
     * @param host    the KE server's name as the user gave it: checked against its certificate and sent as SNI.
     * @param address its resolved address.
     * @param port    its TCP port (usually {@link #DEFAULT_PORT}).
     * @return the association for NTS-protected NTP.
     * @throws NtsException with a one-line message on any failure.
     */
    public NtsAssociation establish(final String host, final InetAddress address, final int port)
        throws NtsException
    {
        final String server = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        final SecureRandom random = new SecureRandom();
        final Client client = new Client(new BcTlsCrypto(random), host, server);
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(address, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            final TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
            protocol.connect(client);
            final ProtocolName alpn = client.context().getSecurityParametersConnection().getApplicationProtocol();
            if (alpn == null || !ALPN.equals(alpn.getUtf8Decoding()))
            {
                throw new NtsException("NTS-KE with " + server + " failed: the server did not agree to ALPN " +
                    ALPN + (alpn == null ? " (no ALPN)" : " (it chose " + alpn.getUtf8Decoding() + ")") +
                    ": not an NTS-KE server?");
            }
            final OutputStream out = protocol.getOutputStream();
            out.write(NtsKeRecords.clientRequest(offered));
            out.flush();
            final byte[] response = readResponse(protocol.getInputStream(), socket, server);
            final NtsKeResponse decoded = NtsKeRecords.decodeResponse(response, 0, response.length, offered, server);
            int chosen = 0;
            while (offered[chosen] != decoded.aeadId())
            {
                chosen++;
            }
            final byte[] c2s = client.c2sKeys[chosen];
            final byte[] s2c = client.s2cKeys[chosen];
            try
            {
                protocol.close();
            }
            catch (final IOException ignore)
            {
                // the keys are ours; a failed close_notify changes nothing
            }
            final NtsAssociation association = new NtsAssociation(
                decoded.ntpServer() == null ? host : decoded.ntpServer(),
                decoded.ntpPort() < 0 ? NTP_PORT : decoded.ntpPort(),
                decoded.aeadId(), c2s, s2c, decoded.cookies(), random);
            client.eraseKeys();
            return association;
        }
        catch (final NtsException ex)
        {
            throw ex;
        }
        catch (final TlsFatalAlertReceived ex)
        {
            throw new NtsException("NTS-KE with " + server + " failed: the server aborted the TLS handshake (" +
                AlertDescription.getText(ex.getAlertDescription()) + ")" + alpnHint(ex.getAlertDescription()), ex);
        }
        catch (final TlsFatalAlert ex)
        {
            if (client.certificateProblem != null)
            {
                throw new NtsException("NTS-KE with " + server + " failed: " + client.certificateProblem, ex);
            }
            throw new NtsException("NTS-KE with " + server + " failed: TLS error (" +
                AlertDescription.getText(ex.getAlertDescription()) + ")", ex);
        }
        catch (final ConnectException ex)
        {
            throw new NtsException("NTS-KE with " + server + " failed: cannot connect (" + ex.getMessage() + ")", ex);
        }
        catch (final SocketTimeoutException ex)
        {
            throw new NtsException("NTS-KE with " + server + " failed: no answer within " + timeoutMs + " ms", ex);
        }
        catch (final IOException ex)
        {
            throw new NtsException("NTS-KE with " + server + " failed: " + ex.getClass().getSimpleName() +
                (ex.getMessage() == null ? "" : " (" + ex.getMessage() + ")"), ex);
        }
    }

    private static String alpnHint(final short alert)
    {
        if (alert == AlertDescription.no_application_protocol)
        {
            return ": it does not speak ALPN " + ALPN;
        }
        return alert == AlertDescription.protocol_version ? ": NTS needs TLS 1.3" : "";
    }

    private byte[] readResponse(final InputStream in, final Socket socket, final String server) throws IOException
    {
        // One deadline for the whole response, so a server trickling a byte per timeout cannot hold us forever.
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        byte[] bytes = new byte[2048];
        int length = 0;
        while (NtsKeRecords.completeLength(bytes, length) < 0)
        {
            final long remainingMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (remainingMs <= 0)
            {
                throw new SocketTimeoutException("response incomplete after " + timeoutMs + " ms");
            }
            socket.setSoTimeout((int)remainingMs);
            if (length == bytes.length)
            {
                if (bytes.length >= NtsKeRecords.MAX_RESPONSE_LENGTH)
                {
                    throw new NtsException("NTS-KE with " + server + " failed: response longer than " +
                        NtsKeRecords.MAX_RESPONSE_LENGTH + " bytes");
                }
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            int n;
            try
            {
                n = in.read(bytes, length, bytes.length - length);
            }
            catch (final SocketTimeoutException ex)
            {
                throw ex;
            }
            catch (final IOException ex)
            {
                n = -1; // the peer closed or broke the TLS stream: judge what arrived
            }
            if (n < 0)
            {
                // Let the decoder say what is missing (a truncated record, no end of message).
                NtsKeRecords.decodeResponse(bytes, 0, length, offered, server);
                throw new NtsException("NTS-KE with " + server + " failed: connection closed mid-response");
            }
            length += n;
        }
        return Arrays.copyOf(bytes, NtsKeRecords.completeLength(bytes, length));
    }

    static byte[] exporterContext(final int aeadId, final int direction)
    {
        return new byte[]{0, NtsKeRecords.PROTOCOL_NTPV4, (byte)(aeadId >>> 8), (byte)aeadId, (byte)direction};
    }

    /**
     * Checks that {@code certificate} names {@code host} (RFC 6125): an IP literal must be an IP address entry, a
     * DNS name must match a DNS entry exactly or through a leftmost {@code *.} wildcard standing for one label.
     */
    static boolean namesHost(final X509Certificate certificate, final String host) throws CertificateParsingException
    {
        final Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null)
        {
            return false;
        }
        final boolean literal = isIpLiteral(host);
        final String wanted = literal ? host : IDN.toASCII(host).toLowerCase(Locale.ROOT);
        for (final List<?> name : names)
        {
            final int type = (Integer)name.get(0);
            final String value = String.valueOf(name.get(1));
            if (literal && type == 7)
            {
                try
                {
                    if (InetAddress.getByName(value).equals(InetAddress.getByName(host)))
                    {
                        return true;
                    }
                }
                catch (final IOException ignore)
                {
                    // not an address: no match
                }
            }
            else if (!literal && type == 2)
            {
                final String dns = value.toLowerCase(Locale.ROOT);
                if (dns.equals(wanted))
                {
                    return true;
                }
                final int dot = wanted.indexOf('.');
                if (dns.startsWith("*.") && dot > 0 && dns.substring(2).equals(wanted.substring(dot + 1)) &&
                    dns.indexOf('.', 2) > 0)
                {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isIpLiteral(final String host)
    {
        if (host.indexOf(':') >= 0)
        {
            return true;
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** The BC client: TLS 1.3 only, ALPN ntske/1, SNI for names, our certificate checks. */
    private final class Client extends DefaultTlsClient
    {
        private final String host;
        private final String server;
        String certificateProblem;
        final byte[][] c2sKeys = new byte[offered.length][];
        final byte[][] s2cKeys = new byte[offered.length][];

        Client(final BcTlsCrypto crypto, final String host, final String server)
        {
            super(crypto);
            this.host = host;
            this.server = server;
        }

        /**
         * BC allows the exporter only here; the AEAD is not negotiated yet, so derive the keys for every offered
         * one (a few HKDF calls) and keep the chosen pair later.
         */
        @Override
        public void notifyHandshakeComplete() throws IOException
        {
            super.notifyHandshakeComplete();
            for (int i = 0; i < offered.length; i++)
            {
                final int keyLength = NtsAead.keyLength(offered[i]);
                c2sKeys[i] = context.exportKeyingMaterial(EXPORTER_LABEL, exporterContext(offered[i], 0), keyLength);
                s2cKeys[i] = context.exportKeyingMaterial(EXPORTER_LABEL, exporterContext(offered[i], 1), keyLength);
            }
        }

        void eraseKeys()
        {
            for (int i = 0; i < offered.length; i++)
            {
                if (c2sKeys[i] != null)
                {
                    Arrays.fill(c2sKeys[i], (byte)0);
                    Arrays.fill(s2cKeys[i], (byte)0);
                }
            }
        }

        org.bouncycastle.tls.TlsClientContext context()
        {
            return context;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions()
        {
            return ProtocolVersion.TLSv13.only();
        }

        @Override
        protected Vector<ProtocolName> getProtocolNames()
        {
            final Vector<ProtocolName> names = new Vector<>();
            names.add(ProtocolName.asUtf8Encoding(ALPN));
            return names;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames()
        {
            if (isIpLiteral(host))
            {
                return null;
            }
            final Vector<ServerName> names = new Vector<>();
            names.add(new ServerName(NameType.host_name,
                IDN.toASCII(host).getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public TlsAuthentication getAuthentication()
        {
            return new TlsAuthentication()
            {
                @Override
                public void notifyServerCertificate(final TlsServerCertificate serverCertificate) throws IOException
                {
                    check(serverCertificate);
                }

                @Override
                public TlsCredentials getClientCredentials(
                    final org.bouncycastle.tls.CertificateRequest certificateRequest)
                {
                    return null;
                }
            };
        }

        private void check(final TlsServerCertificate serverCertificate) throws IOException
        {
            final TlsCertificate[] list = serverCertificate.getCertificate().getCertificateList();
            if (list.length == 0)
            {
                certificateProblem = "the server sent no certificate";
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
            final X509Certificate[] chain = new X509Certificate[list.length];
            try
            {
                final CertificateFactory factory = CertificateFactory.getInstance("X.509");
                for (int i = 0; i < list.length; i++)
                {
                    chain[i] = (X509Certificate)factory.generateCertificate(
                        new ByteArrayInputStream(list[i].getEncoded()));
                }
            }
            catch (final CertificateException ex)
            {
                certificateProblem = "the server's certificate cannot be parsed (" + ex.getMessage() + ")";
                throw new TlsFatalAlert(AlertDescription.bad_certificate, ex);
            }
            try
            {
                trust.check(chain);
            }
            catch (final CertificateException ex)
            {
                certificateProblem = "the server's certificate (" +
                    chain[0].getSubjectX500Principal().getName() + ") is not trusted by " + trust +
                    " (use --trust-cert FILE for a private server)";
                throw new TlsFatalAlert(AlertDescription.bad_certificate, ex);
            }
            boolean named;
            try
            {
                named = namesHost(chain[0], host);
            }
            catch (final CertificateParsingException ex)
            {
                named = false;
            }
            if (!named)
            {
                certificateProblem = "the server's certificate does not name host " + host + " (it names " +
                    describeNames(chain[0]) + ")";
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        @Override
        public String toString()
        {
            return server;
        }
    }

    private static String describeNames(final X509Certificate certificate)
    {
        try
        {
            final Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null || names.isEmpty())
            {
                return "no subject alternative name";
            }
            final StringBuilder text = new StringBuilder();
            for (final List<?> name : names)
            {
                text.append(text.length() == 0 ? "" : ", ").append(name.get(1));
            }
            return text.toString();
        }
        catch (final CertificateParsingException ex)
        {
            return "unparsable names";
        }
    }
}
