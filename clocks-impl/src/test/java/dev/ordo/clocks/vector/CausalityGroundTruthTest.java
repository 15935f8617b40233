package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random message traces between N nodes: the clock stamped on every event must classify every pair of
 * events exactly as the true happens-before relation of the trace (program order plus send-to-receive,
 * transitively closed) does. Messages travel encoded, as on a real network.
 */
class CausalityGroundTruthTest
{
    private static final class Event
    {
        final int node;
        final VectorClock clock;
        final BitSet predecessors = new BitSet();

        Event(final int node, final VectorClock clock)
        {
            this.node = node;
            this.clock = clock;
        }
    }

    private static final class Message
    {
        final int to;
        final int sendEvent;
        final byte[] clockBytes;

        Message(final int to, final int sendEvent, final byte[] clockBytes)
        {
            this.to = to;
            this.sendEvent = sendEvent;
            this.clockBytes = clockBytes;
        }
    }

    @Test
    void everyPairOfEventsShouldBeClassifiedExactlyAsTheTraceOrdersThem()
    {
        final long seed = Seeds.seed("everyPairOfEventsShouldBeClassifiedExactlyAsTheTraceOrdersThem");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 25; trial++)
        {
            runTrace(seed, trial, random, 2 + random.nextInt(7), 60 + random.nextInt(200));
        }
    }

    private static void runTrace(
        final long seed, final int trial, final SplittableRandom random, final int nodes, final int steps)
    {
        final NodeRegistry registry = new NodeRegistry();
        for (int n = 0; n < nodes; n++)
        {
            registry.register("node-" + n);
        }
        final VectorClock[] clocks = new VectorClock[nodes];
        final int[] lastEvent = new int[nodes];
        for (int n = 0; n < nodes; n++)
        {
            clocks[n] = new VectorClock(registry);
            lastEvent[n] = -1;
        }
        final List<Event> events = new ArrayList<>();
        final List<ArrayDeque<Message>> inboxes = new ArrayList<>();
        for (int n = 0; n < nodes; n++)
        {
            inboxes.add(new ArrayDeque<>());
        }
        for (int step = 0; step < steps; step++)
        {
            final int node = random.nextInt(nodes);
            final int action = random.nextInt(3);
            final VectorClock clock = clocks[node];
            int remoteCause = -1;
            if (action == 2 && !inboxes.get(node).isEmpty())
            {
                // Receive: merge the message's clock (delivered out of order now and then), then tick.
                final Message message = random.nextBoolean() ?
                    inboxes.get(node).pollFirst() : inboxes.get(node).pollLast();
                final VectorClock received = new VectorClock(registry);
                received.decode(message.clockBytes, 0, message.clockBytes.length);
                clock.merge(received);
                remoteCause = message.sendEvent;
            }
            clock.increment(node);
            final Event event = new Event(node, TestClocks.copy(clock));
            final int id = events.size();
            if (lastEvent[node] >= 0)
            {
                event.predecessors.or(events.get(lastEvent[node]).predecessors);
                event.predecessors.set(lastEvent[node]);
            }
            if (remoteCause >= 0)
            {
                event.predecessors.or(events.get(remoteCause).predecessors);
                event.predecessors.set(remoteCause);
            }
            events.add(event);
            lastEvent[node] = id;
            if (action == 1)
            {
                final int to = random.nextInt(nodes);
                inboxes.get(to).add(new Message(to, id, TestClocks.bytes(clock)));
            }
        }

        final EncodedVectorClock left = new EncodedVectorClock();
        final EncodedVectorClock right = new EncodedVectorClock();
        for (int i = 0; i < events.size(); i++)
        {
            final Event a = events.get(i);
            left.wrap(TestClocks.bytes(a.clock), 0, a.clock.encodedLength());
            for (int j = 0; j < events.size(); j++)
            {
                final Event b = events.get(j);
                final Causality truth = i == j ? Causality.EQUAL :
                    b.predecessors.get(i) ? Causality.BEFORE :
                    a.predecessors.get(j) ? Causality.AFTER : Causality.CONCURRENT;
                assertThat(a.clock.compare(b.clock))
                    .as("seed %d trial %d: event %d (%s) vs event %d (%s)", seed, trial, i, a.clock, j, b.clock)
                    .isEqualTo(truth);
                if ((i + j) % 7 == 0)
                {
                    right.wrap(TestClocks.bytes(b.clock), 0, b.clock.encodedLength());
                    assertThat(left.compare(right)).as("seed %d trial %d on bytes %d vs %d", seed, trial, i, j)
                        .isEqualTo(truth);
                }
            }
        }
    }
}
