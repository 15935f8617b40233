package dev.ordo.ntp;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Prints socket addresses for messages: {@code 127.0.0.1:123}, and IPv6 in brackets in RFC 5952's short form,
 * {@code [::1]:123} (not Java's {@code 0:0:0:0:0:0:0:1:123}, which cannot be read back). Stateless.
 */
final class AddressText
{
    private AddressText()
    {
    }

    /**
     * @param address a resolved socket address.
     * @return {@code ip:port}, with brackets around an IPv6 address; {@link ServerSpec#parse} reads it back.
     */
    static String of(final InetSocketAddress address)
    {
        if (address.getAddress() instanceof Inet6Address v6)
        {
            return "[" + compress(v6) + "]:" + address.getPort();
        }
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** RFC 5952 section 4: lower-case hex, no leading zeros, the longest run of two or more zero groups as ::. */
    private static String compress(final Inet6Address address)
    {
        final byte[] bytes = address.getAddress();
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; )
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLength)
            {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        final StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':')
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        final String scope = address.getScopeId() != 0 ? "%" + address.getScopeId() : "";
        return sb + scope;
    }
}
