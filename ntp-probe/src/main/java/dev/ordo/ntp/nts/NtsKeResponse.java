package dev.ordo.ntp.nts;

import java.util.List;

/**
 * What an NTS-KE server agreed to (RFC 8915 section 4): the AEAD algorithm, the first cookies, and where to send
 * NTP requests. Immutable (the cookie arrays are owned by the record's creator and not modified).
 *
 * @param aeadId    the negotiated AEAD algorithm (see {@link NtsAead}).
 * @param cookies   one to eight cookies.
 * @param ntpServer the NTPv4 server the KE server named, or null for the KE server's own address.
 * @param ntpPort   the NTPv4 port the KE server named, or -1 for 123.
 */
record NtsKeResponse(int aeadId, List<byte[]> cookies, String ntpServer, int ntpPort)
{
}
