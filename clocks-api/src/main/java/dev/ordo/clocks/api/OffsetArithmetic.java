package dev.ordo.clocks.api;

/**
 * The arithmetic of a four-timestamp clock exchange (RFC 5905 section 8), shared by the NTP probe and the
 * peer clock-offset monitor so both compute offsets and bounds the same way.
 *
 * <p>An exchange: this host sends at T1 (its clock), the peer receives at T2 and replies at T3 (the peer's
 * clock), this host receives at T4 (its clock). Then
 * <pre>
 *   offset θ = ((T2 − T1) + (T3 − T4)) / 2      peer clock minus this host's clock
 *   delay  δ = (T4 − T1) − (T3 − T2)            time spent on the network, both ways
 *   bound    = ⌈δ / 2⌉ + ε                       |true offset − θ| ≤ bound, whatever the path asymmetry
 *   ε        = read errors of both clocks + PHI × (T4 − T1) + 2 ns of rounding
 * </pre>
 * The true offset lies in {@code θ ± δ/2} because each one-way trip takes between 0 and δ; ε covers the
 * clocks' resolution and both clocks running up to {@link #PHI_PPM} off frequency during the exchange.
 *
 * <p>Every method is static, allocation-free and rounds away from the truth's side (bounds up).
 * Overflow: inputs are epoch nanoseconds (about 2<sup>60</sup> today) or differences of them; sums are
 * computed as differences first, so they stay far from {@code Long} limits for any real timestamps.
 */
public final class OffsetArithmetic
{
    /** RFC 5905 PHI: the frequency tolerance assumed for both clocks, 15 ppm. */
    public static final long PHI_PPM = 15;

    /** Rounding allowance of the offset: two timestamp roundings (0.5 ns each) plus halving the sum. */
    public static final long ROUNDING_NS = 2;

    private OffsetArithmetic()
    {
    }

    /**
     * @param t1EpochNs this host's clock when the request left.
     * @param t2EpochNs the peer's clock when it arrived.
     * @param t3EpochNs the peer's clock when the reply left.
     * @param t4EpochNs this host's clock when the reply arrived.
     * @return θ = ((T2 − T1) + (T3 − T4)) / 2 rounded towards negative infinity: peer minus this host, ns.
     */
    public static long offsetNs(final long t1EpochNs, final long t2EpochNs, final long t3EpochNs, final long t4EpochNs)
    {
        return Math.floorDiv((t2EpochNs - t1EpochNs) + (t3EpochNs - t4EpochNs), 2);
    }

    /**
     * @param t1EpochNs this host's clock when the request left.
     * @param t2EpochNs the peer's clock when it arrived.
     * @param t3EpochNs the peer's clock when the reply left.
     * @param t4EpochNs this host's clock when the reply arrived.
     * @return δ = (T4 − T1) − (T3 − T2), ns; negative only when a clock misbehaved or a read error
     * dominates a tiny round trip (callers decide whether to reject or clamp).
     */
    public static long delayNs(final long t1EpochNs, final long t2EpochNs, final long t3EpochNs, final long t4EpochNs)
    {
        return (t4EpochNs - t1EpochNs) - (t3EpochNs - t2EpochNs);
    }

    /**
     * @param elapsedNs how long the exchange took on this host's clock (T4 − T1); negative counts as 0.
     * @param ppm       the frequency tolerance, parts per million, {@code >= 0}.
     * @return ⌈elapsed × ppm / 10<sup>6</sup>⌉: how far two clocks within {@code ppm} of true rate can
     * drift apart during {@code elapsedNs}, ns; saturates at {@link Long#MAX_VALUE}.
     */
    public static long frequencyErrorNs(final long elapsedNs, final long ppm)
    {
        if (elapsedNs <= 0 || ppm <= 0)
        {
            return 0;
        }
        final long whole = elapsedNs / 1_000_000L;
        final long rest = elapsedNs % 1_000_000L;
        if (whole > (Long.MAX_VALUE - 1) / ppm - 1)
        {
            return Long.MAX_VALUE;
        }
        return whole * ppm + (rest * ppm + 999_999L) / 1_000_000L;
    }

    /**
     * The dispersion ε of one exchange.
     *
     * @param localReadErrorNs  this host's clock reading error (resolution), {@code >= 0}.
     * @param remoteReadErrorNs the peer's clock reading error (resolution), {@code >= 0}.
     * @param elapsedNs         T4 − T1 on this host's clock.
     * @return read errors + PHI × elapsed + {@link #ROUNDING_NS}.
     */
    public static long dispersionNs(final long localReadErrorNs, final long remoteReadErrorNs, final long elapsedNs)
    {
        return saturatedAdd(saturatedAdd(localReadErrorNs, remoteReadErrorNs),
            saturatedAdd(frequencyErrorNs(elapsedNs, PHI_PPM), ROUNDING_NS));
    }

    /**
     * @param delayNs      δ, clamped to 0 when negative.
     * @param dispersionNs ε, {@code >= 0}.
     * @return ⌈δ/2⌉ + ε, saturating: the hard bound on |true offset − θ| at the time of the exchange.
     */
    public static long boundNs(final long delayNs, final long dispersionNs)
    {
        return saturatedAdd(halfUp(Math.max(0, delayNs)), dispersionNs);
    }

    /**
     * @param valueNs a non-negative value.
     * @return ⌈value / 2⌉ without overflow.
     */
    public static long halfUp(final long valueNs)
    {
        return (valueNs >> 1) + (valueNs & 1);
    }

    /**
     * @param boundNs a bound measured {@code ageNs} ago.
     * @param ageNs   time since the measurement on this host's monotonic clock; negative counts as 0.
     * @return the bound grown by PHI × age (both clocks drifting apart since), saturating.
     */
    public static long agedBoundNs(final long boundNs, final long ageNs)
    {
        return saturatedAdd(boundNs, frequencyErrorNs(ageNs, PHI_PPM));
    }

    /**
     * @param lowNs  an interval's lower end.
     * @param highNs its upper end, {@code >= lowNs}.
     * @return the midpoint, rounded down, without overflow.
     */
    public static long midpointNs(final long lowNs, final long highNs)
    {
        return Math.floorDiv(lowNs, 2) + Math.floorDiv(highNs, 2) + ((lowNs & 1) + (highNs & 1)) / 2;
    }

    /**
     * @param a a non-negative value.
     * @param b a non-negative value.
     * @return {@code a + b}, or {@link Long#MAX_VALUE} on overflow.
     */
    public static long saturatedAdd(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
