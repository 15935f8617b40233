package dev.ordo.ntp.nts;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NTS-protected NTP on the client side against {@link FakeNtsServer}: requests verify with the C2S key, replies
 * are accepted only when authentic and answering the outstanding request, cookies are used once and refilled,
 * and hostile datagrams (altered, stripped, truncated, random) are rejected by name without changing anything.
 */
class NtsAssociationTest
{
    private static final byte[] C2S = new byte[32];
    private static final byte[] S2C = new byte[32];

    static
    {
        Arrays.fill(C2S, (byte)0x11);
        Arrays.fill(S2C, (byte)0x22);
    }

    private NtsAssociation association;
    private FakeNtsServer server;
    private final ByteBuffer buffer = ByteBuffer.allocate(NtsAssociation.MAX_PACKET_LENGTH);

    @BeforeEach
    void setUp()
    {
        final List<byte[]> cookies = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            cookies.add(new byte[100]);
        }
        association = new NtsAssociation("ntp.test", 123, NtsAead.AES_SIV_CMAC_256, C2S, S2C, cookies,
            new SecureRandom());
        server = new FakeNtsServer(C2S, S2C);
    }

    private byte[] sendRequest()
    {
        buffer.clear();
        final byte[] header = new byte[48];
        header[0] = 0x23;
        header[40] = 1;
        buffer.put(0, header);
        final int length = association.sealRequest(buffer, 48);
        final byte[] request = new byte[length];
        buffer.get(0, request);
        return request;
    }

    private NtsReplyCheck deliver(final byte[] reply)
    {
        buffer.clear();
        buffer.put(0, reply);
        return association.openReply(buffer, reply.length);
    }

    @Test
    void aGenuineReplyShouldBeAcceptedOnceAndRefillTheCookieJar()
    {
        final byte[] request = sendRequest();
        assertThat(association.cookieCount()).isEqualTo(7);
        final byte[] reply = server.answer(request, request.length, 100);
        assertThat(reply).as("the request verifies with the C2S key").isNotNull();
        assertThat(server.cookiesInLastRequest).isEqualTo(1);
        assertThat(deliver(reply)).isEqualTo(NtsReplyCheck.OK);
        assertThat(association.cookieCount()).isEqualTo(8);
        assertThat(deliver(reply)).as("a second copy").isEqualTo(NtsReplyCheck.NO_REQUEST_OUTSTANDING);
    }

    @Test
    void lostRepliesShouldBeMadeUpWithPlaceholders()
    {
        sendRequest();
        sendRequest();
        final byte[] request = sendRequest();
        assertThat(association.cookieCount()).isEqualTo(5);
        assertThat(deliver(server.answer(request, request.length, 100))).isEqualTo(NtsReplyCheck.OK);
        assertThat(server.cookiesInLastRequest).isEqualTo(3);
        assertThat(association.cookieCount()).isEqualTo(8);
    }

    @Test
    void everyAlterationOfAGenuineReplyShouldBeRejectedByNameAndLeaveTheRequestOpen()
    {
        final byte[] request = sendRequest();
        final byte[] reply = server.answer(request, request.length, 100);

        final byte[] shifted = reply.clone();
        shifted[43] ^= 0x10; // transmit timestamp, authenticator untouched
        assertThat(deliver(shifted)).isEqualTo(NtsReplyCheck.AUTHENTICATION_FAILED);

        final byte[] flipped = reply.clone();
        flipped[reply.length - 1] ^= 1;
        assertThat(deliver(flipped)).isEqualTo(NtsReplyCheck.AUTHENTICATION_FAILED);

        final byte[] stripped = Arrays.copyOf(reply, 48 + 36);
        assertThat(deliver(stripped)).isEqualTo(NtsReplyCheck.MISSING_AUTHENTICATOR);

        final byte[] noUid = new byte[reply.length - 36];
        System.arraycopy(reply, 0, noUid, 0, 48);
        System.arraycopy(reply, 84, noUid, 48, reply.length - 84);
        assertThat(deliver(noUid)).isEqualTo(NtsReplyCheck.MISSING_UNIQUE_IDENTIFIER);

        final byte[] otherUid = reply.clone();
        otherUid[60] ^= 1;
        assertThat(deliver(otherUid)).isEqualTo(NtsReplyCheck.UNIQUE_IDENTIFIER_MISMATCH);

        final byte[] lying = reply.clone();
        lying[86] = (byte)0x7F; // the authenticator's length runs past the datagram
        assertThat(deliver(lying)).isEqualTo(NtsReplyCheck.MALFORMED_EXTENSION_FIELDS);

        assertThat(association.cookieCount()).as("nothing taken from rejected replies").isEqualTo(7);
        assertThat(deliver(reply)).as("the genuine reply still counts").isEqualTo(NtsReplyCheck.OK);
    }

    @Test
    void aReplyToAnEarlierRequestShouldBeRejectedAsAUniqueIdentifierMismatch()
    {
        final byte[] first = sendRequest();
        final byte[] old = server.answer(first, first.length, 100);
        sendRequest();
        assertThat(deliver(old)).isEqualTo(NtsReplyCheck.UNIQUE_IDENTIFIER_MISMATCH);
    }

    @Test
    void aNakEchoingOurIdentifierShouldAskForANewKeyExchangeButAForeignNakShouldNot()
    {
        final byte[] request = sendRequest();
        final byte[] nak = new byte[48 + 36];
        nak[0] = 0x24;
        nak[12] = 'N';
        nak[13] = 'T';
        nak[14] = 'S';
        nak[15] = 'N';
        System.arraycopy(request, 48, nak, 48, 36);
        final byte[] foreign = nak.clone();
        foreign[70] ^= 1;
        assertThat(deliver(foreign)).isEqualTo(NtsReplyCheck.UNIQUE_IDENTIFIER_MISMATCH);
        assertThat(deliver(nak)).isEqualTo(NtsReplyCheck.NAK);
    }

    @Test
    void randomAndMutatedDatagramsShouldNeverBeAcceptedNorThrow()
    {
        final long seed = Seeds.seed("NTS reply fuzz");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] request = sendRequest();
        final byte[] reply = server.answer(request, request.length, 100);
        for (int trial = 0; trial < 20_000; trial++)
        {
            final byte[] datagram;
            if (random.nextBoolean())
            {
                datagram = Arrays.copyOf(reply, random.nextInt(1, reply.length + 8));
                for (int k = random.nextInt(1, 4); k > 0; k--)
                {
                    final int at = random.nextInt(datagram.length);
                    datagram[at] = (byte)(datagram[at] ^ random.nextInt(1, 256));
                }
            }
            else
            {
                datagram = new byte[random.nextInt(0, NtsAssociation.MAX_PACKET_LENGTH)];
                random.nextBytes(datagram);
            }
            if (Arrays.equals(datagram, reply))
            {
                continue;
            }
            assertThat(deliver(datagram)).as("seed %d trial %d", seed, trial)
                .isNotIn(NtsReplyCheck.OK, NtsReplyCheck.NAK);
        }
        assertThat(association.cookieCount()).isEqualTo(7);
        assertThat(deliver(reply)).isEqualTo(NtsReplyCheck.OK);
    }

    @Test
    void sealingARequestAndOpeningItsReplyShouldAllocateNothing() throws Exception
    {
        // A reply laid out as a server makes it: header, identifier, authenticator holding one new cookie. In the
        // loop the test plays the server without allocating: it copies the request's identifier into the reply and
        // re-seals it with the S2C key (AesSivCmac allocates nothing, as its own test shows).
        final AesSivCmac serverS2c = new AesSivCmac(S2C);
        final byte[] cookieField = FakeNtsServer.field(NtsAssociation.EF_COOKIE, new byte[100]);
        final byte[] reply = new byte[48 + 36 + 8 + 16 + 16 + cookieField.length];
        reply[0] = 0x24;
        reply[1] = 2;
        NtsKeRecords.header(reply, 48, NtsAssociation.EF_UNIQUE_IDENTIFIER, 36);
        NtsKeRecords.header(reply, 84, NtsAssociation.EF_AUTHENTICATOR, reply.length - 84);
        NtsKeRecords.header(reply, 88, 16, 16 + cookieField.length);
        final ByteBuffer replyBuffer = ByteBuffer.allocate(reply.length);
        final long bytes = AllocationMeter.allocatedBytes(10_000, n ->
        {
            for (int i = 0; i < n; i++)
            {
                association.sealRequest(buffer, 48);
                buffer.get(52, reply, 52, 32);
                serverS2c.seal(reply, 0, 84, reply, 92, 16, cookieField, 0, cookieField.length, reply, 108);
                replyBuffer.put(0, reply);
                if (association.openReply(replyBuffer, reply.length) != NtsReplyCheck.OK)
                {
                    throw new AssertionError("reply rejected at " + i);
                }
            }
        });
        assertThat(bytes).isZero();
    }
}
