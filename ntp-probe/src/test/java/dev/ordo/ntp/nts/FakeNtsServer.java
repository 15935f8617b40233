package dev.ordo.ntp.nts;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The server side of NTS-protected NTP in a few lines, for unit tests: verifies a request with the C2S key and
 * answers it with the S2C key, echoing the unique identifier and returning one fresh cookie per cookie and
 * placeholder. Not a real NTP server: the header's timestamps are the test's business.
 */
final class FakeNtsServer
{
    final AesSivCmac c2s;
    final AesSivCmac s2c;
    int cookiesInLastRequest;
    byte fill = 1;

    FakeNtsServer(final byte[] c2sKey, final byte[] s2cKey)
    {
        this.c2s = new AesSivCmac(c2sKey);
        this.s2c = new AesSivCmac(s2cKey);
    }

    /**
     * @return the reply, or null if the request does not verify.
     */
    byte[] answer(final byte[] request, final int length, final int cookieLength)
    {
        int p = 48;
        byte[] uid = null;
        int cookies = 0;
        while (p < length)
        {
            final int type = NtsKeRecords.getShort(request, p);
            final int fieldLength = NtsKeRecords.getShort(request, p + 2);
            if (type == NtsAssociation.EF_UNIQUE_IDENTIFIER)
            {
                uid = Arrays.copyOfRange(request, p + 4, p + fieldLength);
            }
            else if (type == NtsAssociation.EF_COOKIE || type == NtsAssociation.EF_COOKIE_PLACEHOLDER)
            {
                cookies++;
            }
            else if (type == NtsAssociation.EF_AUTHENTICATOR)
            {
                final int nonceLength = NtsKeRecords.getShort(request, p + 4);
                final int sealedLength = NtsKeRecords.getShort(request, p + 6);
                if (!c2s.open(request, 0, p, request, p + 8, nonceLength, request, p + 8 + nonceLength, sealedLength,
                    new byte[sealedLength], 0))
                {
                    return null;
                }
            }
            p += fieldLength;
        }
        cookiesInLastRequest = cookies;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] header = new byte[48];
        header[0] = (byte)((4 << 3) | 4);
        header[1] = 2;
        System.arraycopy(request, 40, header, 24, 8);
        out.writeBytes(header);
        out.writeBytes(field(NtsAssociation.EF_UNIQUE_IDENTIFIER, uid));
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        for (int i = 0; i < cookies; i++)
        {
            final byte[] cookie = new byte[cookieLength];
            Arrays.fill(cookie, fill++);
            plain.writeBytes(field(NtsAssociation.EF_COOKIE, cookie));
        }
        final byte[] ad = out.toByteArray();
        final byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte)7);
        final byte[] pt = plain.toByteArray();
        final byte[] sealed = new byte[16 + pt.length];
        s2c.seal(ad, 0, ad.length, nonce, 0, 16, pt, 0, pt.length, sealed, 0);
        final byte[] body = new byte[4 + 16 + sealed.length];
        NtsKeRecords.putShort(body, 0, 16);
        NtsKeRecords.putShort(body, 2, sealed.length);
        System.arraycopy(nonce, 0, body, 4, 16);
        System.arraycopy(sealed, 0, body, 20, sealed.length);
        out.writeBytes(field(NtsAssociation.EF_AUTHENTICATOR, body));
        return out.toByteArray();
    }

    static byte[] field(final int type, final byte[] body)
    {
        final byte[] out = new byte[4 + NtsAssociation.padded(body.length)];
        NtsKeRecords.header(out, 0, type, out.length);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }
}
