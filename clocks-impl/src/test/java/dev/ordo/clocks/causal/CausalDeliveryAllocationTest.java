package dev.ordo.clocks.causal;

import dev.ordo.clocks.testing.AllocationMeter;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once warm, a message costs no allocation: in-order delivery, a message held because it arrived before its
 * dependency and released by it, a duplicate, a stamped send, and an expiry scan; a million rounds.
 */
class CausalDeliveryAllocationTest
{
    private long sink;

    @Test
    void offeringHoldingReleasingAndStampingShouldNotAllocate() throws Exception
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register("a");
        registry.register("b");
        registry.register("self");
        final CausalDeliveryBuffer<String> buffer = new CausalDeliveryBuffer<>(registry, 2, 64, 10_000,
            (sender, sequence, message) -> sink += sequence);
        final VectorClock fromA = new VectorClock(registry);
        final VectorClock fromB = new VectorClock(registry);
        final VectorClock outgoing = new VectorClock(registry);
        final CausalDeliveryBuffer.ExpiryHandler<String> onExpired = (s, q, m, ms, mq) -> sink++;
        final long[] round = { 0 };
        assertThat(AllocationMeter.allocatedBytes(AllocationMeter.MILLION, n ->
        {
            for (int i = 0; i < n; i++)
            {
                final long k = ++round[0];
                set(fromA, k, k);     // a's k-th message: a saw b's k-th
                set(fromB, k - 1, k); // b's k-th message: b saw a's (k-1)-th
                sink += buffer.offer(0, fromA, "a", k).ordinal();  // early: held
                sink += buffer.offer(1, fromB, "b", k).ordinal();  // delivered, releases a's
                sink += buffer.offer(1, fromB, "b", k).ordinal();  // duplicate
                if ((k & 1023) == 0)
                {
                    sink += buffer.stampNextSend(outgoing);
                    sink += buffer.expire(k, onExpired);
                }
            }
        })).isZero();
        assertThat(buffer.heldCount()).isZero();
        assertThat(buffer.delivered(0)).isEqualTo(round[0]);
    }

    private static void set(final VectorClock stamp, final long a, final long b)
    {
        stamp.reset();
        if (a > 0)
        {
            stamp.increment(0, a);
        }
        stamp.increment(1, b);
    }
}
