package dev.ordo.clocks.monitor;

import dev.ordo.clocks.api.ClockStatus;
import dev.ordo.clocks.api.ErrorBoundSource;
import dev.ordo.clocks.api.ErrorBounds;
import dev.ordo.clocks.api.MarzulloSelector;
import dev.ordo.clocks.api.OffsetArithmetic;

import java.util.concurrent.locks.StampedLock;

/**
 * Watches this node's clock against its peers' clocks, from the round trips the application already makes
 * (a heartbeat, an RPC), and tells the node when it is the one out of step: the capability behind
 * CockroachDB's {@code RemoteClockMonitor}, transport-agnostic and allocation-free.
 *
 * <h2>Measurements</h2>
 * Each observation is the four timestamps of one exchange with a peer (see {@link #observe}; or let
 * {@link ClockExchangeHeader} stamp and read them in a 32-byte header the messages carry). The offset
 * θ (peer clock minus this node's clock) and its hard bound come from {@link OffsetArithmetic}, the same
 * code as the NTP probe's: {@code |true offset − θ| ≤ ⌈δ/2⌉ + both clocks' resolution + 15 ppm × round trip},
 * whatever the path asymmetry, provided each timestamp is its clock's reading at its event (T1 no later than
 * the request left, T2 and T3 between the request's arrival and the reply's departure, T4 no earlier than the
 * reply arrived): a timestamp derived from a real-time reading and a monotonic one taken a pause apart can
 * miss its event by that pause, and the bound does not cover it (see {@link ClockExchangeHeader}'s read
 * order). A bound then grows by 15 ppm of its age. Per peer a clock filter keeps the
 * last {@code window} samples and uses the one with the smallest aged bound (NTP's minimum-delay filter);
 * samples older than {@code staleAfterNs} are ignored, and a peer with none left is not fresh.
 *
 * <h2>Verdict</h2>
 * With X the tolerated offset (default 80% of the HLC's max offset, CockroachDB's
 * {@code toleratedOffsetMultiplier}): a fresh peer is <em>certainly beyond</em> when its whole interval lies
 * further than X from 0 ({@code |θ| − bound > X}); otherwise it counts as in step, so an interval straddling
 * the threshold never condemns a node. With N = peers + 1 nodes in the cluster and a quorum of N/2 + 1:
 * {@link ClockVerdict#HEALTHY} when this node plus the in-step peers reach the quorum,
 * {@link ClockVerdict#OUT_OF_STEP} when the certainly-beyond peers do, {@link ClockVerdict#UNKNOWN} otherwise
 * (too few fresh peers). The two cannot both hold. Unlike CockroachDB, which judges against the nodes it
 * currently knows, the quorum is of the configured cluster, so a node that has heard from two far-off peers
 * only (right after start) waits instead of fencing itself.
 *
 * <h2>Majority interval</h2>
 * Every evaluation also runs Marzullo's selection ({@link MarzulloSelector}, shared with the probe) over the
 * fresh peers' intervals, each widened by {@code peerClockErrorNs} (how far each peer's own clock may be from
 * the cluster's time; 0 by default). When it finds one, {@code [majorityLowNs, majorityHighNs]} contains
 * (cluster time − this node's clock) if fewer than half the fresh peers are wrong, and
 * {@link #clusterErrorBound()} publishes {@code max(|low|, |high|)}, aged by 15 ppm, as an
 * {@link ErrorBoundSource}: a bounded clock fed with it is bounded relative to the cluster.
 *
 * <h2>Concurrency and cost</h2>
 * Thread-safe. {@link #observe} and {@link #evaluate} take one lock (so verdict changes are totally ordered
 * and the listener sees them in order), re-run the observed peer's filter (O(window)), age every peer's best
 * sample and re-run the selection (O(peers log peers)), and allocate nothing. {@link #verdict()} is a volatile read. {@link #clusterErrorBound()}'s
 * reads are lock-free and allocation-free (an optimistic {@link StampedLock} read, validated, retried under
 * the read lock only if an evaluation raced with it). Counters are exact.
 *
 * <h2>Clock jumps</h2>
 * Round trips are timed on the monotonic clock by {@link ClockExchangeHeader}; a step of this node's
 * real-time clock shows up in the next samples as the new offset (which is the point: the node's clock is
 * what is being judged). Old samples keep their old offsets until they are outvoted by smaller bounds or go
 * stale, so after a step the verdict follows within {@code window} observations of each peer at most.
 */
public final class PeerClockMonitor
{
    /** Default max offset, as the HLC's default: 500 ms. */
    public static final long DEFAULT_MAX_OFFSET_NS = 500_000_000L;
    /** Default tolerated offset as a fraction of the max offset: 4/5, CockroachDB's 0.8. */
    public static final long TOLERATED_NUMERATOR = 4;
    /** Denominator of {@link #TOLERATED_NUMERATOR}. */
    public static final long TOLERATED_DENOMINATOR = 5;
    /** Default clock filter window: 8 samples per peer, as RFC 5905's clock filter. */
    public static final int DEFAULT_WINDOW = 8;
    /** Default age after which a sample is ignored: 10 s. */
    public static final long DEFAULT_STALE_AFTER_NS = 10_000_000_000L;
    /**
     * Default reading error of each clock: 1 ms, right for clocks read through
     * {@link System#currentTimeMillis()}; lower it when both sides stamp with a finer clock.
     */
    public static final long DEFAULT_CLOCK_RESOLUTION_NS = 1_000_000L;

    private final int peers;
    private final int window;
    private final int quorum;
    private final long toleratedOffsetNs;
    private final long maxRoundTripNs;
    private final long staleAfterNs;
    private final long clockResolutionNs;
    private final long peerClockErrorNs;
    private final VerdictListener listener;
    private final Object lock = new Object();

    // guarded by lock
    private final long[] sampleOffsetNs;
    private final long[] sampleBoundNs;
    private final long[] sampleAtMonoNs;
    private final int[] sampleCount;
    private final int[] nextSlot;
    private final int[] bestSlot;
    private final long[] bestOffsetNs;
    private final long[] bestBoundNs;
    private final long[] lastSampleMonoNs;
    private final boolean[] fresh;
    private final boolean[] beyond;
    private final long[] scratchMidNs;
    private final long[] scratchBoundNs;
    private final MarzulloSelector selector;
    private long observations;
    private long rejectedObservations;
    private long evaluations;
    private long verdictChanges;
    private long outOfStepEvaluations;
    private int freshPeers;
    private int inStepPeers;
    private int beyondPeers;
    private boolean majorityFound;
    private long majorityLowNs;
    private long majorityHighNs;
    private volatile ClockVerdict verdict = ClockVerdict.UNKNOWN;

    // the published cluster bound, written under lock + clusterBoundLock's write lock
    private final StampedLock clusterBoundLock = new StampedLock();
    private long clusterBoundNs = -1;
    private long clusterBoundAtMonoNs;
    private final ErrorBoundSource clusterErrorBound = new ClusterErrorBound();
    private final ThreadLocal<ClusterBoundSnapshot> clusterBoundScratch =
        ThreadLocal.withInitial(() -> new ClusterBoundSnapshot(this));

    private PeerClockMonitor(final Builder builder)
    {
        peers = builder.peers;
        window = builder.window;
        quorum = (peers + 1) / 2 + 1;
        toleratedOffsetNs = builder.toleratedOffsetNs >= 0 ? builder.toleratedOffsetNs :
            builder.maxOffsetNs / TOLERATED_DENOMINATOR * TOLERATED_NUMERATOR +
            builder.maxOffsetNs % TOLERATED_DENOMINATOR * TOLERATED_NUMERATOR / TOLERATED_DENOMINATOR;
        maxRoundTripNs = builder.maxRoundTripNs >= 0 ? builder.maxRoundTripNs :
            OffsetArithmetic.saturatedAdd(toleratedOffsetNs, toleratedOffsetNs);
        staleAfterNs = builder.staleAfterNs;
        clockResolutionNs = builder.clockResolutionNs;
        peerClockErrorNs = builder.peerClockErrorNs;
        listener = builder.listener;
        sampleOffsetNs = new long[peers * window];
        sampleBoundNs = new long[peers * window];
        sampleAtMonoNs = new long[peers * window];
        sampleCount = new int[peers];
        nextSlot = new int[peers];
        bestSlot = new int[peers];
        java.util.Arrays.fill(bestSlot, -1);
        bestOffsetNs = new long[peers];
        bestBoundNs = new long[peers];
        lastSampleMonoNs = new long[peers];
        fresh = new boolean[peers];
        beyond = new boolean[peers];
        scratchMidNs = new long[peers];
        scratchBoundNs = new long[peers];
        selector = new MarzulloSelector(peers);
    }

    /**
     * @return a builder; {@link Builder#peers(int)} is required.
     */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Records one exchange with a peer and re-evaluates the verdict. T1 and T4 are read from this node's
     * real-time clock, T2 and T3 from the peer's; T4 − T1 should be measured on a monotonic clock
     * ({@link ClockExchangeHeader} does) so a step of this node's clock during the exchange cannot corrupt δ.
     * Then read T4 <em>before</em> the monotonic clock and derive T1 = T4 − (monotonic now − monotonic at send),
     * with the send's monotonic reading taken <em>before</em> the request's real-time stamp, if any: a pause
     * between two readings then only lengthens the round trip, instead of moving T1 past the request's
     * departure (which the bound would not cover).
     * An exchange whose round trip is negative, longer than {@code maxRoundTripNs}, or whose delay is negative
     * beyond the clocks' resolution is rejected (counted, state unchanged): on a sane network it can only come
     * from a misbehaving clock or a corrupted message. So is one whose timestamps are so far apart (near the
     * ends of the {@code long} range) that a difference of two of them, or the offset, does not fit in a
     * {@code long}: it would otherwise wrap to an arbitrary, possibly small, offset.
     *
     * @param peer      the peer's index, {@code 0 <= peer < peers()}.
     * @param t1EpochNs this node's clock when the request left.
     * @param t2EpochNs the peer's clock when the request arrived.
     * @param t3EpochNs the peer's clock when the reply left.
     * @param t4EpochNs this node's clock when the reply arrived.
     * @param t4MonoNs  this node's monotonic clock ({@link System#nanoTime()}) when the reply arrived: the
     *                  sample's time, from which it ages; pass the same clock to {@link #evaluate}.
     * @return true when the sample was accepted.
     * @throws IllegalArgumentException if {@code peer} is out of range (a programming error).
     */
    public boolean observe(
        final int peer,
        final long t1EpochNs,
        final long t2EpochNs,
        final long t3EpochNs,
        final long t4EpochNs,
        final long t4MonoNs)
    {
        checkPeer(peer);
        final long elapsedNs = t4EpochNs - t1EpochNs;
        final long holdNs = t3EpochNs - t2EpochNs;
        final long delayNs = OffsetArithmetic.delayNs(t1EpochNs, t2EpochNs, t3EpochNs, t4EpochNs);
        final long dispersionNs = OffsetArithmetic.dispersionNs(clockResolutionNs, clockResolutionNs, elapsedNs);
        final long outwardNs = t2EpochNs - t1EpochNs;
        final long returnNs = t3EpochNs - t4EpochNs;
        // a difference or the offset's sum that wraps would record a wrapped offset (a peer 2^63 ns away as in
        // step): such timestamps are not representable as an offset in a long, so the exchange is rejected
        final boolean representable = !subtractionOverflows(t4EpochNs, t1EpochNs, elapsedNs) &&
            !subtractionOverflows(t3EpochNs, t2EpochNs, holdNs) &&
            !subtractionOverflows(t2EpochNs, t1EpochNs, outwardNs) &&
            !subtractionOverflows(t3EpochNs, t4EpochNs, returnNs) &&
            ((outwardNs ^ (outwardNs + returnNs)) & (returnNs ^ (outwardNs + returnNs))) >= 0;
        final boolean sane = representable && elapsedNs >= 0 && elapsedNs <= maxRoundTripNs &&
            holdNs >= -2 * clockResolutionNs && delayNs >= -dispersionNs;
        synchronized (lock)
        {
            if (!sane)
            {
                rejectedObservations++;
                return false;
            }
            observations++;
            final int slot = peer * window + nextSlot[peer];
            sampleOffsetNs[slot] = OffsetArithmetic.offsetNs(t1EpochNs, t2EpochNs, t3EpochNs, t4EpochNs);
            sampleBoundNs[slot] = OffsetArithmetic.boundNs(delayNs, dispersionNs);
            sampleAtMonoNs[slot] = t4MonoNs;
            nextSlot[peer] = nextSlot[peer] + 1 == window ? 0 : nextSlot[peer] + 1;
            sampleCount[peer] = Math.min(window, sampleCount[peer] + 1);
            lastSampleMonoNs[peer] = t4MonoNs;
            selectBest(peer, t4MonoNs);
            evaluateLocked(t4MonoNs);
        }
        return true;
    }

    /** Whether {@code a − b}, computed as {@code difference}, wrapped around. */
    private static boolean subtractionOverflows(final long a, final long b, final long difference)
    {
        return ((a ^ b) & (a ^ difference)) < 0;
    }

    /**
     * Re-evaluates at {@code nowMonoNs} without a new sample: ages every bound and expires stale samples (call
     * it on a timer, so that a partition, where no observation arrives, turns the verdict to UNKNOWN).
     *
     * @param nowMonoNs the monotonic clock now.
     * @return the verdict.
     */
    public ClockVerdict evaluate(final long nowMonoNs)
    {
        synchronized (lock)
        {
            evaluateLocked(nowMonoNs);
            return verdict;
        }
    }

    private void evaluateLocked(final long nowMonoNs)
    {
        evaluations++;
        int freshCount = 0;
        int inStep = 0;
        int beyondCount = 0;
        for (int p = 0; p < peers; p++)
        {
            int best = bestSlot[p];
            if (best >= 0 && nowMonoNs - sampleAtMonoNs[best] > staleAfterNs)
            {
                best = selectBest(p, nowMonoNs);
            }
            fresh[p] = best >= 0;
            beyond[p] = false;
            if (best < 0)
            {
                continue;
            }
            final long bestBound = OffsetArithmetic.agedBoundNs(sampleBoundNs[best], nowMonoNs - sampleAtMonoNs[best]);
            final long bestOffset = sampleOffsetNs[best];
            bestOffsetNs[p] = bestOffset;
            bestBoundNs[p] = bestBound;
            scratchMidNs[freshCount] = bestOffset;
            scratchBoundNs[freshCount] = OffsetArithmetic.saturatedAdd(bestBound, peerClockErrorNs);
            freshCount++;
            // certainly beyond: |θ| − bound > X, written without overflow
            final long distanceNs = bestOffset == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(bestOffset);
            if (distanceNs > OffsetArithmetic.saturatedAdd(toleratedOffsetNs, bestBound))
            {
                beyond[p] = true;
                beyondCount++;
            }
            else
            {
                inStep++;
            }
        }
        freshPeers = freshCount;
        inStepPeers = inStep;
        beyondPeers = beyondCount;
        final ClockVerdict next = 1 + inStep >= quorum ? ClockVerdict.HEALTHY :
            beyondCount >= quorum ? ClockVerdict.OUT_OF_STEP : ClockVerdict.UNKNOWN;
        if (next == ClockVerdict.OUT_OF_STEP)
        {
            outOfStepEvaluations++;
        }
        majorityFound = selector.select(scratchMidNs, scratchBoundNs, freshCount);
        majorityLowNs = majorityFound ? selector.lowNs() : 0;
        majorityHighNs = majorityFound ? selector.highNs() : 0;
        final long stamp = clusterBoundLock.writeLock();
        try
        {
            clusterBoundNs = majorityFound ? Math.max(absSaturated(majorityLowNs), absSaturated(majorityHighNs)) : -1;
            clusterBoundAtMonoNs = nowMonoNs;
        }
        finally
        {
            clusterBoundLock.unlockWrite(stamp);
        }
        final ClockVerdict previous = verdict;
        if (next != previous)
        {
            verdictChanges++;
            verdict = next;
            listener.onVerdictChange(previous, next, this);
        }
    }

    /**
     * The clock filter for one peer: the fresh sample with the smallest aged bound. The choice does not depend
     * on when it is made (aged bounds all grow at 15 ppm, so their order is fixed) except through expiry, so
     * it is redone only when the peer gets a sample (which may also evict the best one from the window) or
     * its best sample goes stale: an evaluation costs O(peers), not O(peers × window).
     */
    private int selectBest(final int peer, final long nowMonoNs)
    {
        int best = -1;
        long bestBound = Long.MAX_VALUE;
        final int base = peer * window;
        for (int k = 0; k < sampleCount[peer]; k++)
        {
            final long ageNs = nowMonoNs - sampleAtMonoNs[base + k];
            if (ageNs > staleAfterNs)
            {
                continue;
            }
            final long aged = OffsetArithmetic.agedBoundNs(sampleBoundNs[base + k], ageNs);
            if (aged < bestBound)
            {
                bestBound = aged;
                best = base + k;
            }
        }
        bestSlot[peer] = best;
        return best;
    }

    private static long absSaturated(final long value)
    {
        return value == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(value);
    }

    /**
     * @return the verdict of the last observation or evaluation; {@link ClockVerdict#UNKNOWN} before any.
     */
    public ClockVerdict verdict()
    {
        return verdict;
    }

    /**
     * An {@link ErrorBoundSource} for a bounded clock, relative to the cluster: {@code max(|low|, |high|)} of
     * the last majority interval plus 15 ppm of its age, status {@link ClockStatus#SYNCHRONIZED}; unknown when
     * the last evaluation found no majority, or it is older than {@code staleAfterNs} (or from the future by
     * more than that). Lock-free and allocation-free; the same instance every call. Its
     * {@link ErrorBoundSource#snapshot()} copies the published bound under an optimistic read of the lock into
     * a per-thread scratch object (allocated on a thread's first snapshot), and
     * {@link ErrorBoundSource#errorBoundFrom(Object, long)} validates that read's stamp: an evaluation that
     * published a new bound in between makes it answer {@link ErrorBounds#SNAPSHOT_CHANGED}, so a bounded clock
     * judges each reading by the bound that was current while it was taken.
     *
     * @return the source.
     */
    public ErrorBoundSource clusterErrorBound()
    {
        return clusterErrorBound;
    }

    private long clusterErrorBoundAt(final long monotonicNs)
    {
        long stamp = clusterBoundLock.tryOptimisticRead();
        long boundNs = clusterBoundNs;
        long atMonoNs = clusterBoundAtMonoNs;
        if (!clusterBoundLock.validate(stamp))
        {
            stamp = clusterBoundLock.readLock();
            try
            {
                boundNs = clusterBoundNs;
                atMonoNs = clusterBoundAtMonoNs;
            }
            finally
            {
                clusterBoundLock.unlockRead(stamp);
            }
        }
        return clusterErrorBoundAt(boundNs, atMonoNs, monotonicNs);
    }

    private ClusterBoundSnapshot clusterBoundSnapshot()
    {
        final ClusterBoundSnapshot snapshot = clusterBoundScratch.get();
        long stamp = clusterBoundLock.tryOptimisticRead();
        snapshot.boundNs = clusterBoundNs;
        snapshot.atMonoNs = clusterBoundAtMonoNs;
        if (!clusterBoundLock.validate(stamp))
        {
            // A writer holds or just released the lock: copy under the read lock, then keep an optimistic stamp
            // from that moment on (the conversion releases the read lock), for errorBoundFrom to validate.
            stamp = clusterBoundLock.readLock();
            snapshot.boundNs = clusterBoundNs;
            snapshot.atMonoNs = clusterBoundAtMonoNs;
            stamp = clusterBoundLock.tryConvertToOptimisticRead(stamp);
        }
        snapshot.stamp = stamp;
        return snapshot;
    }

    private long clusterErrorBoundFrom(final Object snapshot, final long monotonicNs)
    {
        if (!(snapshot instanceof ClusterBoundSnapshot) || ((ClusterBoundSnapshot)snapshot).monitor != this)
        {
            return ErrorBounds.UNKNOWN;
        }
        final ClusterBoundSnapshot taken = (ClusterBoundSnapshot)snapshot;
        if (taken != clusterBoundScratch.get())
        {
            return ErrorBounds.UNKNOWN; // another thread's scratch, which that thread may be rewriting
        }
        // The stamp was taken before the caller's real-time read; still valid now (after its monotonic read)
        // means no evaluation wrote the bound in between, so the copy was the current bound throughout.
        if (!clusterBoundLock.validate(taken.stamp))
        {
            return ErrorBounds.SNAPSHOT_CHANGED;
        }
        return clusterErrorBoundAt(taken.boundNs, taken.atMonoNs, monotonicNs);
    }

    private long clusterErrorBoundAt(final long boundNs, final long atMonoNs, final long monotonicNs)
    {
        final long ageNs = monotonicNs - atMonoNs;
        if (boundNs < 0 || ageNs > staleAfterNs || ageNs < -staleAfterNs)
        {
            return ErrorBounds.UNKNOWN;
        }
        return ErrorBounds.of(OffsetArithmetic.agedBoundNs(boundNs, Math.abs(ageNs)), ClockStatus.SYNCHRONIZED);
    }

    private void checkPeer(final int peer)
    {
        if (peer < 0 || peer >= peers)
        {
            throw new IllegalArgumentException("peer index " + peer + " is out of range [0, " + peers + ")");
        }
    }

    /**
     * @return the number of peers (the cluster has one more node: this one).
     */
    public int peers()
    {
        return peers;
    }

    /**
     * @return nodes needed for a verdict: a strict majority of peers + 1.
     */
    public int quorum()
    {
        return quorum;
    }

    /**
     * @return the tolerated offset X, ns.
     */
    public long toleratedOffsetNs()
    {
        return toleratedOffsetNs;
    }

    /**
     * @return the longest round trip accepted, ns.
     */
    public long maxRoundTripNs()
    {
        return maxRoundTripNs;
    }

    /**
     * @return the age after which a sample is ignored, ns.
     */
    public long staleAfterNs()
    {
        return staleAfterNs;
    }

    /**
     * @param peer the peer's index.
     * @return whether the peer had a fresh sample at the last evaluation.
     */
    public boolean isPeerFresh(final int peer)
    {
        checkPeer(peer);
        synchronized (lock)
        {
            return fresh[peer];
        }
    }

    /**
     * @param peer the peer's index.
     * @return the filter's best offset (peer clock minus this node's) at the last evaluation, ns; 0 if the
     * peer was not fresh.
     */
    public long peerOffsetNs(final int peer)
    {
        checkPeer(peer);
        synchronized (lock)
        {
            return fresh[peer] ? bestOffsetNs[peer] : 0;
        }
    }

    /**
     * @param peer the peer's index.
     * @return the best sample's bound, aged to the last evaluation, ns; {@link Long#MAX_VALUE} if the peer was
     * not fresh.
     */
    public long peerBoundNs(final int peer)
    {
        checkPeer(peer);
        synchronized (lock)
        {
            return fresh[peer] ? bestBoundNs[peer] : Long.MAX_VALUE;
        }
    }

    /**
     * @param peer the peer's index.
     * @return monotonic time of the peer's newest sample, {@link Long#MIN_VALUE} if none yet (its age is
     * {@code now − this}).
     */
    public long peerLastSampleMonoNs(final int peer)
    {
        checkPeer(peer);
        synchronized (lock)
        {
            return sampleCount[peer] == 0 ? Long.MIN_VALUE : lastSampleMonoNs[peer];
        }
    }

    /**
     * @param peer the peer's index.
     * @return true when, at the last evaluation, the peer's whole interval lay further than the tolerated
     * offset from this node's clock (so, seen from a healthy node, the peer is the one out of step).
     */
    public boolean isPeerOutOfStep(final int peer)
    {
        checkPeer(peer);
        synchronized (lock)
        {
            return beyond[peer];
        }
    }

    /**
     * @return peers with a fresh sample at the last evaluation.
     */
    public int freshPeers()
    {
        synchronized (lock)
        {
            return freshPeers;
        }
    }

    /**
     * @return fresh peers that may be within the tolerated offset, at the last evaluation.
     */
    public int inStepPeers()
    {
        synchronized (lock)
        {
            return inStepPeers;
        }
    }

    /**
     * @return fresh peers certainly beyond the tolerated offset, at the last evaluation.
     */
    public int outOfStepPeers()
    {
        synchronized (lock)
        {
            return beyondPeers;
        }
    }

    /**
     * @return whether the last evaluation's Marzullo selection found a majority interval.
     */
    public boolean majorityFound()
    {
        synchronized (lock)
        {
            return majorityFound;
        }
    }

    /**
     * @return the majority interval's lower end (cluster minus this node), ns; 0 when not found.
     */
    public long majorityLowNs()
    {
        synchronized (lock)
        {
            return majorityLowNs;
        }
    }

    /**
     * @return the majority interval's upper end, ns; 0 when not found.
     */
    public long majorityHighNs()
    {
        synchronized (lock)
        {
            return majorityHighNs;
        }
    }

    /**
     * @return accepted observations.
     */
    public long observations()
    {
        synchronized (lock)
        {
            return observations;
        }
    }

    /**
     * @return rejected observations (impossible timestamps or round trips longer than allowed).
     */
    public long rejectedObservations()
    {
        synchronized (lock)
        {
            return rejectedObservations;
        }
    }

    /**
     * @return evaluations (one per accepted observation, plus explicit {@link #evaluate} calls).
     */
    public long evaluations()
    {
        synchronized (lock)
        {
            return evaluations;
        }
    }

    /**
     * @return evaluations that concluded {@link ClockVerdict#OUT_OF_STEP}.
     */
    public long outOfStepEvaluations()
    {
        synchronized (lock)
        {
            return outOfStepEvaluations;
        }
    }

    /**
     * @return how often the verdict changed.
     */
    public long verdictChanges()
    {
        synchronized (lock)
        {
            return verdictChanges;
        }
    }

    @Override
    public String toString()
    {
        synchronized (lock)
        {
            return "PeerClockMonitor{verdict=" + verdict + ", peers=" + peers + ", fresh=" + freshPeers +
                ", inStep=" + inStepPeers + ", outOfStep=" + beyondPeers + ", toleratedOffsetNs=" +
                toleratedOffsetNs + ", observations=" + observations + ", rejected=" + rejectedObservations + "}";
        }
    }

    /** Settings of a {@link PeerClockMonitor}; every value is checked when set. Not thread-safe. */
    public static final class Builder
    {
        private int peers = -1;
        private int window = DEFAULT_WINDOW;
        private long maxOffsetNs = DEFAULT_MAX_OFFSET_NS;
        private long toleratedOffsetNs = -1;
        private long maxRoundTripNs = -1;
        private long staleAfterNs = DEFAULT_STALE_AFTER_NS;
        private long clockResolutionNs = DEFAULT_CLOCK_RESOLUTION_NS;
        private long peerClockErrorNs;
        private VerdictListener listener = VerdictListener.NONE;

        private Builder()
        {
        }

        /**
         * @param count the number of other nodes in the cluster, indexed {@code 0 .. count − 1}, {@code >= 1}.
         * @return this builder.
         * @throws IllegalArgumentException if below 1 or absurdly large (over 2<sup>20</sup>).
         */
        public Builder peers(final int count)
        {
            if (count < 1 || count > 1 << 20)
            {
                throw new IllegalArgumentException("peers must be in [1, 1048576]: " + count);
            }
            this.peers = count;
            return this;
        }

        /**
         * @param samples the clock filter's window per peer, {@code 1..64}; default {@value #DEFAULT_WINDOW}.
         * @return this builder.
         * @throws IllegalArgumentException if out of range.
         */
        public Builder window(final int samples)
        {
            if (samples < 1 || samples > 64)
            {
                throw new IllegalArgumentException("window must be in [1, 64] samples: " + samples);
            }
            this.window = samples;
            return this;
        }

        /**
         * @param ns the HLC's max offset (the bound every node's timestamps rely on); the tolerated offset
         *           defaults to 4/5 of it. Default 500 ms.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder maxOffsetNs(final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException("maxOffsetNs must be positive: " + ns);
            }
            this.maxOffsetNs = ns;
            return this;
        }

        /**
         * @param ns the tolerated offset X itself, overriding 4/5 of the max offset, {@code >= 0}.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder toleratedOffsetNs(final long ns)
        {
            if (ns < 0)
            {
                throw new IllegalArgumentException("toleratedOffsetNs must be >= 0: " + ns);
            }
            this.toleratedOffsetNs = ns;
            return this;
        }

        /**
         * @param ns the longest round trip a sample may take (its bound would be at least half of it); default
         *           twice the tolerated offset, as CockroachDB's heartbeats.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder maxRoundTripNs(final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException("maxRoundTripNs must be positive: " + ns);
            }
            this.maxRoundTripNs = ns;
            return this;
        }

        /**
         * @param ns age after which a sample is ignored; default 10 s. Choose several heartbeat intervals.
         * @return this builder.
         * @throws IllegalArgumentException if not positive.
         */
        public Builder staleAfterNs(final long ns)
        {
            if (ns <= 0)
            {
                throw new IllegalArgumentException("staleAfterNs must be positive: " + ns);
            }
            this.staleAfterNs = ns;
            return this;
        }

        /**
         * @param ns the reading error (resolution) of each side's real-time clock; default 1 ms (clocks read in
         *           milliseconds). Too small a value makes bounds dishonest.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder clockResolutionNs(final long ns)
        {
            if (ns < 0)
            {
                throw new IllegalArgumentException("clockResolutionNs must be >= 0: " + ns);
            }
            this.clockResolutionNs = ns;
            return this;
        }

        /**
         * @param ns how far each peer's clock may be from the cluster's time, added to every peer's interval
         *           before the majority selection (not to the verdict); default 0.
         * @return this builder.
         * @throws IllegalArgumentException if negative.
         */
        public Builder peerClockErrorNs(final long ns)
        {
            if (ns < 0)
            {
                throw new IllegalArgumentException("peerClockErrorNs must be >= 0: " + ns);
            }
            this.peerClockErrorNs = ns;
            return this;
        }

        /**
         * @param listener told of every verdict change; default none.
         * @return this builder.
         * @throws NullPointerException if null.
         */
        public Builder listener(final VerdictListener listener)
        {
            this.listener = java.util.Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * @return the monitor.
         * @throws IllegalStateException if {@link #peers(int)} was not set.
         */
        public PeerClockMonitor build()
        {
            if (peers < 0)
            {
                throw new IllegalStateException("peers(count) is required: how many other nodes the cluster has");
            }
            return new PeerClockMonitor(this);
        }
    }

    /** {@link #clusterErrorBound()}: the published bound with the snapshot read order. */
    private final class ClusterErrorBound implements ErrorBoundSource
    {
        @Override
        public long errorBound(final long monotonicNs)
        {
            return clusterErrorBoundAt(monotonicNs);
        }

        @Override
        public Object snapshot()
        {
            return clusterBoundSnapshot();
        }

        @Override
        public long errorBoundFrom(final Object snapshot, final long monotonicNs)
        {
            return clusterErrorBoundFrom(snapshot, monotonicNs);
        }

        @Override
        public String toString()
        {
            return "PeerClockMonitor.clusterErrorBound";
        }
    }

    /** One thread's copy of the published cluster bound and the optimistic stamp it was read under. */
    private static final class ClusterBoundSnapshot
    {
        final PeerClockMonitor monitor;
        long stamp;
        long boundNs;
        long atMonoNs;

        ClusterBoundSnapshot(final PeerClockMonitor monitor)
        {
            this.monitor = monitor;
        }
    }
}
