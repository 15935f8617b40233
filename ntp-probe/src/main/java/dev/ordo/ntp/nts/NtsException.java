package dev.ordo.ntp.nts;

import java.io.IOException;

/**
 * An NTS key exchange (RFC 8915 section 4) failed: TLS, certificate, ALPN, or the server's records. The message
 * is one line that names the server and the reason, fit for a command-line error.
 */
public final class NtsException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message one line: what failed and why.
     */
    public NtsException(final String message)
    {
        super(message);
    }

    /**
     * @param message one line: what failed and why.
     * @param cause   the underlying failure.
     */
    public NtsException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
