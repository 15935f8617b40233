package dev.ordo.ntp;

import java.util.List;

/**
 * One server's result for a probe round: the clock filter's choice among its samples and the error bound,
 * or why there is none. Immutable.
 *
 * <p>Offsets are server time minus host time (positive: this host is behind). {@code boundNs} is a hard
 * bound: the true offset of the host against the server's reference lies in
 * {@code [offsetNs − boundNs, offsetNs + boundNs]} at {@code measuredAtMonoNs}, assuming the server's
 * timestamps are honest to its advertised precision, root delay and root dispersion, and both clocks' rates
 * are within 15 ppm during the exchange.
 *
 * <p>When the server failed ({@link #ok()} false), nothing was measured and the accessors say so rather than
 * return zeros: {@link #boundNs()}, {@link #boundAtNs}, {@link #rootDelayNs()} and {@link #rootDispersionNs()}
 * return {@link ProbeResult#UNBOUNDED}; {@link #offsetNs()}, {@link #delayNs()}, {@link #dispersionNs()},
 * {@link #jitterNs()}, {@link #measuredAtMonoNs()} and {@link #measuredAtEpochNs()} throw
 * {@link IllegalStateException} with {@link #message()}.
 *
 * @param server            the server as named by the user ({@code host:port}).
 * @param address           the resolved address ({@code ip:port}), or null if it did not resolve.
 * @param status            what happened.
 * @param message           a one-line explanation when status is not OK (null otherwise).
 * @param kissCode          the last Kiss-o'-Death code received (e.g. {@code "RATE"}), or null.
 * @param offsetNs          θ of the chosen sample.
 * @param boundNs           bound of the chosen sample.
 * @param delayNs           δ of the chosen sample.
 * @param dispersionNs      ε of the chosen sample.
 * @param jitterNs          RMS difference of the used samples' offsets from the chosen one (statistical, not
 *                          part of the bound).
 * @param rootDelayNs       the server's root delay.
 * @param rootDispersionNs  the server's root dispersion.
 * @param stratum           the server's stratum.
 * @param leapIndicator     the server's leap indicator.
 * @param precisionLog2     the server's precision (log2 s).
 * @param referenceId       the server's reference id (unsigned 32 bits).
 * @param measuredAtMonoNs  monotonic ns when the chosen sample's reply arrived.
 * @param measuredAtEpochNs host epoch ns at that moment (T4).
 * @param usedSamples       how many samples the filter considered.
 * @param samples           every request of the round.
 * @param authenticated     true when the server was probed with NTS (RFC 8915) and the result comes from
 *                          authenticated replies only.
 * @param authFailures      NTS only: replies rejected by the NTS checks this round (altered, forged, replayed,
 *                          stripped); none of them was used.
 * @param authFailure       the last such rejection's description, or null.
 */
public record ServerResult(
    String server,
    String address,
    ServerStatus status,
    String message,
    String kissCode,
    long offsetNs,
    long boundNs,
    long delayNs,
    long dispersionNs,
    long jitterNs,
    long rootDelayNs,
    long rootDispersionNs,
    int stratum,
    int leapIndicator,
    int precisionLog2,
    long referenceId,
    long measuredAtMonoNs,
    long measuredAtEpochNs,
    int usedSamples,
    List<SampleRecord> samples,
    boolean authenticated,
    int authFailures,
    String authFailure)
{
    /**
     * A plain (unauthenticated) server's result: as the canonical constructor with {@code authenticated} false
     * and no NTS rejections.
     *
     * @param server            the server as named by the user.
     * @param address           the resolved address, or null.
     * @param status            what happened.
     * @param message           a one-line explanation when status is not OK.
     * @param kissCode          the last kiss code, or null.
     * @param offsetNs          θ of the chosen sample.
     * @param boundNs           bound of the chosen sample.
     * @param delayNs           δ of the chosen sample.
     * @param dispersionNs      ε of the chosen sample.
     * @param jitterNs          RMS offset difference of the used samples.
     * @param rootDelayNs       the server's root delay.
     * @param rootDispersionNs  the server's root dispersion.
     * @param stratum           the server's stratum.
     * @param leapIndicator     the server's leap indicator.
     * @param precisionLog2     the server's precision.
     * @param referenceId       the server's reference id.
     * @param measuredAtMonoNs  monotonic ns of the chosen sample's reply.
     * @param measuredAtEpochNs host epoch ns at that moment.
     * @param usedSamples       how many samples the filter considered.
     * @param samples           every request of the round.
     */
    public ServerResult(final String server, final String address, final ServerStatus status, final String message,
        final String kissCode, final long offsetNs, final long boundNs, final long delayNs, final long dispersionNs,
        final long jitterNs, final long rootDelayNs, final long rootDispersionNs, final int stratum,
        final int leapIndicator, final int precisionLog2, final long referenceId, final long measuredAtMonoNs,
        final long measuredAtEpochNs, final int usedSamples, final List<SampleRecord> samples)
    {
        this(server, address, status, message, kissCode, offsetNs, boundNs, delayNs, dispersionNs, jitterNs,
            rootDelayNs, rootDispersionNs, stratum, leapIndicator, precisionLog2, referenceId, measuredAtMonoNs,
            measuredAtEpochNs, usedSamples, samples, false, 0, null);
    }

    /**
     * @return one line; a failed server shows its status, that it is unbounded and its message, never the zeros
     * its measurement fields hold.
     */
    @Override
    public String toString()
    {
        if (!ok())
        {
            return "ServerResult[server=" + server + ", address=" + address + ", status=" + status + ", unbounded" +
                ", message=" + message + ", kissCode=" + kissCode + ", authFailures=" + authFailures +
                ", authFailure=" + authFailure + "]";
        }
        return "ServerResult[server=" + server + ", address=" + address + ", status=OK, offsetNs=" + offsetNs +
            ", boundNs=" + boundNs + ", delayNs=" + delayNs + ", dispersionNs=" + dispersionNs + ", jitterNs=" +
            jitterNs + ", rootDelayNs=" + rootDelayNs + ", rootDispersionNs=" + rootDispersionNs + ", stratum=" +
            stratum + ", leapIndicator=" + leapIndicator + ", precisionLog2=" + precisionLog2 + ", referenceId=" +
            referenceId + ", measuredAtMonoNs=" + measuredAtMonoNs + ", measuredAtEpochNs=" + measuredAtEpochNs +
            ", usedSamples=" + usedSamples + ", samples=" + samples + ", authenticated=" + authenticated +
            ", authFailures=" + authFailures + ", authFailure=" + authFailure + "]";
    }

    /**
     * @return true when the server produced a sample.
     */
    public boolean ok()
    {
        return status == ServerStatus.OK;
    }

    /**
     * @return θ of the chosen sample (server minus host).
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long offsetNs()
    {
        requireOk("offsetNs");
        return offsetNs;
    }

    /**
     * @return the chosen sample's bound; {@link ProbeResult#UNBOUNDED} if the server failed.
     */
    @Override
    public long boundNs()
    {
        return ok() ? boundNs : ProbeResult.UNBOUNDED;
    }

    /**
     * @return δ of the chosen sample.
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long delayNs()
    {
        requireOk("delayNs");
        return delayNs;
    }

    /**
     * @return ε of the chosen sample.
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long dispersionNs()
    {
        requireOk("dispersionNs");
        return dispersionNs;
    }

    /**
     * @return the RMS difference of the used samples' offsets from the chosen one.
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long jitterNs()
    {
        requireOk("jitterNs");
        return jitterNs;
    }

    /**
     * @return the server's root delay; {@link ProbeResult#UNBOUNDED} if the server failed.
     */
    @Override
    public long rootDelayNs()
    {
        return ok() ? rootDelayNs : ProbeResult.UNBOUNDED;
    }

    /**
     * @return the server's root dispersion; {@link ProbeResult#UNBOUNDED} if the server failed.
     */
    @Override
    public long rootDispersionNs()
    {
        return ok() ? rootDispersionNs : ProbeResult.UNBOUNDED;
    }

    /**
     * @return monotonic ns when the chosen sample's reply arrived.
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long measuredAtMonoNs()
    {
        requireOk("measuredAtMonoNs");
        return measuredAtMonoNs;
    }

    /**
     * @return host epoch ns when the chosen sample's reply arrived (T4).
     * @throws IllegalStateException if the server failed.
     */
    @Override
    public long measuredAtEpochNs()
    {
        requireOk("measuredAtEpochNs");
        return measuredAtEpochNs;
    }

    /**
     * @param atMonoNs a monotonic time at or after {@link #measuredAtMonoNs()}.
     * @return the bound aged to {@code atMonoNs}: plus 15 ppm of the time since the measurement, saturating at
     * {@link ProbeResult#UNBOUNDED}; {@link ProbeResult#UNBOUNDED} if the server failed.
     */
    public long boundAtNs(final long atMonoNs)
    {
        if (!ok())
        {
            return ProbeResult.UNBOUNDED;
        }
        final long ageNs = Math.max(0, atMonoNs - measuredAtMonoNs);
        final long agedNs = boundNs + (ageNs / 1_000_000) * NtpExchange.PHI_PPM +
            ((ageNs % 1_000_000) * NtpExchange.PHI_PPM + 999_999) / 1_000_000;
        return agedNs < 0 ? ProbeResult.UNBOUNDED : agedNs;
    }

    private void requireOk(final String accessor)
    {
        if (!ok())
        {
            throw new IllegalStateException(accessor + " of a server without a sample: " + message +
                "; check ok() first");
        }
    }

    /**
     * @return the reference id rendered as NTP tools do: a dotted IPv4 address for stratum 2 and above,
     * four ASCII letters for stratum 0 and 1.
     */
    public String referenceIdText()
    {
        if (stratum <= 1)
        {
            return NtpPacket.kissCodeToString(referenceId).trim();
        }
        return ((referenceId >>> 24) & 0xFF) + "." + ((referenceId >>> 16) & 0xFF) + "." +
            ((referenceId >>> 8) & 0xFF) + "." + (referenceId & 0xFF);
    }
}
