package dev.ordo.clocks.bounded;

import java.util.Objects;

/**
 * A {@link FencingTokenGuard} whose highest token survives restarts and crashes: a higher token is stored
 * durably <em>before</em> it is accepted, so a guard restored from the store after a crash has seen at least
 * every token any earlier guard accepted, and refuses 33 after 34 as the live one did.
 *
 * <p>The store holds {@code highest accepted + 1} (0: nothing accepted yet), e.g. a
 * {@link FileFencingTokenStore} created with 0 on first start. If the protected data lives in a database,
 * prefer keeping the highest token in the same transaction as the write and restoring a plain
 * {@link FencingTokenGuard#FencingTokenGuard(long)} from it.
 *
 * <p>Concurrency contract: thread-safe. Refusals and re-acceptance of the current token
 * ({@link #tryAcceptCurrent(long)} with the highest token) are lock-free and allocation-free; raising the
 * highest token takes a lock and one durable write (for the file store, an fsync: milliseconds). A failed
 * write throws and leaves the guard unchanged. The invariant, under every interleaving: the in-memory highest
 * token is at most {@code stored value - 1}, because it is raised only under the lock after the store
 * returned.
 */
public final class DurableFencingTokenGuard
{
    private final FencingTokenStore store;
    private final FencingTokenGuard guard;

    /**
     * Restores the guard from the store.
     *
     * @param store where the highest accepted token (plus one) lives.
     * @throws IllegalArgumentException     if the stored value is negative.
     * @throws java.io.UncheckedIOException if the store cannot be read.
     */
    public DurableFencingTokenGuard(final FencingTokenStore store)
    {
        this.store = Objects.requireNonNull(store, "store");
        final long stored = store.load();
        if (stored < 0)
        {
            throw new IllegalArgumentException("the store holds a negative fencing token floor: " + stored);
        }
        this.guard = new FencingTokenGuard(stored - 1);
    }

    /**
     * Accepts {@code token} only if it is higher than every token seen before (by this guard and by every
     * earlier one on the store), storing it durably first.
     *
     * @param token the writer's fencing token, {@code 0 <= token < Long.MAX_VALUE}.
     * @return true if accepted; false if a token at least as high was seen before.
     * @throws IllegalArgumentException     if {@code token} is out of range; the guard is unchanged.
     * @throws java.io.UncheckedIOException if it cannot be stored; the guard is unchanged.
     */
    public boolean tryAccept(final long token)
    {
        checkToken(token);
        return token > guard.highestToken() && raise(token);
    }

    /**
     * Accepts {@code token} if no higher token was seen before (equal is fine), storing a new highest first.
     *
     * @param token the writer's fencing token, {@code 0 <= token < Long.MAX_VALUE}.
     * @return true if accepted; false if a higher token was seen before.
     * @throws IllegalArgumentException     if {@code token} is out of range; the guard is unchanged.
     * @throws java.io.UncheckedIOException if it cannot be stored; the guard is unchanged.
     */
    public boolean tryAcceptCurrent(final long token)
    {
        checkToken(token);
        final long highest = guard.highestToken();
        if (token <= highest)
        {
            return token == highest;
        }
        return raise(token) || guard.tryAcceptCurrent(token);
    }

    private synchronized boolean raise(final long token)
    {
        if (token <= guard.highestToken())
        {
            return false; // another thread raised it past this token while we waited for the lock
        }
        store.store(token + 1); // durable first: a crash from here on restores a guard that refuses <= token
        return guard.tryAccept(token); // only raised under this lock, so it succeeds
    }

    /**
     * @return the highest token accepted (by this guard or restored), or {@link FencingTokenGuard#NONE}.
     */
    public long highestToken()
    {
        return guard.highestToken();
    }

    private static void checkToken(final long token)
    {
        if (token < 0 || token == Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("a durable fencing token must be in [0, Long.MAX_VALUE): " + token);
        }
    }

    @Override
    public String toString()
    {
        return "DurableFencingTokenGuard{highest=" + highestToken() + ", store=" + store + "}";
    }
}
