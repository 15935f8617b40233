package dev.ordo.ntp.nts;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AES-SIV and AES-CMAC against the RFCs' own test vectors, then properties: open inverts seal, and any change to
 * the tag, the ciphertext, the associated data or the nonce is detected and leaks no plaintext.
 */
class AesSivCmacTest
{
    @Test
    void cmacShouldMatchRfc4493Vectors()
    {
        final AesSivCmac siv = new AesSivCmac(Hex.bytes(
            "2b7e151628aed2a6abf7158809cf4f3c" + "00000000000000000000000000000000"));
        assertThat(Hex.text(siv.cmac(new byte[0]), 0, 16)).isEqualTo("bb1d6929e95937287fa37d129b756746");
        assertThat(Hex.text(siv.cmac(Hex.bytes("6bc1bee22e409f96e93d7e117393172a")), 0, 16))
            .isEqualTo("070a16b46b4d4144f79bdd9dd04a287c");
        assertThat(Hex.text(siv.cmac(Hex.bytes("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51" +
            "30c81c46a35ce411")), 0, 16)).isEqualTo("dfa66747de9ae63030ca32611497c827");
    }

    @Test
    void sealShouldMatchRfc5297DeterministicVectorA1()
    {
        final AesSivCmac siv = new AesSivCmac(Hex.bytes(
            "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        final byte[] ad = Hex.bytes("101112131415161718191a1b1c1d1e1f2021222324252627");
        final byte[] plaintext = Hex.bytes("112233445566778899aabbccddee");
        final byte[] out = new byte[30];
        assertThat(siv.seal(ad, 0, ad.length, null, 0, 0, plaintext, 0, plaintext.length, out, 0)).isEqualTo(30);
        assertThat(Hex.text(out, 0, 30)).isEqualTo("85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c");
        final byte[] opened = new byte[14];
        assertThat(siv.open(ad, 0, ad.length, null, 0, 0, out, 0, 30, opened, 0)).isTrue();
        assertThat(opened).isEqualTo(plaintext);
    }

    @Test
    void sealShouldMatchRfc5297NonceBasedVectorA2WithTwoHeaders()
    {
        final AesSivCmac siv = new AesSivCmac(Hex.bytes(
            "7f7e7d7c7b7a79787776757473727170404142434445464748494a4b4c4d4e4f"));
        final byte[] ad1 = Hex.bytes("00112233445566778899aabbccddeeffdeaddadadeaddadaffeeddccbbaa99887766554433221100");
        final byte[] ad2 = Hex.bytes("102030405060708090a0");
        final byte[] nonce = Hex.bytes("09f911029d74e35bd84156c5635688c0");
        final byte[] plaintext = Hex.bytes(
            "7468697320697320736f6d6520706c61696e7465787420746f20656e6372797074207573696e67205349562d414553");
        final byte[] out = new byte[16 + plaintext.length];
        siv.sealComponents(new byte[][]{ad1, ad2, nonce}, plaintext, out);
        assertThat(Hex.text(out, 0, out.length)).isEqualTo("7bdb6e3b432667eb06f4d14bff2fbd0f" +
            "cb900f2fddbe404326601965c889bf17dba77ceb094fa663b7a3f748ba8af829ea64ad544a272e9c485b62a3fd5c0d");
    }

    @Test
    void openShouldInvertSealAndDetectEveryAlterationForRandomMessages()
    {
        final long seed = Seeds.seed("AES-SIV round trip and tamper detection");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 400; trial++)
        {
            final byte[] key = randomBytes(random, random.nextBoolean() ? 32 : 64);
            final AesSivCmac siv = new AesSivCmac(key);
            final byte[] ad = randomBytes(random, random.nextInt(0, 70));
            final byte[] nonce = randomBytes(random, 16);
            final byte[] plaintext = randomBytes(random, random.nextInt(0, 70));
            final byte[] sealed = new byte[16 + plaintext.length];
            siv.seal(ad, 0, ad.length, nonce, 0, 16, plaintext, 0, plaintext.length, sealed, 0);
            final byte[] opened = new byte[plaintext.length];
            assertThat(siv.open(ad, 0, ad.length, nonce, 0, 16, sealed, 0, sealed.length, opened, 0))
                .as("seed %d trial %d", seed, trial).isTrue();
            assertThat(opened).isEqualTo(plaintext);

            final byte[][] parts = ad.length == 0 ? new byte[][]{sealed, nonce} : new byte[][]{sealed, ad, nonce};
            final byte[] part = parts[random.nextInt(parts.length)];
            final int bit = random.nextInt(part.length * 8);
            part[bit / 8] ^= (byte)(1 << (bit % 8));
            Arrays.fill(opened, (byte)0x5A);
            assertThat(siv.open(ad, 0, ad.length, nonce, 0, 16, sealed, 0, sealed.length, opened, 0))
                .as("seed %d trial %d: one flipped bit must be detected", seed, trial).isFalse();
            assertThat(opened).as("no unauthenticated plaintext escapes").isEqualTo(new byte[opened.length]);
        }
    }

    @Test
    void sealAndOpenShouldAllocateNothing() throws Exception
    {
        final AesSivCmac siv = new AesSivCmac(new byte[32]);
        final byte[] ad = new byte[200];
        final byte[] nonce = new byte[16];
        final byte[] plaintext = new byte[120];
        final byte[] sealed = new byte[136];
        final byte[] opened = new byte[120];
        final long bytes = AllocationMeter.allocatedBytes(20_000, n ->
        {
            for (int i = 0; i < n; i++)
            {
                ad[0] = (byte)i;
                siv.seal(ad, 0, ad.length, nonce, 0, 16, plaintext, 0, plaintext.length, sealed, 0);
                if (!siv.open(ad, 0, ad.length, nonce, 0, 16, sealed, 0, sealed.length, opened, 0))
                {
                    throw new AssertionError("round trip failed at " + i);
                }
            }
        });
        assertThat(bytes).isZero();
    }

    static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
