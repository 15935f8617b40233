package dev.ordo.ntp;

/**
 * An NTP server as a user names it: a host name or IP literal and a UDP port; or, for Network Time Security
 * (RFC 8915, {@link #nts}), the NTS-KE server's host and TCP port. Immutable.
 *
 * @param host a host name, IPv4 literal or IPv6 literal (without brackets).
 * @param port a UDP port, 1–65535 (for NTS: the key-exchange TCP port, usually 4460).
 * @param nts  true for an NTS server: the probe runs a key exchange with {@code host:port} and sends
 *             authenticated NTP requests where it says.
 */
public record ServerSpec(String host, int port, boolean nts)
{
    /** The NTP port. */
    public static final int NTP_PORT = 123;

    /** The NTS-KE port (RFC 8915). */
    public static final int NTS_KE_PORT = 4460;

    /**
     * A plain (unauthenticated) NTP server.
     *
     * @param host a host name, IPv4 literal or IPv6 literal (without brackets).
     * @param port a UDP port, 1–65535.
     * @throws IllegalArgumentException if the host is empty or the port is out of range.
     */
    public ServerSpec(final String host, final int port)
    {
        this(host, port, false);
    }

    /**
     * An NTS server (RFC 8915).
     *
     * @param host   the NTS-KE server's host name (checked against its certificate) or IP literal.
     * @param kePort its TCP port, usually {@link #NTS_KE_PORT}.
     * @return the server.
     * @throws IllegalArgumentException if the host is empty or the port is out of range.
     */
    public static ServerSpec nts(final String host, final int kePort)
    {
        return new ServerSpec(host, kePort, true);
    }

    /**
     * Parses an NTS server as {@link #parse} does, with port 4460 when none is given.
     *
     * @param text {@code HOST}, {@code HOST:KE_PORT}, {@code [IPv6]:KE_PORT}...
     * @return the NTS server.
     * @throws IllegalArgumentException naming {@code text} if it cannot be parsed.
     */
    public static ServerSpec parseNts(final String text)
    {
        final ServerSpec plain = parse(text);
        final String trimmed = text.trim();
        final boolean portGiven = trimmed.startsWith("[") ? trimmed.contains("]:")
            : trimmed.indexOf(':') >= 0 && trimmed.indexOf(':') == trimmed.lastIndexOf(':');
        return nts(plain.host(), portGiven ? plain.port() : NTS_KE_PORT);
    }

    /**
     * Validates the server address.
     *
     * @param host a host name, IPv4 literal or IPv6 literal (without brackets).
     * @param port a UDP port, 1–65535 (for NTS, the KE TCP port).
     * @param nts  whether it is an NTS server.
     * @throws IllegalArgumentException if the host is empty or the port is out of range.
     */
    public ServerSpec
    {
        if (host == null || host.isBlank())
        {
            throw new IllegalArgumentException("empty server host");
        }
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException("server port out of range 1-65535: " + port + " (" + host + ")");
        }
    }

    /**
     * Parses {@code HOST}, {@code HOST:PORT}, {@code [IPv6]}, {@code [IPv6]:PORT} or a bare IPv6 literal.
     *
     * @param text the server as written by a user.
     * @return the server; port 123 when none is given.
     * @throws IllegalArgumentException naming {@code text} if it cannot be parsed.
     */
    public static ServerSpec parse(final String text)
    {
        final String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty())
        {
            throw new IllegalArgumentException("empty server name");
        }
        if (trimmed.startsWith("["))
        {
            final int close = trimmed.indexOf(']');
            if (close < 0)
            {
                throw new IllegalArgumentException("unclosed '[' in server \"" + text + "\"");
            }
            final String host = trimmed.substring(1, close);
            final String rest = trimmed.substring(close + 1);
            if (rest.isEmpty())
            {
                return new ServerSpec(host, NTP_PORT);
            }
            if (!rest.startsWith(":"))
            {
                throw new IllegalArgumentException("expected ':PORT' after ']' in server \"" + text + "\"");
            }
            return new ServerSpec(host, parsePort(rest.substring(1), text));
        }
        final int firstColon = trimmed.indexOf(':');
        if (firstColon < 0)
        {
            return new ServerSpec(trimmed, NTP_PORT);
        }
        if (trimmed.indexOf(':', firstColon + 1) >= 0)
        {
            return new ServerSpec(trimmed, NTP_PORT); // a bare IPv6 literal
        }
        if (firstColon == 0)
        {
            throw new IllegalArgumentException("missing host in server \"" + text + "\"");
        }
        return new ServerSpec(trimmed.substring(0, firstColon), parsePort(trimmed.substring(firstColon + 1), text));
    }

    private static int parsePort(final String port, final String text)
    {
        try
        {
            final int value = Integer.parseInt(port);
            if (value < 1 || value > 65535)
            {
                throw new IllegalArgumentException("port out of range 1-65535 in server \"" + text + "\": " + port);
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad port in server \"" + text + "\": \"" + port + "\"");
        }
    }

    /**
     * @return {@code host:port}, with brackets around an IPv6 literal; {@link #parse} reads it back.
     */
    @Override
    public String toString()
    {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
