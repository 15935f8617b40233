package dev.ordo.ntp.cli;

/**
 * Estimates how fast the host clock drifts against the servers from successive rounds: a least-squares line
 * through (time, offset), plus a hard range from the first and last rounds' intervals.
 *
 * <p>Sign: {@link #driftPpm()} is the rate at which the host clock gains on the servers, in parts per million
 * (positive: the host runs fast, its offset to the servers falls). Not thread-safe.
 */
final class DriftEstimator
{
    private int count;
    private double sumT;
    private double sumO;
    private double sumTT;
    private double sumTO;
    private long firstMonoNs;
    private long firstOffsetNs;
    private long firstBoundNs;
    private long lastMonoNs;
    private long lastOffsetNs;
    private long lastBoundNs;

    /**
     * @param monoNs   when the offset was measured (monotonic).
     * @param offsetNs server minus host.
     * @param boundNs  the offset's bound.
     */
    void add(final long monoNs, final long offsetNs, final long boundNs)
    {
        if (count == 0)
        {
            firstMonoNs = monoNs;
            firstOffsetNs = offsetNs;
            firstBoundNs = boundNs;
        }
        lastMonoNs = monoNs;
        lastOffsetNs = offsetNs;
        lastBoundNs = boundNs;
        final double t = (monoNs - firstMonoNs) / 1e9;
        final double o = (offsetNs - firstOffsetNs) / 1e3; // µs, relative, for numerical stability
        count++;
        sumT += t;
        sumO += o;
        sumTT += t * t;
        sumTO += t * o;
    }

    /**
     * @return the number of points.
     */
    int count()
    {
        return count;
    }

    /**
     * @return true when at least two points at distinct times exist.
     */
    boolean hasEstimate()
    {
        return count >= 2 && lastMonoNs != firstMonoNs;
    }

    /**
     * @return the least-squares drift in ppm (host gain rate), NaN without an estimate.
     */
    double driftPpm()
    {
        if (!hasEstimate())
        {
            return Double.NaN;
        }
        final double denominator = count * sumTT - sumT * sumT;
        if (denominator == 0)
        {
            return Double.NaN;
        }
        final double slopeMicrosPerSecond = (count * sumTO - sumT * sumO) / denominator;
        return -slopeMicrosPerSecond;
    }

    /**
     * @return the smallest drift (ppm) consistent with the first and last rounds' bounds.
     */
    double minDriftPpm()
    {
        return hardRange(true);
    }

    /**
     * @return the largest drift (ppm) consistent with the first and last rounds' bounds.
     */
    double maxDriftPpm()
    {
        return hardRange(false);
    }

    private double hardRange(final boolean min)
    {
        if (!hasEstimate())
        {
            return Double.NaN;
        }
        final double seconds = (lastMonoNs - firstMonoNs) / 1e9;
        final double change = min ?
            (lastOffsetNs + lastBoundNs) - (firstOffsetNs - firstBoundNs) :
            (lastOffsetNs - lastBoundNs) - (firstOffsetNs + firstBoundNs);
        return -change / 1e3 / seconds;
    }
}
