package dev.ordo.ntp;

import java.util.List;

/**
 * The combined result of one probe round: the servers' intersection (Marzullo / RFC 5905 selection), with
 * primitives ready to feed a bounded-uncertainty clock. Immutable.
 *
 * <p>When {@link #status()} is {@link ProbeStatus#OK}, the host's true offset (server reference time minus
 * host time) lay in {@code [offsetNs − boundNs, offsetNs + boundNs]} at {@code measuredAtMonoNs}, provided at
 * most {@code allowedFalsetickers} of the usable servers were wrong. A consumer ages the bound by its own
 * drift allowance from {@code measuredAtMonoNs} on, as AWS ClockBound does.
 *
 * @param status              the verdict.
 * @param offsetNs            midpoint of the intersection (0 unless OK).
 * @param boundNs             half-width of the intersection, at least 1 ns (0 unless OK).
 * @param lowNs               lower end of the intersection.
 * @param highNs              upper end of the intersection.
 * @param rootDelayNs         root delay of the best truechimer (smallest bound) plus its δ: its round trip to
 *                            the primary reference.
 * @param rootDispersionNs    root dispersion of the best truechimer plus its ε.
 * @param measuredAtMonoNs    monotonic time the result refers to (the latest chosen sample's arrival).
 * @param measuredAtEpochNs   host epoch time at {@code measuredAtMonoNs}.
 * @param allowedFalsetickers how many servers the selection allowed to be wrong.
 * @param servers             every server's result, in the order given.
 * @param truechimers         the servers that agree (their {@code server} names).
 * @param falsetickers        usable servers that do not agree.
 */
public record ProbeResult(
    ProbeStatus status,
    long offsetNs,
    long boundNs,
    long lowNs,
    long highNs,
    long rootDelayNs,
    long rootDispersionNs,
    long measuredAtMonoNs,
    long measuredAtEpochNs,
    int allowedFalsetickers,
    List<ServerResult> servers,
    List<String> truechimers,
    List<String> falsetickers)
{
    /**
     * Combines per-server results: ages every usable server's bound to the latest measurement time, selects
     * with {@link IntervalSelection}, and takes the intersection's midpoint and half-width.
     *
     * @param servers every server's result.
     * @return the combined result.
     */
    public static ProbeResult combine(final List<ServerResult> servers)
    {
        final List<ServerResult> usable = servers.stream().filter(ServerResult::ok).toList();
        if (usable.isEmpty())
        {
            return new ProbeResult(
                ProbeStatus.NO_USABLE_SERVER, 0, 0, 0, 0, 0, 0, 0, 0, 0, servers, List.of(), List.of());
        }
        long atMonoNs = Long.MIN_VALUE;
        long atEpochNs = 0;
        for (final ServerResult r : usable)
        {
            if (r.measuredAtMonoNs() > atMonoNs)
            {
                atMonoNs = r.measuredAtMonoNs();
                atEpochNs = r.measuredAtEpochNs();
            }
        }
        final long[] offsets = new long[usable.size()];
        final long[] bounds = new long[usable.size()];
        for (int i = 0; i < offsets.length; i++)
        {
            offsets[i] = usable.get(i).offsetNs();
            bounds[i] = usable.get(i).boundAtNs(atMonoNs);
        }
        final IntervalSelection selection = IntervalSelection.select(offsets, bounds);
        if (!selection.found())
        {
            return new ProbeResult(ProbeStatus.NO_MAJORITY, 0, 0, 0, 0, 0, 0, atMonoNs, atEpochNs, 0, servers,
                List.of(), usable.stream().map(ServerResult::server).toList());
        }
        final List<String> truechimers = new java.util.ArrayList<>();
        final List<String> falsetickers = new java.util.ArrayList<>();
        ServerResult best = null;
        for (int i = 0; i < offsets.length; i++)
        {
            final ServerResult r = usable.get(i);
            if (selection.truechimer()[i])
            {
                truechimers.add(r.server());
                if (best == null || bounds[i] < best.boundAtNs(atMonoNs))
                {
                    best = r;
                }
            }
            else
            {
                falsetickers.add(r.server());
            }
        }
        final long low = selection.lowNs();
        final long high = selection.highNs();
        final long offset = dev.ordo.clocks.api.OffsetArithmetic.midpointNs(low, high);
        final long bound = Math.max(1, Math.max(high - offset, offset - low));
        return new ProbeResult(ProbeStatus.OK, offset, bound, low, high,
            best.rootDelayNs() + best.delayNs(), best.rootDispersionNs() + best.dispersionNs(),
            atMonoNs, atEpochNs, selection.falsetickers(), servers, List.copyOf(truechimers),
            List.copyOf(falsetickers));
    }

    /**
     * @return true when the combined offset and bound are valid.
     */
    public boolean ok()
    {
        return status == ProbeStatus.OK;
    }

    /**
     * @return |offset| + bound: the most the host can be off by, the figure {@code --max-offset} checks.
     */
    public long worstCaseOffsetNs()
    {
        return Math.abs(offsetNs) + boundNs;
    }

    /**
     * Receives a measured bound on this host's clock error; {@code DriftErrorBound::updateBound} from
     * Ordo's bounded clock fits, so {@code result.feed(drift::updateBound)} makes its intervals come from
     * this measurement.
     */
    @FunctionalInterface
    public interface BoundSink
    {
        /**
         * @param boundNs         bound on |host clock − true time| at {@code syncMonotonicNs}.
         * @param syncMonotonicNs when the bound held, on the {@code System.nanoTime()} clock.
         * @return true when the sink took it.
         */
        boolean accept(long boundNs, long syncMonotonicNs);
    }

    /**
     * Feeds this result to a bounded clock's error model: the bound is {@link #worstCaseOffsetNs()} (the
     * host's true offset lay within {@code offsetNs ± boundNs}, so |true offset| is at most that), taken at
     * {@link #measuredAtMonoNs()}; the sink ages it by its own drift allowance from then on. A result that
     * is not {@link #ok()} feeds nothing, so the sink's model keeps ageing towards free-running and unknown
     * instead of being told a number that was never measured.
     *
     * @param sink e.g. {@code drift::updateBound}.
     * @return true when the sink accepted a bound.
     */
    public boolean feed(final BoundSink sink)
    {
        return ok() && sink.accept(worstCaseOffsetNs(), measuredAtMonoNs);
    }
}
