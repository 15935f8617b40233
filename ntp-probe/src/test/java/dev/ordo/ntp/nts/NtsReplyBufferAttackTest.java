package dev.ordo.ntp.nts;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link NtsAssociation#openReply} is handed a datagram buffer and a length by its caller: a length past the
 * buffer's limit (a caller that trusted a length field, or flipped the buffer) is a malformed reply, never an
 * IndexOutOfBoundsException, and the request stays open.
 */
class NtsReplyBufferAttackTest
{
    @Test
    void aLengthPastTheLimitButWithinTheCapacityShouldBeRejectedByName()
    {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte)7);
        final List<byte[]> cookies = new ArrayList<>();
        cookies.add(new byte[100]);
        cookies.add(new byte[100]);
        final NtsAssociation association =
            new NtsAssociation("ntp.test", 123, NtsAead.AES_SIV_CMAC_256, key, key, cookies, new SecureRandom());
        final ByteBuffer buffer = ByteBuffer.allocate(NtsAssociation.MAX_PACKET_LENGTH);
        final byte[] header = new byte[48];
        header[0] = 0x23;
        buffer.put(0, header);
        association.sealRequest(buffer, 48);
        buffer.clear().limit(100);
        assertThat(association.openReply(buffer, 200)).isEqualTo(NtsReplyCheck.MALFORMED_EXTENSION_FIELDS);
        assertThat(association.openReply(buffer.asReadOnlyBuffer(), 200))
            .isEqualTo(NtsReplyCheck.MALFORMED_EXTENSION_FIELDS);
        assertThat(association.openReply(buffer, -1)).isEqualTo(NtsReplyCheck.MALFORMED_EXTENSION_FIELDS);
        buffer.clear();
        assertThat(association.openReply(buffer, 48)).as("the request is still open")
            .isEqualTo(NtsReplyCheck.MISSING_UNIQUE_IDENTIFIER);
    }
}
