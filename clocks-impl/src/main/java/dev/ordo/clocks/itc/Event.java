package dev.ordo.clocks.itc;

import dev.ordo.clocks.api.ClockOverflowException;

/**
 * An ITC event tree: a leaf counter {@code n}, or a node {@code (n, left, right)} whose halves count {@code n} plus
 * their own trees. Immutable; always normalized (a node's children have minimum 0 and are not two equal leaves).
 * Values along any path sum to at most {@link #MAX_COUNTER} (2^62 - 1): decode checks it, {@code grow} refuses to
 * pass it, and fill and join never raise the largest path sum.
 */
final class Event
{
    static final Event ZERO = new Event(0, null, null);

    final long n;
    final Event left;
    final Event right;

    private Event(final long n, final Event left, final Event right)
    {
        this.n = n;
        this.left = left;
        this.right = right;
    }

    static Event leaf(final long n)
    {
        return n == 0 ? ZERO : new Event(n, null, null);
    }

    /** A raw node; callers guarantee it is normalized (decode checks). */
    static Event rawNode(final long n, final Event left, final Event right)
    {
        return new Event(n, left, right);
    }

    boolean isLeaf()
    {
        return left == null;
    }

    /** norm((n, l, r)). */
    static Event node(final long n, final Event left, final Event right)
    {
        if (left.isLeaf() && right.isLeaf() && left.n == right.n)
        {
            return leaf(add(n, left.n));
        }
        final long m = Math.min(left.min(), right.min());
        return new Event(add(n, m), left.sink(m), right.sink(m));
    }

    long min()
    {
        return isLeaf() ? n : n + Math.min(left.min(), right.min());
    }

    long max()
    {
        return isLeaf() ? n : add(n, Math.max(left.max(), right.max()));
    }

    Event lift(final long m)
    {
        return m == 0 ? this : isLeaf() ? leaf(add(n, m)) : new Event(add(n, m), left, right);
    }

    Event sink(final long m)
    {
        return m == 0 ? this : isLeaf() ? leaf(n - m) : new Event(n - m, left, right);
    }

    /** The largest counter on any path: 2^62 - 1, so the wire format's varint(n << 1 | node) never overflows. */
    static final long MAX_COUNTER = (1L << 62) - 1;

    static long add(final long a, final long b)
    {
        final long sum = a + b;
        if (sum > MAX_COUNTER || sum < 0)
        {
            throw new ClockOverflowException("interval tree clock counter would pass 2^62 - 1");
        }
        return sum;
    }

    /** join: the pointwise maximum. */
    static Event join(final Event a, final Event b)
    {
        if (a.isLeaf() && b.isLeaf())
        {
            return a.n >= b.n ? a : b;
        }
        if (a.isLeaf())
        {
            return join(new Event(a.n, ZERO, ZERO), b);
        }
        if (b.isLeaf())
        {
            return join(a, new Event(b.n, ZERO, ZERO));
        }
        if (a.n > b.n)
        {
            return join(b, a);
        }
        final long d = b.n - a.n;
        return node(a.n, join(a.left, b.left.lift(d)), join(a.right, b.right.lift(d)));
    }

    /** leq: pointwise at most. Allocation-free: lifts are carried as the bases of the two paths. */
    static boolean leq(final Event a, final Event b)
    {
        return leq(a, 0, b, 0);
    }

    private static boolean leq(final Event a, final long aBase, final Event b, final long bBase)
    {
        final long an = aBase + a.n;
        final long bn = bBase + b.n;
        if (an > bn)
        {
            return false;
        }
        if (a.isLeaf())
        {
            return true;
        }
        if (b.isLeaf())
        {
            return leq(a.left, an, b, bBase) && leq(a.right, an, b, bBase);
        }
        return leq(a.left, an, b.left, bn) && leq(a.right, an, b.right, bn);
    }

    /** fill: inflate the event tree as far as the id owns, without adding a new event where it is not needed. */
    static Event fill(final Id id, final Event e)
    {
        if (id.isZero())
        {
            return e;
        }
        if (id.isOne())
        {
            return leaf(e.max());
        }
        if (e.isLeaf())
        {
            return e;
        }
        if (id.left.isOne())
        {
            final Event er = fill(id.right, e.right);
            return node(e.n, leaf(Math.max(e.left.max(), er.min())), er);
        }
        if (id.right.isOne())
        {
            final Event el = fill(id.left, e.left);
            return node(e.n, el, leaf(Math.max(e.right.max(), el.min())));
        }
        return node(e.n, fill(id.left, e.left), fill(id.right, e.right));
    }

    /** grow's result: the grown tree and its cost (smaller is better: fewer new nodes). */
    static final class Grown
    {
        final Event event;
        final long cost;

        Grown(final Event event, final long cost)
        {
            this.event = event;
            this.cost = cost;
        }
    }

    private static final long EXPAND_COST = 1L << 20;

    static Grown grow(final Id id, final Event e)
    {
        return grow(id, e, 0);
    }

    /**
     * @param base the sum of the ancestors' counters: the new event's path sum {@code base + n + 1} is checked against
     *             {@link #MAX_COUNTER} (a leaf's own counter may be small while its path sum is at the limit).
     */
    private static Grown grow(final Id id, final Event e, final long base)
    {
        if (e.isLeaf())
        {
            if (id.isOne())
            {
                add(base + e.n, 1); // path sums stay at most MAX_COUNTER (base + e.n cannot overflow: it is one)
                return new Grown(leaf(e.n + 1), 0);
            }
            final Grown g = grow(id, new Event(e.n, ZERO, ZERO), base);
            return new Grown(g.event, g.cost + EXPAND_COST);
        }
        if (id.isLeaf())
        {
            throw new IllegalStateException("unreachable: grow with a leaf id on a node");
        }
        final long childBase = base + e.n;
        if (id.left.isZero())
        {
            final Grown r = grow(id.right, e.right, childBase);
            return new Grown(node(e.n, e.left, r.event), r.cost + 1);
        }
        if (id.right.isZero())
        {
            final Grown l = grow(id.left, e.left, childBase);
            return new Grown(node(e.n, l.event, e.right), l.cost + 1);
        }
        final Grown l = grow(id.left, e.left, childBase);
        final Grown r = grow(id.right, e.right, childBase);
        return l.cost < r.cost ? new Grown(node(e.n, l.event, e.right), l.cost + 1) :
            new Grown(node(e.n, e.left, r.event), r.cost + 1);
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
        if (!(o instanceof Event))
        {
            return false;
        }
        final Event other = (Event)o;
        return n == other.n && isLeaf() == other.isLeaf() &&
            (isLeaf() || (left.equals(other.left) && right.equals(other.right)));
    }

    @Override
    public int hashCode()
    {
        return isLeaf() ? Long.hashCode(n) : 31 * (31 * Long.hashCode(n) + left.hashCode()) + right.hashCode();
    }

    @Override
    public String toString()
    {
        return isLeaf() ? Long.toString(n) : "(" + n + ", " + left + ", " + right + ")";
    }
}
