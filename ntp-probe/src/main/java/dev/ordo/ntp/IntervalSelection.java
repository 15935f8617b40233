package dev.ordo.ntp;

import dev.ordo.clocks.api.MarzulloSelector;

/**
 * Marzullo's intersection as NTP's selection algorithm uses it (RFC 5905 section 11.2.1): given each
 * server's correctness interval {@code [offset − bound, offset + bound]}, find the smallest interval that
 * contains every point lying in at least n − f intervals, for the smallest f = 0, 1, ... with 2f &lt; n that
 * gives a non-empty result. Servers whose interval overlaps the result are truechimers, the others
 * falsetickers.
 *
 * <p>Unlike RFC 5905 we do not also demand that at most f midpoints fall outside the result: that rule suits
 * ntpd's statistical intervals, but ours are hard bounds, and the rule would reject two honest servers whose
 * intervals overlap only near their edges.
 *
 * <p>Honesty: if at most f servers are wrong, the true offset lies in every correct interval, hence in at
 * least n − f intervals, hence in {@code [lowNs, highNs]}.
 *
 * <p>The selection itself is {@link MarzulloSelector} in clocks-api, shared with the peer clock-offset
 * monitor; this record is the probe's view of its result.
 *
 * <p>Stateless and thread-safe. Allocates its working arrays (this is not a per-sample path).
 *
 * @param found        true when a majority agrees.
 * @param lowNs        the intersection's lower end (when found).
 * @param highNs       the intersection's upper end (when found).
 * @param falsetickers the f that was allowed.
 * @param truechimer   per input interval, whether it overlaps the intersection.
 */
public record IntervalSelection(boolean found, long lowNs, long highNs, int falsetickers, boolean[] truechimer)
{
    /**
     * @param offsetsNs the intervals' midpoints.
     * @param boundsNs  the intervals' half-widths, non-negative.
     * @return the selection; {@code found} is false when the input is empty or no majority agrees.
     * @throws IllegalArgumentException if the arrays differ in length or a bound is negative.
     */
    public static IntervalSelection select(final long[] offsetsNs, final long[] boundsNs)
    {
        if (offsetsNs.length != boundsNs.length)
        {
            throw new IllegalArgumentException(
                "offsets and bounds differ in length: " + offsetsNs.length + " vs " + boundsNs.length);
        }
        final int n = offsetsNs.length;
        for (int i = 0; i < n; i++)
        {
            if (boundsNs[i] < 0)
            {
                throw new IllegalArgumentException("negative bound at index " + i + ": " + boundsNs[i] + " ns");
            }
        }
        final boolean[] truechimer = new boolean[n];
        final MarzulloSelector selector = new MarzulloSelector(n);
        if (!selector.select(offsetsNs, boundsNs, n))
        {
            return new IntervalSelection(false, 0, 0, 0, truechimer);
        }
        for (int i = 0; i < n; i++)
        {
            truechimer[i] = selector.agrees(offsetsNs[i], boundsNs[i]);
        }
        return new IntervalSelection(true, selector.lowNs(), selector.highNs(), selector.falsetickers(), truechimer);
    }
}
