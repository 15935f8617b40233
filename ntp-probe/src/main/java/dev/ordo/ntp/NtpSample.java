package dev.ordo.ntp;

/**
 * One measured NTP exchange: the four timestamps, offset, delay, dispersion and what the server said about
 * itself. A mutable holder of primitives so that sampling allocates nothing; {@link NtpExchange} fills it.
 * Not thread-safe.
 *
 * <p>Sign convention (RFC 5905): {@link #offsetNs()} is server time minus host time, i.e. what must be
 * added to this host's clock to agree with the server. A positive offset means this host is behind.
 */
public final class NtpSample
{
    long t1EpochNs;
    long t2EpochNs;
    long t3EpochNs;
    long t4EpochNs;
    long t4MonoNs;
    long offsetNs;
    long delayNs;
    long dispersionNs;
    long rootDelayNs;
    long rootDispersionNs;
    long referenceId;
    int stratum;
    int leapIndicator;
    int precisionLog2;
    int version;

    /**
     * @return T1: host epoch ns when the request was sent.
     */
    public long t1EpochNs()
    {
        return t1EpochNs;
    }

    /**
     * @return T2: server epoch ns when it received the request.
     */
    public long t2EpochNs()
    {
        return t2EpochNs;
    }

    /**
     * @return T3: server epoch ns when it sent the reply.
     */
    public long t3EpochNs()
    {
        return t3EpochNs;
    }

    /**
     * @return T4: host epoch ns when the reply arrived, computed as T1 plus the monotonic time elapsed, so a
     * step of the host's clock during the exchange cannot corrupt the delay.
     */
    public long t4EpochNs()
    {
        return t4EpochNs;
    }

    /**
     * @return the monotonic ({@code System.nanoTime()}-like) time at T4; ages the sample.
     */
    public long t4MonoNs()
    {
        return t4MonoNs;
    }

    /**
     * @return θ = ((T2 − T1) + (T3 − T4)) / 2: server minus host, ns.
     */
    public long offsetNs()
    {
        return offsetNs;
    }

    /**
     * @return δ = (T4 − T1) − (T3 − T2): the round trip spent on the network, ns, never negative.
     */
    public long delayNs()
    {
        return delayNs;
    }

    /**
     * @return ε: reading errors of both clocks (server precision, host precision, rounding) plus 15 ppm of
     * the exchange's duration for frequency error, ns.
     */
    public long dispersionNs()
    {
        return dispersionNs;
    }

    /**
     * @return the server's root delay (round trip to its primary reference), ns.
     */
    public long rootDelayNs()
    {
        return rootDelayNs;
    }

    /**
     * @return the server's root dispersion (its own error budget to the primary reference), ns.
     */
    public long rootDispersionNs()
    {
        return rootDispersionNs;
    }

    /**
     * @return the hard bound on |true offset − {@link #offsetNs()}| at the time of this sample:
     * δ/2 + ε + root delay/2 + root dispersion, each term rounded up.
     */
    public long boundNs()
    {
        return (delayNs + 1) / 2 + dispersionNs + (rootDelayNs + 1) / 2 + rootDispersionNs;
    }

    /**
     * @return the server's reference id (its upstream's IPv4 address or a 4-letter code; the kiss code for a
     * Kiss-o'-Death), unsigned 32 bits.
     */
    public long referenceId()
    {
        return referenceId;
    }

    /**
     * @return the server's stratum (0 for a Kiss-o'-Death).
     */
    public int stratum()
    {
        return stratum;
    }

    /**
     * @return the leap indicator: 0 none, 1 a leap second inserted today, 2 deleted, 3 unsynchronized.
     */
    public int leapIndicator()
    {
        return leapIndicator;
    }

    /**
     * @return the server's clock precision as log2 seconds.
     */
    public int precisionLog2()
    {
        return precisionLog2;
    }

    /**
     * @return the reply's NTP version.
     */
    public int version()
    {
        return version;
    }

    /**
     * Copies every field of {@code other} into this sample.
     *
     * @param other the sample to copy.
     */
    public void copyFrom(final NtpSample other)
    {
        t1EpochNs = other.t1EpochNs;
        t2EpochNs = other.t2EpochNs;
        t3EpochNs = other.t3EpochNs;
        t4EpochNs = other.t4EpochNs;
        t4MonoNs = other.t4MonoNs;
        offsetNs = other.offsetNs;
        delayNs = other.delayNs;
        dispersionNs = other.dispersionNs;
        rootDelayNs = other.rootDelayNs;
        rootDispersionNs = other.rootDispersionNs;
        referenceId = other.referenceId;
        stratum = other.stratum;
        leapIndicator = other.leapIndicator;
        precisionLog2 = other.precisionLog2;
        version = other.version;
    }

    @Override
    public String toString()
    {
        return "NtpSample{offsetNs=" + offsetNs + ", delayNs=" + delayNs + ", dispersionNs=" + dispersionNs +
            ", rootDelayNs=" + rootDelayNs + ", rootDispersionNs=" + rootDispersionNs + ", boundNs=" + boundNs() +
            ", stratum=" + stratum + ", leap=" + leapIndicator + ", precision=" + precisionLog2 + "}";
    }
}
