package dev.ordo.clocks.bounded;

/**
 * Durable storage of one fencing-token value (the highest token issued or reserved by a
 * {@link FencingTokenIssuer}, or the highest token accepted by a {@link DurableFencingTokenGuard}), so that a
 * restart never goes back: without it a fresh issuer would hand out tokens again from the start and a fresh
 * guard would accept 33 after it had seen 34.
 *
 * <p>{@link FileFencingTokenStore} is the crash-safe file implementation; a database row updated in the same
 * transaction as the protected data is the other natural one.
 *
 * <p>Implementations need not be thread-safe: the issuer and the durable guard call them under their own lock.
 */
public interface FencingTokenStore
{
    /**
     * @return the stored value, {@code >= 0}.
     * @throws java.io.UncheckedIOException if it cannot be read or is corrupt (never a guess).
     */
    long load();

    /**
     * Stores a value durably: when this returns, the value survives a crash or a power cut.
     *
     * @param value the value, {@code >= 0}.
     * @throws java.io.UncheckedIOException if it cannot be stored; the previous value is then still the stored one.
     * @throws IllegalArgumentException     if {@code value} is negative.
     */
    void store(long value);
}
