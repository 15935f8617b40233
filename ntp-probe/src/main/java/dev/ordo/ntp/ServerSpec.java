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
     * @throws IllegalArgumentException naming {@code text} if it cannot be parsed, including a name with several
     *                                  colons that is no IPv6 address ({@code "bad:port:x"}): refused here, not
     *                                  reported later as an unknown host.
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
            if (!isIpv6Literal(host))
            {
                throw new IllegalArgumentException("not an IPv6 address between [ and ] in server \"" + text + "\"");
            }
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
            if (!isIpv6Literal(trimmed))
            {
                throw new IllegalArgumentException("not a host, host:port or IPv6 address: \"" + text +
                    "\" (write an IPv6 address as [ADDRESS] or [ADDRESS]:PORT)");
            }
            return new ServerSpec(trimmed, NTP_PORT); // a bare IPv6 literal
        }
        if (firstColon == 0)
        {
            throw new IllegalArgumentException("missing host in server \"" + text + "\"");
        }
        return new ServerSpec(trimmed.substring(0, firstColon), parsePort(trimmed.substring(firstColon + 1), text));
    }

    /**
     * Checks the syntax of an IPv6 address (RFC 4291 section 2.2: eight groups of 1-4 hex digits, one
     * {@code ::} for a run of zero groups, an optional dotted IPv4 tail) with an optional {@code %zone}.
     * Pure syntax: never resolves anything.
     *
     * @param text the address without brackets.
     * @return true when it is one.
     */
    static boolean isIpv6Literal(final String text)
    {
        String address = text;
        final int percent = text.indexOf('%');
        if (percent >= 0)
        {
            if (!text.substring(percent + 1).matches("[0-9A-Za-z._-]+"))
            {
                return false;
            }
            address = text.substring(0, percent);
        }
        final int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0)
        {
            return false;
        }
        if (doubleColon < 0)
        {
            return groups(address, true) == 8;
        }
        final String left = address.substring(0, doubleColon);
        final String right = address.substring(doubleColon + 2);
        final int leftGroups = left.isEmpty() ? 0 : groups(left, right.isEmpty());
        final int rightGroups = right.isEmpty() ? 0 : groups(right, true);
        return leftGroups >= 0 && rightGroups >= 0 && leftGroups + rightGroups <= 7;
    }

    /** Counts the 16-bit groups of a colon-separated run (a dotted IPv4 tail counts 2), or -1 if malformed. */
    private static int groups(final String run, final boolean ipv4TailAllowed)
    {
        final String[] parts = run.split(":", -1);
        int groups = 0;
        for (int i = 0; i < parts.length; i++)
        {
            final String part = parts[i];
            if (part.matches("[0-9A-Fa-f]{1,4}"))
            {
                groups++;
            }
            else if (ipv4TailAllowed && i == parts.length - 1 &&
                part.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}"))
            {
                groups += 2;
            }
            else
            {
                return -1;
            }
        }
        return groups;
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
