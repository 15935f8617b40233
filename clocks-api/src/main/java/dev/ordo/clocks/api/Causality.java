package dev.ordo.clocks.api;

/**
 * How two events (or the states two vector clocks describe) are related by happens-before.
 *
 * <p>Read {@code a.compare(b) == BEFORE} as "a happened before b". Exactly one value holds for any pair:
 * <ul>
 *     <li>{@link #BEFORE}: every entry of {@code a} is at most the matching entry of {@code b}, and at least
 *     one is smaller.</li>
 *     <li>{@link #AFTER}: the mirror image.</li>
 *     <li>{@link #EQUAL}: all entries are equal (the same causal history).</li>
 *     <li>{@link #CONCURRENT}: neither history contains the other, or the order cannot be proved (for
 *     example because an entry it depends on was pruned). Treat it as a conflict to resolve, never as an
 *     order.</li>
 * </ul>
 */
public enum Causality
{
    /** The first history happened before the second: it is strictly contained in it. */
    BEFORE,

    /** The first history happened after the second: it strictly contains it. */
    AFTER,

    /** Both histories are the same. */
    EQUAL,

    /** Neither contains the other, or the order could not be proved. */
    CONCURRENT;

    /**
     * The relation seen from the other side: {@code a.compare(b).reversed() == b.compare(a)}.
     *
     * @return {@link #AFTER} for {@link #BEFORE}, {@link #BEFORE} for {@link #AFTER}, otherwise this value.
     */
    public Causality reversed()
    {
        switch (this)
        {
            case BEFORE:
                return AFTER;
            case AFTER:
                return BEFORE;
            default:
                return this;
        }
    }

    /**
     * @return true for {@link #BEFORE} and {@link #AFTER}: the two histories are ordered and different.
     */
    public boolean isOrdered()
    {
        return this == BEFORE || this == AFTER;
    }
}
