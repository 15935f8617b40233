package dev.ordo.clocks.bounded;

import java.util.Objects;

/**
 * Issues fencing tokens that only grow, across restarts and crashes: the lock service's half of fencing (the
 * storage's half is {@link FencingTokenGuard} / {@link DurableFencingTokenGuard}). Every token handed out is
 * strictly greater than every token handed out before, by this process or by any earlier one on the same
 * {@link FencingTokenStore}.
 *
 * <p>How: the store holds a limit such that every token ever issued is below it. When the next token would
 * reach the limit, the issuer first stores a new limit {@code reservation} tokens higher (durably: the file
 * store forces it to disk) and only then hands the token out. After a crash the new process starts at the
 * stored limit, so tokens skip at most {@code reservation - 1} values and never repeat. A store failure throws
 * and issues nothing.
 *
 * <p>Concurrency contract: {@link #next()} is thread-safe and linearizable (one lock; the store is written
 * under it, once per {@code reservation} tokens). Overflow: after {@link Long#MAX_VALUE} - 1 the issuer is
 * exhausted and throws rather than wrap.
 */
public final class FencingTokenIssuer
{
    /** Default number of tokens reserved per durable write. */
    public static final long DEFAULT_RESERVATION = 1_024;

    private final FencingTokenStore store;
    private final long reservation;
    private long nextToken;
    private long limit;

    /**
     * @param store where the limit lives (e.g. {@link FileFencingTokenStore#open}); its value is the first
     *              token this issuer may hand out.
     * @throws java.io.UncheckedIOException if the store cannot be read.
     */
    public FencingTokenIssuer(final FencingTokenStore store)
    {
        this(store, DEFAULT_RESERVATION);
    }

    /**
     * @param store       where the limit lives; its value is the first token this issuer may hand out.
     * @param reservation tokens reserved per durable write, {@code >= 1} (1: one write per token).
     * @throws IllegalArgumentException     if {@code reservation < 1} or the stored value is negative.
     * @throws java.io.UncheckedIOException if the store cannot be read.
     */
    public FencingTokenIssuer(final FencingTokenStore store, final long reservation)
    {
        if (reservation < 1)
        {
            throw new IllegalArgumentException("reservation must be >= 1: " + reservation);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.reservation = reservation;
        final long stored = store.load();
        if (stored < 0)
        {
            throw new IllegalArgumentException("the store holds a negative fencing token limit: " + stored);
        }
        this.nextToken = stored;
        this.limit = stored;
    }

    /**
     * @return a token greater than every token issued before on this store.
     * @throws java.io.UncheckedIOException if a new reservation cannot be stored durably (nothing is issued).
     * @throws IllegalStateException        if the tokens are exhausted ({@link Long#MAX_VALUE}).
     */
    public synchronized long next()
    {
        final long token = nextToken;
        if (token >= limit)
        {
            if (token == Long.MAX_VALUE)
            {
                throw new IllegalStateException("fencing tokens exhausted at " + token);
            }
            final long newLimit = token + Math.min(reservation, Long.MAX_VALUE - token);
            store.store(newLimit); // durable before any token below it leaves this method
            limit = newLimit;
        }
        nextToken = token + 1;
        return token;
    }

    /**
     * @return the last token issued by this instance, or one less than the first token it may issue.
     */
    public synchronized long lastIssued()
    {
        return nextToken - 1;
    }

    @Override
    public String toString()
    {
        return "FencingTokenIssuer{store=" + store + ", next=" + lastIssued() + "+1}";
    }
}
