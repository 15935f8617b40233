package dev.ordo.ntp.nts;

import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The NTS-KE record codec: a well-formed response decodes; each protocol violation is named; hostile bytes
 * (lengths that lie, truncation, huge counts, random mutations) only ever produce an {@link NtsException}.
 */
class NtsKeRecordsTest
{
    private static final int[] OFFERED = {NtsAead.AES_SIV_CMAC_256, NtsAead.AES_SIV_CMAC_512};

    static byte[] record(final int type, final byte... body)
    {
        final byte[] out = new byte[4 + body.length];
        NtsKeRecords.header(out, 0, type, body.length);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] goodResponse()
    {
        return concat(
            record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0, (byte)0),
            record(0x8000 | NtsKeRecords.AEAD_ALGORITHM, (byte)0, (byte)15),
            record(NtsKeRecords.NEW_COOKIE, new byte[100]),
            record(NtsKeRecords.NEW_COOKIE, new byte[100]),
            record(NtsKeRecords.NTPV4_SERVER, "ntp.example".getBytes()),
            record(NtsKeRecords.NTPV4_PORT, (byte)0x01, (byte)0x7B),
            record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
    }

    private static NtsKeResponse decode(final byte[] bytes) throws NtsException
    {
        return NtsKeRecords.decodeResponse(bytes, 0, bytes.length, OFFERED, "ke.test:4460");
    }

    @Test
    void aRequestShouldOfferNtpv4AndTheAeadAlgorithmsThenEnd()
    {
        assertThat(Hex.text(NtsKeRecords.clientRequest(OFFERED), 0, 18))
            .isEqualTo("80010002" + "0000" + "80040004" + "000f0011" + "80000000");
    }

    @Test
    void aWellFormedResponseShouldDecodeWithEveryRecord() throws Exception
    {
        final byte[] bytes = goodResponse();
        assertThat(NtsKeRecords.completeLength(bytes, bytes.length)).isEqualTo(bytes.length);
        final NtsKeResponse response = decode(bytes);
        assertThat(response.aeadId()).isEqualTo(15);
        assertThat(response.cookies()).hasSize(2);
        assertThat(response.ntpServer()).isEqualTo("ntp.example");
        assertThat(response.ntpPort()).isEqualTo(379);
    }

    @Test
    void anErrorRecordShouldBeNamed()
    {
        final byte[] bytes = concat(record(0x8000 | NtsKeRecords.ERROR, (byte)0, (byte)1),
            record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
        assertThatThrownBy(() -> decode(bytes)).isInstanceOf(NtsException.class)
            .hasMessage("NTS-KE with ke.test:4460 failed: the server sent error 1 (bad request)");
    }

    @Test
    void anUnknownCriticalRecordShouldFailAndAnUnknownOptionalOneBeIgnored() throws Exception
    {
        final byte[] good = goodResponse();
        final byte[] optional = concat(record(0x1234, (byte)1, (byte)2, (byte)3), good);
        assertThat(decode(optional).cookies()).hasSize(2);
        final byte[] critical = concat(record(0x8000 | 0x1234, (byte)1), good);
        assertThatThrownBy(() -> decode(critical)).isInstanceOf(NtsException.class)
            .hasMessageEndingWith("unrecognized critical record type 4660");
    }

    @Test
    void anEmptyAeadRecordShouldSayNoCommonAlgorithm()
    {
        final byte[] bytes = concat(record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0, (byte)0),
            record(0x8000 | NtsKeRecords.AEAD_ALGORITHM), record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
        assertThatThrownBy(() -> decode(bytes)).isInstanceOf(NtsException.class).hasMessageEndingWith(
            "no common AEAD algorithm (we offered AEAD_AES_SIV_CMAC_256, AEAD_AES_SIV_CMAC_512)");
    }

    @Test
    void anAlgorithmWeDidNotOfferAMissingCookieAndAnUnofferedProtocolShouldFail()
    {
        final byte[] unoffered = concat(record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0, (byte)0),
            record(0x8000 | NtsKeRecords.AEAD_ALGORITHM, (byte)0, (byte)30),
            record(NtsKeRecords.NEW_COOKIE, (byte)1), record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
        assertThatThrownBy(() -> decode(unoffered)).hasMessageEndingWith("an AEAD algorithm we did not offer");
        final byte[] noCookie = concat(record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0, (byte)0),
            record(0x8000 | NtsKeRecords.AEAD_ALGORITHM, (byte)0, (byte)15),
            record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
        assertThatThrownBy(() -> decode(noCookie)).hasMessageEndingWith("no cookie");
        final byte[] protocol = concat(record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0x80, (byte)1),
            record(0x8000 | NtsKeRecords.END_OF_MESSAGE));
        assertThatThrownBy(() -> decode(protocol)).hasMessageEndingWith("a next protocol we did not offer");
    }

    @Test
    void aBodyLengthThatLiesOrATruncatedResponseShouldBeNamed()
    {
        final byte[] lying = record(NtsKeRecords.NEW_COOKIE, new byte[8]);
        lying[2] = (byte)0xFF;
        lying[3] = (byte)0xFF;
        assertThatThrownBy(() -> decode(lying)).isInstanceOf(NtsException.class)
            .hasMessageEndingWith("record type 5 claims 65535 body bytes but only 8 remain");
        assertThat(NtsKeRecords.completeLength(lying, lying.length)).isEqualTo(-1);
        final byte[] good = goodResponse();
        for (int cut = 0; cut < good.length; cut++)
        {
            final int length = cut;
            assertThat(NtsKeRecords.completeLength(good, length)).isEqualTo(-1);
            assertThatThrownBy(() -> NtsKeRecords.decodeResponse(good, 0, length, OFFERED, "s"))
                .isInstanceOf(NtsException.class);
        }
    }

    @Test
    void hugeCookieCountsShouldKeepEightAndTooLongCookiesShouldFail() throws Exception
    {
        final byte[][] parts = new byte[1003][];
        parts[0] = record(0x8000 | NtsKeRecords.NEXT_PROTOCOL, (byte)0, (byte)0);
        parts[1] = record(0x8000 | NtsKeRecords.AEAD_ALGORITHM, (byte)0, (byte)15);
        for (int i = 2; i < 1002; i++)
        {
            parts[i] = record(NtsKeRecords.NEW_COOKIE, (byte)i);
        }
        parts[1002] = record(0x8000 | NtsKeRecords.END_OF_MESSAGE);
        assertThat(decode(concat(parts)).cookies()).hasSize(NtsKeRecords.MAX_COOKIES);
        final byte[] tooLong = concat(parts[0], parts[1], record(NtsKeRecords.NEW_COOKIE, new byte[2000]),
            parts[1002]);
        assertThatThrownBy(() -> decode(tooLong)).hasMessageEndingWith("cookie of 2000 bytes (1-1024 accepted)");
    }

    @Test
    void randomlyMutatedResponsesShouldOnlyEverFailWithAnNtsException()
    {
        final long seed = Seeds.seed("NTS-KE response fuzz");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] good = goodResponse();
        for (int trial = 0; trial < 20_000; trial++)
        {
            final byte[] bytes;
            switch (random.nextInt(4))
            {
                case 0 -> // mutate a few bytes, often a header's length bytes
                {
                    bytes = good.clone();
                    for (int k = random.nextInt(1, 4); k > 0; k--)
                    {
                        bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                    }
                }
                case 1 -> bytes = java.util.Arrays.copyOf(good, random.nextInt(good.length + 1));
                case 2 -> // random records with random lengths and counts
                {
                    final ByteArrayOutputStream out = new ByteArrayOutputStream();
                    for (int r = random.nextInt(0, 20); r > 0; r--)
                    {
                        final int type = random.nextInt(0, 10) | (random.nextBoolean() ? 0x8000 : 0);
                        final int claimed = random.nextInt(0, 70_000) & 0xFFFF;
                        final int actual = random.nextBoolean() ? claimed : random.nextInt(0, 40);
                        final byte[] record = new byte[4 + Math.min(actual, 5000)];
                        NtsKeRecords.header(record, 0, type, claimed);
                        out.writeBytes(record);
                    }
                    bytes = out.toByteArray();
                }
                default ->
                {
                    bytes = new byte[random.nextInt(0, 200)];
                    random.nextBytes(bytes);
                }
            }
            final int complete = NtsKeRecords.completeLength(bytes, bytes.length);
            assertThat(complete).as("seed %d trial %d", seed, trial).isBetween(-1, bytes.length);
            try
            {
                final NtsKeResponse response = decode(bytes);
                assertThat(response.cookies()).as("seed %d trial %d", seed, trial).isNotEmpty().hasSizeLessThanOrEqualTo(8);
                assertThat(NtsAead.keyLength(response.aeadId())).isPositive();
            }
            catch (final NtsException expected)
            {
                assertThat(expected.getMessage()).as("seed %d trial %d", seed, trial)
                    .startsWith("NTS-KE with ke.test:4460 failed: ").doesNotContain("\n");
            }
        }
    }
}
