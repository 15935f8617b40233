package dev.ordo.ntp.nts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The NTS-KE record codec (RFC 8915 section 4): each record is a critical bit and a 15-bit type, a 16-bit body
 * length, then the body. Encodes the client's request and decodes a server's response, trusting nothing: every
 * length is checked against the bytes that remain before anything is read or allocated, and the decoded
 * response must be complete and consistent. Stateless and thread-safe.
 */
final class NtsKeRecords
{
    static final int END_OF_MESSAGE = 0;
    static final int NEXT_PROTOCOL = 1;
    static final int ERROR = 2;
    static final int WARNING = 3;
    static final int AEAD_ALGORITHM = 4;
    static final int NEW_COOKIE = 5;
    static final int NTPV4_SERVER = 6;
    static final int NTPV4_PORT = 7;
    static final int CRITICAL = 0x8000;
    static final int HEADER_LENGTH = 4;
    /** The only next protocol this client speaks: NTPv4. */
    static final int PROTOCOL_NTPV4 = 0;
    /** A response larger than this is refused (eight 100-byte cookies take about 850 bytes). */
    static final int MAX_RESPONSE_LENGTH = 65_536;
    /** Cookies kept from one response; RFC 8915 servers send eight. */
    static final int MAX_COOKIES = 8;
    /** Longest cookie accepted: it must fit in an NTP request with its placeholders. */
    static final int MAX_COOKIE_LENGTH = 1024;

    private NtsKeRecords()
    {
    }

    /**
     * @param aeadIds the AEAD algorithms offered, in order of preference.
     * @return the request: next protocol NTPv4, the AEAD algorithms, end of message (all critical).
     */
    static byte[] clientRequest(final int[] aeadIds)
    {
        final byte[] out = new byte[HEADER_LENGTH + 2 + HEADER_LENGTH + 2 * aeadIds.length + HEADER_LENGTH];
        int p = header(out, 0, CRITICAL | NEXT_PROTOCOL, 2);
        p = putShort(out, p, PROTOCOL_NTPV4);
        p = header(out, p, CRITICAL | AEAD_ALGORITHM, 2 * aeadIds.length);
        for (final int id : aeadIds)
        {
            p = putShort(out, p, id);
        }
        header(out, p, CRITICAL | END_OF_MESSAGE, 0);
        return out;
    }

    /**
     * Length of the complete response at the start of {@code bytes}, or -1 if no end-of-message record has
     * arrived yet. Reads only record headers; lengths that run past the data mean "not yet".
     *
     * @param bytes  the bytes received so far.
     * @param length how many.
     * @return the response length including its end-of-message record, or -1.
     */
    static int completeLength(final byte[] bytes, final int length)
    {
        int p = 0;
        while (length - p >= HEADER_LENGTH)
        {
            final int type = getShort(bytes, p) & ~CRITICAL;
            final int bodyLength = getShort(bytes, p + 2);
            if (bodyLength > length - p - HEADER_LENGTH)
            {
                return -1;
            }
            p += HEADER_LENGTH + bodyLength;
            if (type == END_OF_MESSAGE)
            {
                return p;
            }
        }
        return -1;
    }

    /**
     * Decodes a server response.
     *
     * @param bytes   the response.
     * @param offset  where it starts.
     * @param length  its length.
     * @param offered the AEAD algorithms this client offered.
     * @param server  the server's name, for messages.
     * @return the negotiated parameters.
     * @throws NtsException naming the first problem found.
     */
    static NtsKeResponse decodeResponse(final byte[] bytes, final int offset, final int length, final int[] offered,
        final String server) throws NtsException
    {
        if (offset < 0 || length < 0 || length > bytes.length - offset)
        {
            throw new IllegalArgumentException("range outside the array");
        }
        int protocol = -1;
        int aead = -1;
        String ntpServer = null;
        int ntpPort = -1;
        final List<byte[]> cookies = new ArrayList<>();
        int p = offset;
        final int end = offset + length;
        while (true)
        {
            if (end - p < HEADER_LENGTH)
            {
                throw fail(server, end == p ? "response ended without an end-of-message record"
                    : "truncated record header (" + (end - p) + " bytes)");
            }
            final int raw = getShort(bytes, p);
            final boolean critical = (raw & CRITICAL) != 0;
            final int type = raw & ~CRITICAL;
            final int bodyLength = getShort(bytes, p + 2);
            final int body = p + HEADER_LENGTH;
            if (bodyLength > end - body)
            {
                throw fail(server, "record type " + type + " claims " + bodyLength + " body bytes but only " +
                    (end - body) + " remain");
            }
            p = body + bodyLength;
            switch (type)
            {
                case END_OF_MESSAGE ->
                {
                    if (bodyLength != 0)
                    {
                        throw fail(server, "end-of-message record with a " + bodyLength + "-byte body");
                    }
                    return complete(server, protocol, aead, offered, cookies, ntpServer, ntpPort);
                }
                case NEXT_PROTOCOL ->
                {
                    if (protocol != -1)
                    {
                        throw fail(server, "more than one next-protocol record");
                    }
                    if (bodyLength == 0)
                    {
                        throw fail(server, "the server supports no protocol we offered (NTPv4)");
                    }
                    if (bodyLength != 2 || getShort(bytes, body) != PROTOCOL_NTPV4)
                    {
                        throw fail(server, "the server chose a next protocol we did not offer");
                    }
                    protocol = PROTOCOL_NTPV4;
                }
                case ERROR -> throw fail(server, "the server sent error " + errorText(bytes, body, bodyLength));
                case WARNING -> throw fail(server, "the server sent warning " +
                    (bodyLength == 2 ? String.valueOf(getShort(bytes, body)) : "(malformed)") +
                    ", which this client does not understand");
                case AEAD_ALGORITHM ->
                {
                    if (aead != -1)
                    {
                        throw fail(server, "more than one AEAD algorithm record");
                    }
                    if (bodyLength == 0)
                    {
                        throw fail(server, "no common AEAD algorithm (we offered " + aeadNames(offered) + ")");
                    }
                    if (bodyLength != 2 || !contains(offered, getShort(bytes, body)))
                    {
                        throw fail(server, "the server chose an AEAD algorithm we did not offer");
                    }
                    aead = getShort(bytes, body);
                }
                case NEW_COOKIE ->
                {
                    if (bodyLength == 0 || bodyLength > MAX_COOKIE_LENGTH)
                    {
                        throw fail(server, "cookie of " + bodyLength + " bytes (1-" + MAX_COOKIE_LENGTH +
                            " accepted)");
                    }
                    if (cookies.size() < MAX_COOKIES)
                    {
                        final byte[] cookie = new byte[bodyLength];
                        System.arraycopy(bytes, body, cookie, 0, bodyLength);
                        cookies.add(cookie);
                    }
                }
                case NTPV4_SERVER ->
                {
                    if (ntpServer != null)
                    {
                        throw fail(server, "more than one NTPv4 server record");
                    }
                    ntpServer = serverName(bytes, body, bodyLength, server);
                }
                case NTPV4_PORT ->
                {
                    if (ntpPort != -1)
                    {
                        throw fail(server, "more than one NTPv4 port record");
                    }
                    if (bodyLength != 2 || getShort(bytes, body) == 0)
                    {
                        throw fail(server, "malformed NTPv4 port record");
                    }
                    ntpPort = getShort(bytes, body);
                }
                default ->
                {
                    if (critical)
                    {
                        throw fail(server, "unrecognized critical record type " + type);
                    }
                }
            }
        }
    }

    private static NtsKeResponse complete(final String server, final int protocol, final int aead,
        final int[] offered, final List<byte[]> cookies, final String ntpServer, final int ntpPort)
        throws NtsException
    {
        if (protocol == -1)
        {
            throw fail(server, "no next-protocol record");
        }
        if (aead == -1)
        {
            throw fail(server, "no AEAD algorithm record (we offered " + aeadNames(offered) + ")");
        }
        if (cookies.isEmpty())
        {
            throw fail(server, "no cookie");
        }
        return new NtsKeResponse(aead, List.copyOf(cookies), ntpServer, ntpPort);
    }

    private static String serverName(final byte[] bytes, final int body, final int bodyLength, final String server)
        throws NtsException
    {
        if (bodyLength == 0 || bodyLength > 255)
        {
            throw fail(server, "NTPv4 server record of " + bodyLength + " bytes (1-255 accepted)");
        }
        for (int i = 0; i < bodyLength; i++)
        {
            final int c = bytes[body + i] & 0xFF;
            if (c <= 0x20 || c >= 0x7F)
            {
                throw fail(server, "NTPv4 server record is not a printable ASCII host name");
            }
        }
        return new String(bytes, body, bodyLength, StandardCharsets.US_ASCII);
    }

    private static String errorText(final byte[] bytes, final int body, final int bodyLength)
    {
        if (bodyLength != 2)
        {
            return "(malformed error record)";
        }
        final int code = getShort(bytes, body);
        return switch (code)
        {
            case 0 -> "0 (unrecognized critical record)";
            case 1 -> "1 (bad request)";
            case 2 -> "2 (internal server error)";
            default -> code + " (unknown error code)";
        };
    }

    static String aeadNames(final int[] ids)
    {
        final StringBuilder text = new StringBuilder();
        for (final int id : ids)
        {
            text.append(text.length() == 0 ? "" : ", ").append(NtsAead.name(id));
        }
        return text.toString();
    }

    private static boolean contains(final int[] values, final int value)
    {
        for (final int v : values)
        {
            if (v == value)
            {
                return true;
            }
        }
        return false;
    }

    private static NtsException fail(final String server, final String reason)
    {
        return new NtsException("NTS-KE with " + server + " failed: " + reason);
    }

    static int header(final byte[] out, final int offset, final int type, final int bodyLength)
    {
        putShort(out, offset, type);
        return putShort(out, offset + 2, bodyLength);
    }

    static int putShort(final byte[] out, final int offset, final int value)
    {
        out[offset] = (byte)(value >>> 8);
        out[offset + 1] = (byte)value;
        return offset + 2;
    }

    static int getShort(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
