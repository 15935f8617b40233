package dev.ordo.clocks.hlc;

import dev.ordo.clocks.lamport.AtomicLamportClock;
import dev.ordo.clocks.testing.Seeds;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static dev.ordo.clocks.api.HybridTimestamps.timeMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property tests over random traces: several simulated nodes, each with its own physical clock offset
 * (up to ε either way), exchanging messages with random delays, reordering and duplicates. Ground truth is
 * Lamport's happens-before relation computed from the trace itself (transitive closure over program order
 * and send-to-receive edges). Every pair of events is checked.
 */
class CausalTraceSimulationTest
{
    private static final long T0 = 1_795_000_000_000L;

    /** One event of the trace. */
    private record Event(int node, long hlc, long lamport, long physicalMs, int sendOf)
    {
    }

    /** A message in flight. */
    private record Message(int sendEvent, long hlc, long lamport, long deliverAtMs)
    {
    }

    @Test
    void hybridAndLamportTimestampsShouldRespectHappensBeforeInRandomTraces()
    {
        final long seed = Seeds.seed("causal trace simulation");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trace = 0; trace < 60; trace++)
        {
            final long traceSeed = random.nextLong();
            runTrace(traceSeed, 2 + random.nextInt(5), 50 + random.nextInt(400), random.nextInt(5) == 0 ? 0 : 200);
        }
    }

    private static void runTrace(final long seed, final int nodes, final int events, final long epsilonMs)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] offsetMs = new long[nodes];
        final CachedEpochClock[] physical = new CachedEpochClock[nodes];
        final AtomicHybridClock[] hlc = new AtomicHybridClock[nodes];
        final AtomicLamportClock[] lamport = new AtomicLamportClock[nodes];
        long minOffset = Long.MAX_VALUE;
        long maxOffset = Long.MIN_VALUE;
        for (int n = 0; n < nodes; n++)
        {
            offsetMs[n] = epsilonMs == 0 ? 0 : random.nextLong(-epsilonMs, epsilonMs + 1);
            minOffset = Math.min(minOffset, offsetMs[n]);
            maxOffset = Math.max(maxOffset, offsetMs[n]);
            physical[n] = new CachedEpochClock();
            physical[n].update(T0 + offsetMs[n]);
            hlc[n] = AtomicHybridClock.builder().epochClock(physical[n]).build();
            lamport[n] = new AtomicLamportClock();
        }
        final long skewMs = maxOffset - minOffset;

        final List<Event> trace = new ArrayList<>();
        final List<List<Message>> inbox = new ArrayList<>();
        for (int n = 0; n < nodes; n++)
        {
            inbox.add(new ArrayList<>());
        }
        final int[] lastEventOf = new int[nodes];
        java.util.Arrays.fill(lastEventOf, -1);
        final List<BitSet> ancestors = new ArrayList<>(); // happens-before ground truth
        long trueTimeMs = T0;

        for (int e = 0; e < events; e++)
        {
            // True time moves on by 0..3 ms (0 often: many events per millisecond exercise the logical part).
            trueTimeMs += random.nextInt(4) == 0 ? random.nextInt(1, 4) : 0;
            for (int n = 0; n < nodes; n++)
            {
                physical[n].update(trueTimeMs + offsetMs[n]);
            }
            final int node = random.nextInt(nodes);
            final List<Message> pending = inbox.get(node);
            final Message deliverable = pickDeliverable(pending, trueTimeMs, random);
            final BitSet past = new BitSet();
            if (lastEventOf[node] >= 0)
            {
                past.or(ancestors.get(lastEventOf[node]));
                past.set(lastEventOf[node]);
            }
            final long hlcTs;
            final long lamportTs;
            int sendOf = -1;
            if (deliverable != null)
            {
                if (random.nextInt(4) != 0)
                {
                    pending.remove(deliverable); // else: a duplicate will be delivered again later
                }
                hlcTs = hlc[node].update(deliverable.hlc());
                lamportTs = lamport[node].update(deliverable.lamport());
                past.or(ancestors.get(deliverable.sendEvent()));
                past.set(deliverable.sendEvent());
                assertThat(hlcTs).as("seed %d: receive after send", seed).isGreaterThan(deliverable.hlc());
                assertThat(lamportTs).as("seed %d: Lamport receive after send", seed)
                    .isGreaterThan(deliverable.lamport());
            }
            else
            {
                hlcTs = hlc[node].now();
                lamportTs = lamport[node].tick();
                if (random.nextBoolean())
                {
                    final int to = random.nextInt(nodes);
                    sendOf = e;
                    final long delayMs = random.nextInt(0, 40);
                    inbox.get(to).add(new Message(e, hlcTs, lamportTs, trueTimeMs + delayMs));
                }
            }
            final long physicalMs = trueTimeMs + offsetMs[node];
            // l >= pt, and l - pt is bounded by the clock skew between nodes (the paper's ε bound).
            assertThat(timeMs(hlcTs)).as("seed %d: never below physical time", seed).isGreaterThanOrEqualTo(physicalMs);
            assertThat(timeMs(hlcTs) - physicalMs).as("seed %d: distance to physical time", seed)
                .isLessThanOrEqualTo(skewMs);
            trace.add(new Event(node, hlcTs, lamportTs, physicalMs, sendOf));
            ancestors.add(past);
            lastEventOf[node] = e;
        }

        for (int later = 0; later < trace.size(); later++)
        {
            final BitSet past = ancestors.get(later);
            for (int earlier = past.nextSetBit(0); earlier >= 0; earlier = past.nextSetBit(earlier + 1))
            {
                final Event a = trace.get(earlier);
                final Event b = trace.get(later);
                if (a.hlc() >= b.hlc())
                {
                    fail("seed %d: event %d happened before event %d but HLC %d >= %d", seed, earlier, later,
                        a.hlc(), b.hlc());
                }
                if (a.lamport() >= b.lamport())
                {
                    fail("seed %d: event %d happened before event %d but Lamport %d >= %d", seed, earlier, later,
                        a.lamport(), b.lamport());
                }
            }
        }
        for (final AtomicHybridClock clock : hlc)
        {
            assertThat(clock.rejectedUpdates()).as("seed %d: skew is within max offset", seed).isZero();
            assertThat(clock.maxAheadOfPhysical()).as("seed %d", seed).isLessThanOrEqualTo(skewMs);
        }
    }

    private static Message pickDeliverable(final List<Message> pending, final long nowMs, final SplittableRandom random)
    {
        // Any message whose delay has passed may be delivered: this reorders messages freely.
        final List<Message> ready = new ArrayList<>();
        for (final Message m : pending)
        {
            if (m.deliverAtMs() <= nowMs)
            {
                ready.add(m);
            }
        }
        if (ready.isEmpty() || random.nextInt(3) == 0)
        {
            return null;
        }
        return ready.get(random.nextInt(ready.size()));
    }
}
