package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;

/**
 * Comparison of clocks whose entries may be pruned. An exact entry is its true value; a pruned entry is
 * only a lower bound on it. Each pair of entries contributes the set of relations its true values may
 * have; the clocks are ordered only if every possible completion gives the same answer.
 */
final class Relation
{
    /** Certainly less. */
    static final int LT = 1;
    /** Certainly greater. */
    static final int GT = 2;
    /** Less or equal: the right side is a pruned bound equal to the left value. */
    static final int LE = 4;
    /** Greater or equal: the left side is a pruned bound equal to the right value. */
    static final int GE = 8;
    /** Anything: the true order of this pair is unknown. */
    static final int ANY = 16;

    static final int UNCERTAIN = LE | GE | ANY;

    private Relation()
    {
    }

    /**
     * The relation flags of one pair of entries (0 when certainly equal). Each side is a value and a flag, as
     * on the wire: {@code (0, false)} no entry, {@code (v, false)} exactly {@code v}, {@code (v >= 1, true)}
     * pruned (at least {@code v}), {@code (0, true)} a retired marker whose final value is unknown to the
     * caller: exactly the node's final entry, which is at least every value any clock holds for that node
     * (so two markers are equal, and a marker is greater than no entry and at least anything else).
     *
     * @return the flags.
     */
    static int of(final long x, final boolean xPruned, final long y, final boolean yPruned)
    {
        if (!xPruned && !yPruned)
        {
            return x < y ? LT : (x > y ? GT : 0);
        }
        final boolean xRetired = xPruned && x == 0;
        final boolean yRetired = yPruned && y == 0;
        if (xRetired || yRetired)
        {
            if (xRetired && yRetired)
            {
                return 0;
            }
            if (xRetired)
            {
                return y == 0 ? GT : GE;
            }
            return x == 0 ? LT : LE;
        }
        if (xPruned && yPruned)
        {
            return ANY;
        }
        if (xPruned)
        {
            return x > y ? GT : (x == y ? GE : ANY);
        }
        return y > x ? LT : (x == y ? LE : ANY);
    }

    /**
     * {@link #of} for a pair whose node the caller's registry knows retired with {@code finalValue} (0: not
     * retired, then exactly {@link #of}). The final entry is at least every value any clock holds for the node, so
     * a pruned lower bound {@code v <= finalValue} against an exact entry equal to the final value is at most
     * that entry: equal when {@code v} is the final value, else less or equal. A comparison of encodings, which
     * carry the final entry as a retired marker and know no final value, answers this or less.
     *
     * @return the flags.
     */
    static int ofKnowingFinal(
        final long x, final boolean xPruned, final long y, final boolean yPruned, final long finalValue)
    {
        if (finalValue != 0 && xPruned != yPruned)
        {
            if (!xPruned && x == finalValue && y != 0 && y <= finalValue)
            {
                return y == finalValue ? 0 : GE;
            }
            if (!yPruned && y == finalValue && x != 0 && x <= finalValue)
            {
                return x == finalValue ? 0 : LE;
            }
        }
        return of(x, xPruned, y, yPruned);
    }

    /**
     * @param flags the union of every pair's flags.
     * @return the certain answer, or {@link Causality#CONCURRENT} when pruning leaves more than one possible.
     */
    static Causality resolve(final int flags)
    {
        final boolean lt = (flags & LT) != 0;
        final boolean gt = (flags & GT) != 0;
        if (lt && gt)
        {
            return Causality.CONCURRENT;
        }
        final int uncertain = flags & UNCERTAIN;
        if (uncertain == 0)
        {
            return lt ? Causality.BEFORE : (gt ? Causality.AFTER : Causality.EQUAL);
        }
        if (gt && uncertain == GE)
        {
            return Causality.AFTER;
        }
        if (lt && uncertain == LE)
        {
            return Causality.BEFORE;
        }
        return Causality.CONCURRENT;
    }

    /**
     * @return true when {@link #resolve(int)} answers CONCURRENT only because of pruned entries.
     */
    static boolean isUncertain(final int flags)
    {
        if ((flags & (LT | GT)) == (LT | GT))
        {
            return false;
        }
        final int uncertain = flags & UNCERTAIN;
        if (uncertain == 0)
        {
            return false;
        }
        return !((flags & GT) != 0 && uncertain == GE) && !((flags & LT) != 0 && uncertain == LE);
    }
}
