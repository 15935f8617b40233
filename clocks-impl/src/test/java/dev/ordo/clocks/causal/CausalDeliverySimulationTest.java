package dev.ordo.clocks.causal;

import dev.ordo.clocks.testing.Seeds;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Causal broadcast among members over a network that reorders, duplicates and loses packets, against a
 * ground-truth simulation that knows every message's causal past (what its sender had delivered when it sent
 * it). Properties: a message is delivered only after its whole causal past (causal order); at most once; with
 * no loss, every message everywhere; with loss, exactly the messages whose whole past arrived (nothing that
 * could be delivered waits); a full buffer refuses without losing anything once retransmitted; expiry reports
 * exactly the waiting messages with a dependency that really is missing.
 */
class CausalDeliverySimulationTest
{
    private static final int MEMBERS = 4;
    private static final long MAX_WAIT_MS = 1_000_000;

    private record Packet(int from, int to, int id, VectorClock stamp)
    {
    }

    private final class World
    {
        final Random random;
        final NodeRegistry registry = new NodeRegistry();
        final List<CausalDeliveryBuffer<Integer>> buffers = new ArrayList<>();
        final List<BitSet> deliveredTruth = new ArrayList<>();
        final List<BitSet> arrived = new ArrayList<>();
        final List<BitSet> pasts = new ArrayList<>();
        final List<Integer> senderOf = new ArrayList<>();
        final List<Packet> network = new ArrayList<>();
        final double loss;
        final double duplicate;
        long refusals;
        long nowMs;
        final String where;

        World(final Random random, final int capacity, final double loss, final double duplicate, final String where)
        {
            this.random = random;
            this.loss = loss;
            this.duplicate = duplicate;
            this.where = where;
            for (int m = 0; m < MEMBERS; m++)
            {
                registry.register("member-" + m);
            }
            for (int m = 0; m < MEMBERS; m++)
            {
                final int member = m;
                final BitSet truth = new BitSet();
                deliveredTruth.add(truth);
                arrived.add(new BitSet());
                buffers.add(new CausalDeliveryBuffer<>(registry, m, capacity, MAX_WAIT_MS, (sender, sequence, id) ->
                {
                    final BitSet past = (BitSet)pasts.get(id).clone();
                    past.andNot(truth);
                    assertThat(past.isEmpty()).as(where + ": member " + member + " delivers " + id +
                        " before its past " + past).isTrue();
                    assertThat(truth.get(id)).as(where + ": delivered twice").isFalse();
                    assertThat(senderOf.get(id)).isEqualTo(sender);
                    truth.set(id);
                }));
            }
        }

        void send(final int from)
        {
            final int id = pasts.size();
            final BitSet past = (BitSet)deliveredTruth.get(from).clone();
            pasts.add(past);
            senderOf.add(from);
            final VectorClock stamp = new VectorClock(registry);
            buffers.get(from).stampNextSend(stamp);
            deliveredTruth.get(from).set(id); // own sends count as delivered
            arrived.get(from).set(id);
            for (int to = 0; to < MEMBERS; to++)
            {
                if (to == from || random.nextDouble() < loss)
                {
                    continue;
                }
                network.add(new Packet(from, to, id, stamp));
                if (random.nextDouble() < duplicate)
                {
                    network.add(new Packet(from, to, id, stamp));
                }
            }
        }

        /** Delivers one random in-flight packet: any order. A refused packet is retransmitted later. */
        void deliverOne()
        {
            final Packet p = network.remove(random.nextInt(network.size()));
            arrived.get(p.to).set(p.id);
            final OfferResult result = buffers.get(p.to).offer(p.from, p.stamp, p.id, nowMs);
            if (result == OfferResult.REFUSED_FULL)
            {
                refusals++;
                network.add(p);
            }
        }

        void run(final int messages)
        {
            int sent = 0;
            while (sent < messages || !network.isEmpty())
            {
                nowMs++;
                if (sent < messages && (network.isEmpty() || random.nextInt(3) == 0))
                {
                    send(random.nextInt(MEMBERS));
                    sent++;
                }
                else
                {
                    deliverOne();
                }
            }
        }

        /** The truth with losses: the fixpoint of "arrived and its whole past deliverable". */
        BitSet deliverable(final int member)
        {
            final BitSet result = new BitSet();
            boolean changed = true;
            while (changed)
            {
                changed = false;
                for (int id = arrived.get(member).nextSetBit(0); id >= 0; id = arrived.get(member).nextSetBit(id + 1))
                {
                    if (!result.get(id))
                    {
                        final BitSet missing = (BitSet)pasts.get(id).clone();
                        missing.andNot(result);
                        if (missing.isEmpty())
                        {
                            result.set(id);
                            changed = true;
                        }
                    }
                }
            }
            return result;
        }
    }

    @Test
    void shouldDeliverEveryMessageOnceInCausalOrderDespiteReorderingAndDuplicates()
    {
        final long seed = Seeds.seed("CausalDeliverySimulationTest.noLoss");
        final Random random = new Random(seed);
        for (int run = 0; run < 20; run++)
        {
            final World world = new World(random, 1024, 0, 0.2, "seed " + seed + " run " + run);
            world.run(300);
            for (int m = 0; m < MEMBERS; m++)
            {
                assertThat(world.deliveredTruth.get(m).cardinality()).as(world.where).isEqualTo(300);
                assertThat(world.buffers.get(m).heldCount()).isZero();
            }
            assertThat(world.buffers.stream().mapToLong(CausalDeliveryBuffer::duplicateCount).sum()).isPositive();
        }
    }

    @Test
    void withLossesShouldDeliverExactlyWhatCanBeDeliveredAndExpiryShouldReportTrulyMissingDependencies()
    {
        final long seed = Seeds.seed("CausalDeliverySimulationTest.loss");
        final Random random = new Random(seed);
        for (int run = 0; run < 20; run++)
        {
            final World world = new World(random, 1024, 0.05, 0.1, "seed " + seed + " run " + run);
            world.run(300);
            for (int m = 0; m < MEMBERS; m++)
            {
                final BitSet delivered = world.deliveredTruth.get(m);
                assertThat(delivered).as(world.where + " member " + m).isEqualTo(world.deliverable(m));
                final CausalDeliveryBuffer<Integer> buffer = world.buffers.get(m);
                final int waiting = buffer.heldCount();
                final int[] reported = new int[1];
                assertThat(buffer.expire(world.nowMs, (s, q, id, ms, mq) -> fail("expired too early")))
                    .isZero();
                final int dropped = buffer.expire(world.nowMs + MAX_WAIT_MS + 1, (sender, sequence, id, missingSender,
                    missingSequence) ->
                {
                    reported[0]++;
                    assertThat(delivered.get(id)).isFalse();
                    assertThat(buffer.delivered(missingSender)).isLessThan(missingSequence);
                });
                assertThat(dropped).isEqualTo(waiting).isEqualTo(reported[0]);
                assertThat(buffer.heldCount()).isZero();
            }
        }
    }

    @Test
    void aSmallBufferShouldRefuseWhenFullAndStillDeliverEverythingOnceRetransmitted()
    {
        final long seed = Seeds.seed("CausalDeliverySimulationTest.capacity");
        final Random random = new Random(seed);
        final World world = new World(random, 3, 0, 0.1, "seed " + seed);
        world.run(300);
        assertThat(world.refusals).as("the buffer must have been full").isPositive();
        for (int m = 0; m < MEMBERS; m++)
        {
            assertThat(world.deliveredTruth.get(m).cardinality()).isEqualTo(300);
        }
    }

    @Test
    void skipShouldReleaseWhatWaitedOnlyForMessagesDeclaredLost()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register("a");
        registry.register("b");
        registry.register("c");
        final List<String> log = new ArrayList<>();
        final CausalDeliveryBuffer<String> atC = new CausalDeliveryBuffer<>(registry, 2, 8, 100,
            (sender, sequence, message) -> log.add(message));
        final CausalDeliveryBuffer<String> atA = new CausalDeliveryBuffer<>(registry, 0, 8, 100, (s, q, m) -> { });
        final CausalDeliveryBuffer<String> atB = new CausalDeliveryBuffer<>(registry, 1, 8, 100, (s, q, m) -> { });
        final VectorClock lost = new VectorClock(registry);
        atA.stampNextSend(lost);                       // a's first message never reaches c
        atB.offer(0, lost, "a1", 0);
        final VectorClock reply = new VectorClock(registry);
        atB.stampNextSend(reply);                      // b replies, having seen a1
        assertThat(atC.offer(1, reply, "b1", 0)).isEqualTo(OfferResult.BUFFERED);
        assertThat(atC.skip(0, 1)).isEqualTo(1);
        assertThat(log).containsExactly("b1");
        assertThat(atC.offer(0, lost, "a1", 5)).as("a late copy of a skipped message").isEqualTo(OfferResult.DUPLICATE);
    }

    private static void fail(final String message)
    {
        throw new AssertionError(message);
    }
}
