package dev.ordo.ntp.nts;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

/**
 * The client's state for NTS-protected NTP (RFC 8915 section 5) with one server after a key exchange: the two
 * AES-SIV keys, the cookie jar, and the unique identifier of the outstanding request. It turns a plain 48-byte
 * NTP request into an NTS request ({@link #sealRequest}) and verifies a reply ({@link #openReply}) before any of
 * its timestamps may be used.
 *
 * <p>Request: header, unique identifier (32 random bytes), one cookie (used once, then forgotten), cookie
 * placeholders so the reply refills the jar to eight, and an authenticator over all of it (AES-SIV with the C2S
 * key, a fresh 16-byte nonce, empty plaintext).
 *
 * <p>Reply checks, in order: extension fields well-formed (every length checked against the bytes left, the
 * authenticator last); a unique identifier equal to the outstanding request's (else it is a replay or an answer
 * to someone else); an NTS NAK with our identifier is reported as {@link NtsReplyCheck#NAK} (unauthenticated by
 * nature, it can only make us re-key); then the authenticator must verify with the S2C key over everything before
 * it. Only then are the new cookies taken from the decrypted part, and the request is closed. A failed check
 * leaves every state unchanged (the request stays outstanding so the genuine reply can still be accepted).
 *
 * <p>Allocation: after construction {@link #sealRequest} and {@link #openReply} allocate nothing: packets are
 * copied into preallocated scratch arrays, cookies live in eight preallocated slots, and the unique identifiers
 * and nonces come from an AES-CTR generator keyed once from {@link SecureRandom}.
 *
 * <p>Not thread-safe: one association belongs to one sampling thread.
 */
public final class NtsAssociation
{
    static final int EF_UNIQUE_IDENTIFIER = 0x0104;
    static final int EF_COOKIE = 0x0204;
    static final int EF_COOKIE_PLACEHOLDER = 0x0304;
    static final int EF_AUTHENTICATOR = 0x0404;
    static final int HEADER_LENGTH = 48;
    static final int UID_LENGTH = 32;
    static final int NONCE_LENGTH = 16;
    /** Requests are kept under this size so that the reply (about as large) fits common MTUs and buffers. */
    static final int MAX_REQUEST_LENGTH = 1200;
    /** Largest datagram this association reads. */
    public static final int MAX_PACKET_LENGTH = 2048;
    private static final long KISS_NTSN = 0x4E54534EL; // "NTSN"

    private final String ntpHost;
    private final int ntpPort;
    private final int aeadId;
    private final AesSivCmac c2s;
    private final AesSivCmac s2c;
    private final Cipher generator;
    private final byte[] generatorCounter = new byte[16];
    private final byte[] generatorBlock = new byte[16];
    private final byte[][] cookies = new byte[NtsKeRecords.MAX_COOKIES][NtsKeRecords.MAX_COOKIE_LENGTH];
    private final int[] cookieLengths = new int[NtsKeRecords.MAX_COOKIES];
    private int cookieHead;
    private int cookieCount;
    private final byte[] uid = new byte[UID_LENGTH];
    private boolean outstanding;
    private final byte[] packet = new byte[MAX_PACKET_LENGTH];
    private final byte[] plaintext = new byte[MAX_PACKET_LENGTH];
    private final byte[] nonce = new byte[NONCE_LENGTH];

    NtsAssociation(final String ntpHost, final int ntpPort, final int aeadId, final byte[] c2sKey,
        final byte[] s2cKey, final List<byte[]> initialCookies, final SecureRandom random)
    {
        this.ntpHost = ntpHost;
        this.ntpPort = ntpPort;
        this.aeadId = aeadId;
        this.c2s = new AesSivCmac(c2sKey);
        this.s2c = new AesSivCmac(s2cKey);
        final byte[] generatorKey = new byte[16];
        random.nextBytes(generatorKey);
        random.nextBytes(generatorCounter);
        try
        {
            generator = Cipher.getInstance("AES/ECB/NoPadding");
            generator.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(generatorKey, "AES"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK has no AES/ECB/NoPadding: " + ex.getMessage(), ex);
        }
        for (final byte[] cookie : initialCookies)
        {
            addCookie(cookie, 0, cookie.length);
        }
    }

    /**
     * @return the NTP server's host as the key exchange named it (the KE server's host when it named none).
     */
    public String ntpHost()
    {
        return ntpHost;
    }

    /**
     * @return the NTP server's UDP port (123 when the key exchange named none).
     */
    public int ntpPort()
    {
        return ntpPort;
    }

    /**
     * @return the negotiated AEAD algorithm (see {@link NtsAead}).
     */
    public int aeadId()
    {
        return aeadId;
    }

    /**
     * @return how many unused cookies are kept (0 to 8); with none left a new key exchange is needed.
     */
    public int cookieCount()
    {
        return cookieCount;
    }

    /**
     * Appends the NTS extension fields to a 48-byte NTP request already written at index 0 of {@code packet}
     * and makes it the outstanding request (an earlier one is forgotten). Uses one cookie.
     *
     * @param buffer       holds the request header at index 0; receives the extension fields after it.
     *                     Needs room for {@link #MAX_REQUEST_LENGTH} bytes.
     * @param headerLength the header's length, 48.
     * @return the whole request's length.
     * @throws IllegalStateException if no cookie is left ({@link #cookieCount()} is 0).
     */
    public int sealRequest(final ByteBuffer buffer, final int headerLength)
    {
        if (cookieCount == 0)
        {
            throw new IllegalStateException("no NTS cookie left: a new key exchange is needed");
        }
        if (headerLength != HEADER_LENGTH)
        {
            throw new IllegalArgumentException("an NTP header has 48 bytes, not " + headerLength);
        }
        buffer.get(0, packet, 0, HEADER_LENGTH);
        int p = HEADER_LENGTH;
        random(uid, UID_LENGTH);
        p = putField(packet, p, EF_UNIQUE_IDENTIFIER, uid, 0, UID_LENGTH);
        final int slot = cookieHead;
        final int cookieLength = cookieLengths[slot];
        p = putField(packet, p, EF_COOKIE, cookies[slot], 0, cookieLength);
        cookieHead = (cookieHead + 1) % cookies.length;
        cookieCount--;
        final int fieldLength = 4 + padded(cookieLength);
        final int authenticatorLength = 4 + 4 + NONCE_LENGTH + AesSivCmac.TAG_LENGTH;
        int placeholders = cookies.length - 1 - cookieCount;
        while (placeholders > 0 && p + placeholders * fieldLength + authenticatorLength > MAX_REQUEST_LENGTH)
        {
            placeholders--;
        }
        for (int i = 0; i < placeholders; i++)
        {
            putShort(packet, p, EF_COOKIE_PLACEHOLDER);
            putShort(packet, p + 2, fieldLength);
            java.util.Arrays.fill(packet, p + 4, p + fieldLength, (byte)0);
            p += fieldLength;
        }
        random(nonce, NONCE_LENGTH);
        final int authenticator = p;
        putShort(packet, p, EF_AUTHENTICATOR);
        putShort(packet, p + 2, authenticatorLength);
        putShort(packet, p + 4, NONCE_LENGTH);
        putShort(packet, p + 6, AesSivCmac.TAG_LENGTH);
        System.arraycopy(nonce, 0, packet, p + 8, NONCE_LENGTH);
        c2s.seal(packet, 0, authenticator, nonce, 0, NONCE_LENGTH, plaintext, 0, 0, packet,
            p + 8 + NONCE_LENGTH);
        p += authenticatorLength;
        buffer.put(HEADER_LENGTH, packet, HEADER_LENGTH, p - HEADER_LENGTH);
        outstanding = true;
        return p;
    }

    /**
     * Verifies a datagram as the NTS reply to the outstanding request. On {@link NtsReplyCheck#OK} the new cookies
     * are kept and the request is closed; on {@link NtsReplyCheck#NAK} the request is closed and the caller should
     * run a new key exchange; on anything else nothing changes.
     *
     * @param buffer the datagram at index 0 (read only; its position and limit are not touched).
     * @param length its length.
     * @return the verdict.
     */
    public NtsReplyCheck openReply(final ByteBuffer buffer, final int length)
    {
        if (!outstanding)
        {
            return NtsReplyCheck.NO_REQUEST_OUTSTANDING;
        }
        if (length < HEADER_LENGTH || length > packet.length || length > buffer.limit())
        {
            return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS;
        }
        buffer.get(0, packet, 0, length);
        int uidField = -1;
        int authenticator = -1;
        int p = HEADER_LENGTH;
        while (p < length)
        {
            if (authenticator >= 0 || length - p < 4)
            {
                return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS; // bytes after the authenticator, or a stub
            }
            final int type = getShort(packet, p);
            final int fieldLength = getShort(packet, p + 2);
            if (fieldLength < 4 || (fieldLength & 3) != 0 || fieldLength > length - p)
            {
                return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS;
            }
            if (type == EF_UNIQUE_IDENTIFIER)
            {
                if (uidField >= 0)
                {
                    return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS;
                }
                uidField = p;
            }
            else if (type == EF_AUTHENTICATOR)
            {
                authenticator = p;
            }
            p += fieldLength;
        }
        if (uidField < 0)
        {
            return NtsReplyCheck.MISSING_UNIQUE_IDENTIFIER;
        }
        if (getShort(packet, uidField + 2) - 4 != UID_LENGTH ||
            !uidMatches(uidField + 4))
        {
            return NtsReplyCheck.UNIQUE_IDENTIFIER_MISMATCH;
        }
        if (authenticator < 0)
        {
            if ((packet[1] & 0xFF) == 0 && (getShort(packet, 12) << 16 | getShort(packet, 14)) == KISS_NTSN)
            {
                outstanding = false;
                return NtsReplyCheck.NAK;
            }
            return NtsReplyCheck.MISSING_AUTHENTICATOR;
        }
        final int fieldLength = getShort(packet, authenticator + 2);
        if (fieldLength < 8)
        {
            return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS;
        }
        final int nonceLength = getShort(packet, authenticator + 4);
        final int sealedLength = getShort(packet, authenticator + 6);
        final int nonceStart = authenticator + 8;
        final int sealedStart = nonceStart + padded(nonceLength);
        if (sealedLength < AesSivCmac.TAG_LENGTH || padded(nonceLength) + (long)padded(sealedLength) > fieldLength - 8)
        {
            return NtsReplyCheck.MALFORMED_EXTENSION_FIELDS;
        }
        if (!s2c.open(packet, 0, authenticator, packet, nonceStart, nonceLength, packet, sealedStart, sealedLength,
            plaintext, 0))
        {
            return NtsReplyCheck.AUTHENTICATION_FAILED;
        }
        outstanding = false;
        takeCookies(sealedLength - AesSivCmac.TAG_LENGTH);
        return NtsReplyCheck.OK;
    }

    /** Constant-time comparison of the echoed identifier with ours (no early exit, no allocation). */
    private boolean uidMatches(final int offset)
    {
        int difference = 0;
        for (int i = 0; i < UID_LENGTH; i++)
        {
            difference |= uid[i] ^ packet[offset + i];
        }
        return difference == 0;
    }

    private void takeCookies(final int length)
    {
        int p = 0;
        while (length - p >= 4)
        {
            final int type = getShort(plaintext, p);
            final int fieldLength = getShort(plaintext, p + 2);
            if (fieldLength < 4 || (fieldLength & 3) != 0 || fieldLength > length - p)
            {
                return; // authenticated but malformed: keep what was read so far
            }
            if (type == EF_COOKIE && fieldLength > 4)
            {
                addCookie(plaintext, p + 4, fieldLength - 4);
            }
            p += fieldLength;
        }
    }

    private void addCookie(final byte[] source, final int offset, final int length)
    {
        if (length <= 0 || length > NtsKeRecords.MAX_COOKIE_LENGTH)
        {
            return;
        }
        final int slot;
        if (cookieCount == cookies.length)
        {
            slot = cookieHead; // full: the oldest gives way
            cookieHead = (cookieHead + 1) % cookies.length;
        }
        else
        {
            slot = (cookieHead + cookieCount) % cookies.length;
            cookieCount++;
        }
        System.arraycopy(source, offset, cookies[slot], 0, length);
        cookieLengths[slot] = length;
    }

    private void random(final byte[] out, final int length)
    {
        for (int done = 0; done < length; done += 16)
        {
            for (int i = 15; i >= 0; i--)
            {
                if (++generatorCounter[i] != 0)
                {
                    break;
                }
            }
            try
            {
                generator.update(generatorCounter, 0, 16, generatorBlock, 0);
            }
            catch (final ShortBufferException ex)
            {
                throw new IllegalStateException(ex);
            }
            System.arraycopy(generatorBlock, 0, out, done, Math.min(16, length - done));
        }
    }

    private static int putField(final byte[] out, final int offset, final int type, final byte[] body,
        final int bodyOffset, final int bodyLength)
    {
        final int fieldLength = 4 + padded(bodyLength);
        putShort(out, offset, type);
        putShort(out, offset + 2, fieldLength);
        System.arraycopy(body, bodyOffset, out, offset + 4, bodyLength);
        java.util.Arrays.fill(out, offset + 4 + bodyLength, offset + fieldLength, (byte)0);
        return offset + fieldLength;
    }

    static int padded(final int length)
    {
        return (length + 3) & ~3;
    }

    private static void putShort(final byte[] out, final int offset, final int value)
    {
        out[offset] = (byte)(value >>> 8);
        out[offset + 1] = (byte)value;
    }

    private static int getShort(final byte[] bytes, final int offset)
    {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
