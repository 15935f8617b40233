package dev.ordo.clocks.api;

/**
 * Marzullo's intersection as NTP's selection algorithm uses it (RFC 5905 section 11.2.1), allocation-free:
 * given n correctness intervals {@code [midpoint − bound, midpoint + bound]}, find the smallest interval that
 * contains every point lying in at least n − f of them, for the smallest f = 0, 1, ... with 2f &lt; n that
 * gives a non-empty result. Intervals that overlap the result are truechimers, the others falsetickers.
 * Shared by the NTP probe (servers) and the peer clock-offset monitor (peers).
 *
 * <p>Unlike RFC 5905 it does not also demand that at most f midpoints fall outside the result: that rule
 * suits ntpd's statistical intervals, but these are hard bounds, and the rule would reject two honest
 * sources whose intervals overlap only near their edges.
 *
 * <p>Honesty: if at most f sources are wrong, the truth lies in every correct interval, hence in at least
 * n − f intervals, hence in {@code [lowNs(), highNs()]}.
 *
 * <p>Touching closed intervals overlap. Cost: O(n log n) (an in-place heap sort of the 2n endpoints), no
 * allocation after construction. Not thread-safe: one selector holds one result and its scratch arrays.
 */
public final class MarzulloSelector
{
    private final long[] lows;
    private final long[] highs;
    private boolean found;
    private long lowNs;
    private long highNs;
    private int falsetickers;

    /**
     * @param capacity the most intervals one {@link #select} call may get, {@code >= 0}.
     * @throws IllegalArgumentException if {@code capacity} is negative.
     */
    public MarzulloSelector(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        lows = new long[capacity];
        highs = new long[capacity];
    }

    /**
     * @return the most intervals one call may get.
     */
    public int capacity()
    {
        return lows.length;
    }

    /**
     * Selects among the first {@code count} intervals. The arrays are read, never modified.
     *
     * @param midpointsNs the intervals' midpoints.
     * @param boundsNs    their half-widths, {@code >= 0}.
     * @param count       how many to use, {@code 0 <= count <= capacity()} and within both arrays.
     * @return true when a majority agrees (then {@link #lowNs()}, {@link #highNs()},
     * {@link #falsetickers()} describe the result); false for {@code count == 0} or no majority.
     * @throws IllegalArgumentException if {@code count} is out of range or a bound is negative (the previous
     *                                  result is then cleared to "not found").
     */
    public boolean select(final long[] midpointsNs, final long[] boundsNs, final int count)
    {
        found = false;
        if (count < 0 || count > lows.length || count > midpointsNs.length || count > boundsNs.length)
        {
            throw new IllegalArgumentException("count " + count + " is out of range (capacity " + lows.length +
                ", arrays " + midpointsNs.length + " and " + boundsNs.length + ")");
        }
        for (int i = 0; i < count; i++)
        {
            final long bound = boundsNs[i];
            if (bound < 0)
            {
                throw new IllegalArgumentException("negative bound at index " + i + ": " + bound + " ns");
            }
            lows[i] = saturatingSubtract(midpointsNs[i], bound);
            highs[i] = saturatingAdd(midpointsNs[i], bound);
        }
        return selectSorted(count);
    }

    /**
     * Selects among intervals given by their ends.
     *
     * @param lowsNs  lower ends.
     * @param highsNs upper ends, each {@code >=} its lower end.
     * @param count   how many to use.
     * @return as {@link #select}.
     * @throws IllegalArgumentException if {@code count} is out of range or an interval is inverted.
     */
    public boolean selectEnds(final long[] lowsNs, final long[] highsNs, final int count)
    {
        found = false;
        if (count < 0 || count > lows.length || count > lowsNs.length || count > highsNs.length)
        {
            throw new IllegalArgumentException("count " + count + " is out of range (capacity " + lows.length +
                ", arrays " + lowsNs.length + " and " + highsNs.length + ")");
        }
        for (int i = 0; i < count; i++)
        {
            if (highsNs[i] < lowsNs[i])
            {
                throw new IllegalArgumentException(
                    "inverted interval at index " + i + ": [" + lowsNs[i] + ", " + highsNs[i] + "]");
            }
            lows[i] = lowsNs[i];
            highs[i] = highsNs[i];
        }
        return selectSorted(count);
    }

    private boolean selectSorted(final int n)
    {
        if (n == 0)
        {
            return false;
        }
        heapSort(lows, n);
        heapSort(highs, n);
        for (int allow = 0; 2 * allow < n; allow++)
        {
            final int needed = n - allow;
            // Ascending sweep; at equal values lower ends come first (closed intervals touch).
            long low = Long.MAX_VALUE;
            int chime = 0;
            for (int l = 0, h = 0; l < n; )
            {
                if (lows[l] <= highs[h])
                {
                    if (++chime >= needed)
                    {
                        low = lows[l];
                        break;
                    }
                    l++;
                }
                else
                {
                    chime--;
                    h++;
                }
            }
            // Descending sweep; at equal values upper ends come first.
            long high = Long.MIN_VALUE;
            chime = 0;
            for (int l = n - 1, h = n - 1; h >= 0; )
            {
                if (highs[h] >= lows[l])
                {
                    if (++chime >= needed)
                    {
                        high = highs[h];
                        break;
                    }
                    h--;
                }
                else
                {
                    chime--;
                    l--;
                }
            }
            if (low <= high)
            {
                found = true;
                lowNs = low;
                highNs = high;
                falsetickers = allow;
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the last selection found a majority.
     */
    public boolean found()
    {
        return found;
    }

    /**
     * @return the intersection's lower end (meaningful when {@link #found()}).
     */
    public long lowNs()
    {
        return lowNs;
    }

    /**
     * @return the intersection's upper end (meaningful when {@link #found()}).
     */
    public long highNs()
    {
        return highNs;
    }

    /**
     * @return the f the last successful selection allowed.
     */
    public int falsetickers()
    {
        return falsetickers;
    }

    /**
     * @param midpointNs an interval's midpoint.
     * @param boundNs    its half-width.
     * @return true when the interval overlaps the last result (a truechimer); false when nothing was found.
     */
    public boolean agrees(final long midpointNs, final long boundNs)
    {
        return found && saturatingSubtract(midpointNs, boundNs) <= highNs && saturatingAdd(midpointNs, boundNs) >= lowNs;
    }

    private static long saturatingAdd(final long a, final long b)
    {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static long saturatingSubtract(final long a, final long b)
    {
        final long difference = a - b;
        return ((a ^ b) & (a ^ difference)) < 0 ? Long.MIN_VALUE : difference;
    }

    private static void heapSort(final long[] values, final int n)
    {
        for (int i = n / 2 - 1; i >= 0; i--)
        {
            siftDown(values, i, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            final long top = values[0];
            values[0] = values[end];
            values[end] = top;
            siftDown(values, 0, end);
        }
    }

    private static void siftDown(final long[] values, final int start, final int n)
    {
        int parent = start;
        final long value = values[parent];
        while (true)
        {
            int child = 2 * parent + 1;
            if (child >= n)
            {
                break;
            }
            if (child + 1 < n && values[child + 1] > values[child])
            {
                child++;
            }
            if (values[child] <= value)
            {
                break;
            }
            values[parent] = values[child];
            parent = child;
        }
        values[parent] = value;
    }
}
