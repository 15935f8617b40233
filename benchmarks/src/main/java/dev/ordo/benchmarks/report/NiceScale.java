package dev.ordo.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Round axis ticks: linear axes step by 1, 2 or 5 times a power of ten from 0; logarithmic axes mark whole
 * decades. Stateless.
 */
public final class NiceScale
{
    private NiceScale()
    {
    }

    /**
     * @param max       the largest value to show (any value; non-positive gives the axis 0..1).
     * @param maxTicks  at most this many steps between 0 and the top tick.
     * @return the step: 1, 2 or 5 times a power of ten, such that {@code ceil(max / step) <= maxTicks}.
     */
    public static double step(final double max, final int maxTicks)
    {
        if (!(max > 0) || Double.isInfinite(max))
        {
            return 1.0 / Math.max(1, maxTicks);
        }
        final double raw = max / maxTicks;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (int i = 0; i < 3; i++)
        {
            for (final double m : new double[] {1, 2, 5})
            {
                final double step = m * magnitude;
                if (Math.ceil(max / step - 1e-9) <= maxTicks)
                {
                    return step;
                }
            }
            magnitude *= 10;
        }
        return magnitude;
    }

    /**
     * @param max      the largest value to show.
     * @param maxTicks at most this many steps.
     * @return ticks 0, step, 2 step, ... up to the first tick at or above {@code max}.
     */
    public static List<Double> linearTicks(final double max, final int maxTicks)
    {
        final double step = step(max, maxTicks);
        final List<Double> ticks = new ArrayList<>();
        final long n = Math.max(1, (long)Math.ceil(max / step - 1e-9));
        for (long i = 0; i <= n; i++)
        {
            ticks.add(i * step);
        }
        return ticks;
    }

    /**
     * @param min the smallest positive value to show.
     * @param max the largest value to show.
     * @return powers of ten from the one at or below {@code min} to the one at or above {@code max}.
     */
    public static List<Double> decadeTicks(final double min, final double max)
    {
        final int lo = (int)Math.floor(Math.log10(min) + 1e-9);
        int hi = (int)Math.ceil(Math.log10(max) - 1e-9);
        if (hi <= lo)
        {
            hi = lo + 1;
        }
        final List<Double> ticks = new ArrayList<>();
        for (int e = lo; e <= hi; e++)
        {
            ticks.add(Math.pow(10, e));
        }
        return ticks;
    }
}
