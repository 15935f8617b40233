package dev.ordo.ntp;

import java.util.List;

/**
 * The combined result of one probe round: the servers' intersection (Marzullo / RFC 5905 selection), with
 * primitives ready to feed a bounded-uncertainty clock. Immutable and thread-safe.
 *
 * <p>When {@link #status()} is {@link ProbeStatus#OK}, the host's true offset (server reference time minus
 * host time) lay in {@code [offsetNs − boundNs, offsetNs + boundNs]} at {@code measuredAtMonoNs}, provided at
 * most {@code allowedFalsetickers} of the usable servers were wrong. A consumer ages the bound by its own
 * drift allowance from {@code measuredAtMonoNs} on, as AWS ClockBound does.
 *
 * <h2>A failed round cannot pass for a perfect one</h2>
 * When the round failed ({@link #ok()} false: no usable server, or no majority), nothing was measured, and the
 * accessors say so instead of returning zeros:
 * <ul>
 *   <li>the error bounds are unbounded: {@link #boundNs()}, {@link #worstCaseOffsetNs()},
 *       {@link #rootDelayNs()} and {@link #rootDispersionNs()} return {@link #UNBOUNDED} ({@code Long.MAX_VALUE}),
 *       {@link #lowNs()} returns {@code Long.MIN_VALUE} and {@link #highNs()} {@code Long.MAX_VALUE}: the true
 *       offset could be anything. So {@code result.worstCaseOffsetNs() > limitNs} is true, and a check written
 *       without looking at {@link #ok()} fails safe;</li>
 *   <li>values that only a measurement has throw {@link IllegalStateException} naming the failure:
 *       {@link #offsetNs()}, {@link #measuredAtMonoNs()}, {@link #measuredAtEpochNs()};</li>
 *   <li>{@link #feed} feeds nothing; {@link #failure()} says why in one line.</li>
 * </ul>
 *
 * @param status              the verdict.
 * @param offsetNs            midpoint of the intersection.
 * @param boundNs             half-width of the intersection, at least 1 ns.
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
    /** What the error bounds of a failed round are: {@code Long.MAX_VALUE}, i.e. no bound at all. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    /**
     * Validates the result.
     *
     * @param status              the verdict.
     * @param offsetNs            midpoint of the intersection.
     * @param boundNs             half-width of the intersection, at least 1 ns when OK.
     * @param lowNs               lower end of the intersection.
     * @param highNs              upper end of the intersection.
     * @param rootDelayNs         root delay of the best truechimer plus its δ.
     * @param rootDispersionNs    root dispersion of the best truechimer plus its ε.
     * @param measuredAtMonoNs    monotonic time the result refers to.
     * @param measuredAtEpochNs   host epoch time at {@code measuredAtMonoNs}.
     * @param allowedFalsetickers how many servers the selection allowed to be wrong.
     * @param servers             every server's result, in the order given.
     * @param truechimers         the servers that agree.
     * @param falsetickers        usable servers that do not agree.
     * @throws IllegalArgumentException if an OK result has a bound below 1 ns or an offset outside
     *                                  {@code [lowNs, highNs]}, or a list is null.
     */
    public ProbeResult
    {
        if (status == null || servers == null || truechimers == null || falsetickers == null)
        {
            throw new IllegalArgumentException("status and lists must not be null");
        }
        if (status == ProbeStatus.OK && (boundNs < 1 || lowNs > offsetNs || offsetNs > highNs))
        {
            throw new IllegalArgumentException("an OK result needs bound >= 1 ns and low <= offset <= high: " +
                lowNs + " <= " + offsetNs + " <= " + highNs + ", bound " + boundNs);
        }
        servers = List.copyOf(servers);
        truechimers = List.copyOf(truechimers);
        falsetickers = List.copyOf(falsetickers);
    }

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
     * @return true when the combined offset and bound are valid (a majority of usable servers agreed).
     */
    public boolean ok()
    {
        return status == ProbeStatus.OK;
    }

    /**
     * @return the midpoint of the intersection: server time minus host time (positive: this host is behind).
     * @throws IllegalStateException if the round failed (see {@link #failure()}): there is no estimate.
     */
    @Override
    public long offsetNs()
    {
        requireOk("offsetNs");
        return offsetNs;
    }

    /**
     * @return the half-width of the intersection, at least 1 ns; {@link #UNBOUNDED} if the round failed.
     */
    @Override
    public long boundNs()
    {
        return ok() ? boundNs : UNBOUNDED;
    }

    /**
     * @return the lower end of the interval that holds the true offset; {@code Long.MIN_VALUE} if the round
     * failed.
     */
    @Override
    public long lowNs()
    {
        return ok() ? lowNs : Long.MIN_VALUE;
    }

    /**
     * @return the upper end of the interval that holds the true offset; {@code Long.MAX_VALUE} if the round
     * failed.
     */
    @Override
    public long highNs()
    {
        return ok() ? highNs : Long.MAX_VALUE;
    }

    /**
     * @return the best truechimer's root delay plus its δ; {@link #UNBOUNDED} if the round failed.
     */
    @Override
    public long rootDelayNs()
    {
        return ok() ? rootDelayNs : UNBOUNDED;
    }

    /**
     * @return the best truechimer's root dispersion plus its ε; {@link #UNBOUNDED} if the round failed.
     */
    @Override
    public long rootDispersionNs()
    {
        return ok() ? rootDispersionNs : UNBOUNDED;
    }

    /**
     * @return the monotonic ({@code System.nanoTime()}) time the bound held at.
     * @throws IllegalStateException if the round failed: nothing was measured.
     */
    @Override
    public long measuredAtMonoNs()
    {
        requireOk("measuredAtMonoNs");
        return measuredAtMonoNs;
    }

    /**
     * @return the host's epoch time at {@link #measuredAtMonoNs()}.
     * @throws IllegalStateException if the round failed: nothing was measured.
     */
    @Override
    public long measuredAtEpochNs()
    {
        requireOk("measuredAtEpochNs");
        return measuredAtEpochNs;
    }

    /**
     * @return |offset| + bound: the most the host can be off by, the figure {@code --max-offset} checks;
     * {@link #UNBOUNDED} if the round failed, so {@code worstCaseOffsetNs() > limitNs} holds for any limit.
     */
    public long worstCaseOffsetNs()
    {
        if (!ok())
        {
            return UNBOUNDED;
        }
        final long worst = Math.abs(offsetNs) + boundNs;
        return worst < 0 ? UNBOUNDED : worst;
    }

    /**
     * @return null when {@link #ok()}; otherwise one line saying why nothing was measured, e.g.
     * {@code "no usable server (127.0.0.1:9: port unreachable: no NTP server answers at 127.0.0.1:9)"}.
     */
    public String failure()
    {
        return switch (status)
        {
            case OK -> null;
            case NO_MAJORITY -> "no majority: the servers disagree (" + String.join(", ", falsetickers) + ")";
            case NO_USABLE_SERVER -> "no usable server" + (servers.isEmpty() ? "" : " (" + String.join("; ",
                servers.stream().map(s -> s.message() == null ? s.server() + ": " + s.status() : s.message())
                    .toList()) + ")");
        };
    }

    /**
     * @return one line; a failed round shows its status, that it is unbounded and why ({@link #failure()}),
     * never the zeros its fields hold, so a log line cannot make it read as a perfect measurement.
     */
    @Override
    public String toString()
    {
        if (!ok())
        {
            return "ProbeResult[status=" + status + ", unbounded, failure=" + failure() + ", servers=" + servers + "]";
        }
        return "ProbeResult[status=OK, offsetNs=" + offsetNs + ", boundNs=" + boundNs + ", lowNs=" + lowNs +
            ", highNs=" + highNs + ", rootDelayNs=" + rootDelayNs + ", rootDispersionNs=" + rootDispersionNs +
            ", measuredAtMonoNs=" + measuredAtMonoNs + ", measuredAtEpochNs=" + measuredAtEpochNs +
            ", allowedFalsetickers=" + allowedFalsetickers + ", truechimers=" + truechimers + ", falsetickers=" +
            falsetickers + ", servers=" + servers + "]";
    }

    private void requireOk(final String accessor)
    {
        if (!ok())
        {
            throw new IllegalStateException(accessor + " of a failed probe round: " + failure() +
                "; check ok() first");
        }
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

    /**
     * @return true when the combined result rests on NTS-authenticated measurements only: it is {@link #ok()}
     * and every server that agrees (every truechimer, whose intervals make the intersection) was probed with NTS
     * ({@link ServerResult#authenticated()}). A plain server among the truechimers makes it false, since an
     * on-path attacker could have moved that server's interval.
     */
    public boolean authenticated()
    {
        if (!ok())
        {
            return false;
        }
        for (final ServerResult server : servers)
        {
            if (truechimers.contains(server.server()) && server.ok() && !server.authenticated())
            {
                return false;
            }
        }
        return true;
    }
}
