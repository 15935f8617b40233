package dev.ordo.clocks.itc;

/**
 * An ITC identity tree: {@code 0} (owns nothing), {@code 1} (owns the whole interval) or a node splitting the
 * interval into two halves. Immutable; always normalized (no node {@code (0, 0)} or {@code (1, 1)}).
 */
final class Id
{
    static final Id ZERO = new Id(false, null, null);
    static final Id ONE = new Id(true, null, null);

    final boolean one;
    final Id left;
    final Id right;

    private Id(final boolean one, final Id left, final Id right)
    {
        this.one = one;
        this.left = left;
        this.right = right;
    }

    boolean isLeaf()
    {
        return left == null;
    }

    boolean isZero()
    {
        return this == ZERO;
    }

    boolean isOne()
    {
        return this == ONE;
    }

    /** A normalized node. */
    static Id node(final Id left, final Id right)
    {
        if (left.isZero() && right.isZero())
        {
            return ZERO;
        }
        if (left.isOne() && right.isOne())
        {
            return ONE;
        }
        return new Id(false, left, right);
    }

    /** split: two disjoint ids whose sum is this one. */
    Id[] split()
    {
        if (isZero())
        {
            return new Id[] { ZERO, ZERO };
        }
        if (isOne())
        {
            return new Id[] { new Id(false, ONE, ZERO), new Id(false, ZERO, ONE) };
        }
        if (left.isZero())
        {
            final Id[] r = right.split();
            return new Id[] { node(ZERO, r[0]), node(ZERO, r[1]) };
        }
        if (right.isZero())
        {
            final Id[] l = left.split();
            return new Id[] { node(l[0], ZERO), node(l[1], ZERO) };
        }
        return new Id[] { node(left, ZERO), node(ZERO, right) };
    }

    /** sum: the union of two disjoint ids. */
    static Id sum(final Id a, final Id b)
    {
        if (a.isZero())
        {
            return b;
        }
        if (b.isZero())
        {
            return a;
        }
        if (a.isLeaf() || b.isLeaf())
        {
            throw new IllegalArgumentException("cannot join stamps whose identities overlap: " + a + " and " + b);
        }
        return node(sum(a.left, b.left), sum(a.right, b.right));
    }

    int depth()
    {
        return isLeaf() ? 0 : 1 + Math.max(left.depth(), right.depth());
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Id))
        {
            return false;
        }
        final Id other = (Id)o;
        return !isLeaf() && !other.isLeaf() && left.equals(other.left) && right.equals(other.right);
    }

    @Override
    public int hashCode()
    {
        return isLeaf() ? (one ? 1 : 0) : 31 * left.hashCode() + right.hashCode() + 7;
    }

    @Override
    public String toString()
    {
        return isLeaf() ? (one ? "1" : "0") : "(" + left + ", " + right + ")";
    }
}
