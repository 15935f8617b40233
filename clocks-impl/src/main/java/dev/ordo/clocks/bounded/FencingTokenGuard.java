package dev.ordo.clocks.bounded;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The storage side of fencing (Kleppmann, "How to do distributed locking"): every lease grant carries a
 * token that grows with each grant, every write carries its holder's token, and the storage refuses a token
 * lower than one it has already seen. A holder that paused past its lease's expiry wakes up with an old
 * token and is rejected, whatever its clock says.
 *
 * <ul>
 *     <li>{@link #tryAccept(long)} accepts a token only if it is higher than every token seen before: one
 *     operation per token (e.g. taking over a resource).</li>
 *     <li>{@link #tryAcceptCurrent(long)} also accepts the highest token again: the current holder may write
 *     many times under one lease, anyone older is refused.</li>
 * </ul>
 *
 * <p>Concurrency contract: thread-safe, lock-free (a compare-and-set loop on one padded field) and
 * allocation-free; the highest token only grows. The guard orders tokens, not writes: for the guarantee to
 * cover the data, the check and the write must be one atomic step at the storage (do both under the
 * storage's own lock or in its serial apply loop, with one guard per protected resource). Checking here and
 * writing later re-opens the race the token was meant to close.
 */
public final class FencingTokenGuard extends FencingPadAfter
{
    /** {@link #highestToken()} before any token was accepted. */
    public static final long NONE = -1L;

    private static final VarHandle HIGHEST;

    static
    {
        try
        {
            HIGHEST = MethodHandles.lookup().findVarHandle(FencingHighestField.class, "highest", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * A guard that has seen no token. After a restart, restore the highest token instead
     * ({@link #FencingTokenGuard(long)}) or use a {@link DurableFencingTokenGuard}: a fresh guard accepts any
     * token, including one lower than a token seen before the restart.
     */
    public FencingTokenGuard()
    {
        HIGHEST.setRelease(this, NONE);
    }

    /**
     * A guard restored from durable state (e.g. the highest token stored with the protected data).
     *
     * @param highestSeen the highest token accepted before, or {@link #NONE}.
     * @throws IllegalArgumentException if {@code highestSeen < NONE}.
     */
    public FencingTokenGuard(final long highestSeen)
    {
        if (highestSeen < NONE)
        {
            throw new IllegalArgumentException("highestSeen must be a token (>= 0) or NONE (-1): " + highestSeen);
        }
        HIGHEST.setRelease(this, highestSeen);
    }

    /**
     * Accepts {@code token} only if it is higher than every token seen before, and records it.
     *
     * @param token the writer's fencing token, {@code >= 0}.
     * @return true if accepted (it is now the highest); false if a token at least as high was seen before.
     * @throws IllegalArgumentException if {@code token} is negative; the guard is unchanged.
     */
    public boolean tryAccept(final long token)
    {
        checkToken(token);
        long highest = (long)HIGHEST.getVolatile(this);
        while (token > highest)
        {
            final long witness = (long)HIGHEST.compareAndExchange(this, highest, token);
            if (witness == highest)
            {
                return true;
            }
            highest = witness;
        }
        return false;
    }

    /**
     * Accepts {@code token} if no higher token was seen before (equal is fine), and records it.
     *
     * @param token the writer's fencing token, {@code >= 0}.
     * @return true if accepted; false if a higher token was seen before.
     * @throws IllegalArgumentException if {@code token} is negative; the guard is unchanged.
     */
    public boolean tryAcceptCurrent(final long token)
    {
        checkToken(token);
        long highest = (long)HIGHEST.getVolatile(this);
        while (token > highest)
        {
            final long witness = (long)HIGHEST.compareAndExchange(this, highest, token);
            if (witness == highest)
            {
                return true;
            }
            highest = witness;
        }
        return token == highest;
    }

    /**
     * @return the highest token accepted so far, or {@link #NONE}.
     */
    public long highestToken()
    {
        return (long)HIGHEST.getVolatile(this);
    }

    private static void checkToken(final long token)
    {
        if (token < 0)
        {
            throw new IllegalArgumentException("a fencing token must be >= 0: " + token);
        }
    }

    @Override
    public String toString()
    {
        return "FencingTokenGuard{highest=" + highestToken() + "}";
    }
}

/** Padding before the hot field, against false sharing with objects allocated just before this one. */
abstract class FencingPadBefore
{
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
}

/** The hot field, between two padding blocks. */
abstract class FencingHighestField extends FencingPadBefore
{
    volatile long highest;
}

/** Padding after the hot field, against false sharing with objects allocated just after this one. */
abstract class FencingPadAfter extends FencingHighestField
{
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
}
