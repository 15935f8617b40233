package dev.ordo.ntp.nts;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * AES-SIV (RFC 5297): deterministic, nonce-misuse-resistant authenticated encryption built from AES-CMAC
 * (RFC 4493, the S2V pseudo-random function) and AES-CTR, on nothing but the JDK's raw AES block cipher
 * ({@code AES/ECB/NoPadding}). It serves the RFC 5297 AEAD algorithms {@code AEAD_AES_SIV_CMAC_256} (a 32-byte
 * key: AES-128) and {@code AEAD_AES_SIV_CMAC_512} (64 bytes: AES-256) that NTS (RFC 8915) uses.
 *
 * <p>Output layout: the 16-byte synthetic IV (which is also the authentication tag) followed by the
 * ciphertext, as in RFC 5297 section 2.6 and RFC 8915's authenticator field.
 *
 * <p>Allocation: after construction, {@link #seal} and {@link #open} allocate nothing; every block goes through
 * the preallocated scratch arrays, and CTR mode is run over single-block ECB calls so no IV object is created per
 * message. Tag comparison is constant-time ({@link MessageDigest#isEqual}).
 *
 * <p>Not thread-safe (scratch state): one instance belongs to one thread.
 */
public final class AesSivCmac
{
    /** Length of the synthetic IV (the tag), in bytes. */
    public static final int TAG_LENGTH = 16;
    private static final int BLOCK = 16;

    private final Cipher macCipher;
    private final Cipher ctrCipher;
    private final byte[] subkey1 = new byte[BLOCK];
    private final byte[] subkey2 = new byte[BLOCK];
    private final byte[] d = new byte[BLOCK];
    private final byte[] mac = new byte[BLOCK];
    private final byte[] x = new byte[BLOCK];
    private final byte[] y = new byte[BLOCK];
    private final byte[] counter = new byte[BLOCK];
    private final byte[] keystream = new byte[BLOCK];
    private final byte[] tag = new byte[BLOCK];
    private final byte[] received = new byte[BLOCK];

    /**
     * @param key 32 bytes (AEAD_AES_SIV_CMAC_256) or 64 bytes (AEAD_AES_SIV_CMAC_512): the first half keys
     *            CMAC, the second half CTR. Copied.
     * @throws IllegalArgumentException if the key length is not 32 or 64 (or 48: AES-192).
     */
    public AesSivCmac(final byte[] key)
    {
        if (key.length != 32 && key.length != 48 && key.length != 64)
        {
            throw new IllegalArgumentException("an AES-SIV key has 32, 48 or 64 bytes, not " + key.length);
        }
        final int half = key.length / 2;
        try
        {
            macCipher = Cipher.getInstance("AES/ECB/NoPadding");
            macCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, 0, half, "AES"));
            ctrCipher = Cipher.getInstance("AES/ECB/NoPadding");
            ctrCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, half, half, "AES"));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK has no AES/ECB/NoPadding: " + ex.getMessage(), ex);
        }
        // RFC 4493 subkeys: L = AES(K, 0); K1 = dbl(L); K2 = dbl(K1).
        Arrays.fill(x, (byte)0);
        encrypt(macCipher, x, subkey1);
        dbl(subkey1);
        System.arraycopy(subkey1, 0, subkey2, 0, BLOCK);
        dbl(subkey2);
    }

    /**
     * Starts an S2V computation (RFC 5297 section 2.4): {@code D = CMAC(K, <zero>)}. Follow it with
     * {@link #s2vComponent} for each associated-data string and the nonce, then {@link #s2vFinal} with the
     * plaintext. Package-private: the RFC's multi-header test vectors drive it directly.
     */
    void s2vStart()
    {
        Arrays.fill(y, (byte)0);
        cmac(y, 0, BLOCK, null, d);
    }

    /**
     * {@code D = dbl(D) xor CMAC(K, component)}.
     */
    void s2vComponent(final byte[] data, final int offset, final int length)
    {
        dbl(d);
        cmac(data, offset, length, null, mac);
        xorInto(d, mac);
    }

    /**
     * The last S2V step over the plaintext; leaves the synthetic IV in {@code tag}.
     */
    void s2vFinal(final byte[] data, final int offset, final int length)
    {
        if (length >= BLOCK)
        {
            cmac(data, offset, length, d, tag); // CMAC(K, Sn xorend D)
        }
        else
        {
            dbl(d);
            for (int i = 0; i < BLOCK; i++)
            {
                final int b = i < length ? data[offset + i] : (i == length ? 0x80 : 0);
                y[i] = (byte)(d[i] ^ b);
            }
            cmac(y, 0, BLOCK, null, tag);
        }
    }

    /**
     * Encrypts and authenticates with one associated-data string and a nonce, as the RFC 5297 AEAD interface
     * does (S2V over {@code ad}, {@code nonce}, {@code plaintext}).
     *
     * @param ad          associated data (authenticated, not encrypted).
     * @param adOffset    where it starts.
     * @param adLength    its length.
     * @param nonce       the nonce, or null for deterministic mode (no nonce component).
     * @param nonceOffset where it starts.
     * @param nonceLength its length.
     * @param plaintext   the plaintext (may be empty).
     * @param ptOffset    where it starts.
     * @param ptLength    its length.
     * @param out         receives the 16-byte tag then the ciphertext: {@code 16 + ptLength} bytes; it may be
     *                    the plaintext's array only when the regions do not overlap.
     * @param outOffset   where to write.
     * @return the bytes written, {@code 16 + ptLength}.
     */
    public int seal(
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] nonce, final int nonceOffset, final int nonceLength,
        final byte[] plaintext, final int ptOffset, final int ptLength,
        final byte[] out, final int outOffset)
    {
        s2vStart();
        s2vComponent(ad, adOffset, adLength);
        if (nonce != null)
        {
            s2vComponent(nonce, nonceOffset, nonceLength);
        }
        s2vFinal(plaintext, ptOffset, ptLength);
        System.arraycopy(tag, 0, out, outOffset, BLOCK);
        ctr(tag, plaintext, ptOffset, ptLength, out, outOffset + BLOCK);
        return BLOCK + ptLength;
    }

    /**
     * Decrypts and verifies. On failure the plaintext region is zeroed, so nothing unauthenticated escapes.
     *
     * @param ad          associated data.
     * @param adOffset    where it starts.
     * @param adLength    its length.
     * @param nonce       the nonce, or null for deterministic mode.
     * @param nonceOffset where it starts.
     * @param nonceLength its length.
     * @param sealed      the tag followed by the ciphertext.
     * @param sealedOffset where it starts.
     * @param sealedLength its length, at least 16.
     * @param out         receives {@code sealedLength - 16} plaintext bytes; must not overlap {@code sealed}.
     * @param outOffset   where to write.
     * @return true when the tag verified.
     */
    public boolean open(
        final byte[] ad, final int adOffset, final int adLength,
        final byte[] nonce, final int nonceOffset, final int nonceLength,
        final byte[] sealed, final int sealedOffset, final int sealedLength,
        final byte[] out, final int outOffset)
    {
        if (sealedLength < BLOCK)
        {
            return false;
        }
        final int ptLength = sealedLength - BLOCK;
        System.arraycopy(sealed, sealedOffset, received, 0, BLOCK);
        ctr(received, sealed, sealedOffset + BLOCK, ptLength, out, outOffset);
        s2vStart();
        s2vComponent(ad, adOffset, adLength);
        if (nonce != null)
        {
            s2vComponent(nonce, nonceOffset, nonceLength);
        }
        s2vFinal(out, outOffset, ptLength);
        if (!MessageDigest.isEqual(tag, received))
        {
            Arrays.fill(out, outOffset, outOffset + ptLength, (byte)0);
            return false;
        }
        return true;
    }

    /**
     * RFC 5297's general form (any number of associated-data strings, then the plaintext), for the test vectors.
     * Allocates nothing beyond what the caller passes.
     */
    int sealComponents(final byte[][] components, final byte[] plaintext, final byte[] out)
    {
        s2vStart();
        for (final byte[] component : components)
        {
            s2vComponent(component, 0, component.length);
        }
        s2vFinal(plaintext, 0, plaintext.length);
        System.arraycopy(tag, 0, out, 0, BLOCK);
        ctr(tag, plaintext, 0, plaintext.length, out, BLOCK);
        return BLOCK + plaintext.length;
    }

    /**
     * AES-CMAC (RFC 4493) of a whole array, for the RFC 4493 test vectors.
     */
    byte[] cmac(final byte[] message)
    {
        final byte[] out = new byte[BLOCK];
        cmac(message, 0, message.length, null, out);
        return out;
    }

    private void ctr(final byte[] iv, final byte[] in, final int inOffset, final int length, final byte[] out,
        final int outOffset)
    {
        System.arraycopy(iv, 0, counter, 0, BLOCK);
        counter[8] &= 0x7F; // Q = V bitand (1^64 || 0^1 || 1^31 || 0^1 || 1^31)
        counter[12] &= 0x7F;
        for (int done = 0; done < length; done += BLOCK)
        {
            encrypt(ctrCipher, counter, keystream);
            final int n = Math.min(BLOCK, length - done);
            for (int i = 0; i < n; i++)
            {
                out[outOffset + done + i] = (byte)(in[inOffset + done + i] ^ keystream[i]);
            }
            for (int i = BLOCK - 1; i >= 0; i--) // 128-bit big-endian increment, modulo 2^128
            {
                if (++counter[i] != 0)
                {
                    break;
                }
            }
        }
    }

    /**
     * AES-CMAC (RFC 4493) of {@code data[offset, offset + length)}, optionally with the last 16 bytes xored with
     * {@code xorEnd} on the fly (S2V's {@code xorend}, which needs {@code length >= 16}); result in {@code out}.
     */
    private void cmac(final byte[] data, final int offset, final int length, final byte[] xorEnd, final byte[] out)
    {
        Arrays.fill(x, (byte)0);
        final int blocks = length == 0 ? 1 : (length + BLOCK - 1) / BLOCK;
        final boolean complete = length > 0 && length % BLOCK == 0;
        final int xorFrom = length - BLOCK;
        for (int b = 0; b < blocks; b++)
        {
            final int base = b * BLOCK;
            final boolean last = b == blocks - 1;
            for (int i = 0; i < BLOCK; i++)
            {
                final int p = base + i;
                int v;
                if (p < length)
                {
                    v = data[offset + p];
                    if (xorEnd != null && p >= xorFrom)
                    {
                        v ^= xorEnd[p - xorFrom];
                    }
                }
                else
                {
                    v = p == length ? 0x80 : 0;
                }
                if (last)
                {
                    v ^= complete ? subkey1[i] : subkey2[i];
                }
                y[i] = (byte)(x[i] ^ v);
            }
            encrypt(macCipher, y, x);
        }
        System.arraycopy(x, 0, out, 0, BLOCK);
    }

    private static void encrypt(final Cipher cipher, final byte[] in, final byte[] out)
    {
        try
        {
            cipher.update(in, 0, BLOCK, out, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static void dbl(final byte[] block)
    {
        final int carry = (block[0] & 0x80) != 0 ? 0x87 : 0;
        for (int i = 0; i < BLOCK - 1; i++)
        {
            block[i] = (byte)((block[i] << 1) | ((block[i + 1] & 0xFF) >>> 7));
        }
        block[BLOCK - 1] = (byte)((block[BLOCK - 1] << 1) ^ carry);
    }

    private static void xorInto(final byte[] target, final byte[] source)
    {
        for (int i = 0; i < BLOCK; i++)
        {
            target[i] ^= source[i];
        }
    }
}
