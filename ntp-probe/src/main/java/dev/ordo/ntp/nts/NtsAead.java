package dev.ordo.ntp.nts;

/**
 * The AEAD algorithms (IANA "AEAD Algorithms" registry) this client offers in NTS-KE, all AES-SIV
 * (RFC 5297), the only family RFC 8915 requires and the only one with nonce-misuse resistance.
 */
public final class NtsAead
{
    /** AEAD_AES_SIV_CMAC_256: 32-byte keys (AES-128); mandatory to implement in RFC 8915. */
    public static final int AES_SIV_CMAC_256 = 15;
    /** AEAD_AES_SIV_CMAC_512: 64-byte keys (AES-256). */
    public static final int AES_SIV_CMAC_512 = 17;

    private NtsAead()
    {
    }

    /**
     * @param id an AEAD algorithm id.
     * @return its key length in bytes, or -1 if this client does not implement it.
     */
    public static int keyLength(final int id)
    {
        return switch (id)
        {
            case AES_SIV_CMAC_256 -> 32;
            case AES_SIV_CMAC_512 -> 64;
            default -> -1;
        };
    }

    /**
     * @param id an AEAD algorithm id.
     * @return its registry name, or {@code "AEAD #id"}.
     */
    public static String name(final int id)
    {
        return switch (id)
        {
            case AES_SIV_CMAC_256 -> "AEAD_AES_SIV_CMAC_256";
            case AES_SIV_CMAC_512 -> "AEAD_AES_SIV_CMAC_512";
            default -> "AEAD #" + id;
        };
    }
}
