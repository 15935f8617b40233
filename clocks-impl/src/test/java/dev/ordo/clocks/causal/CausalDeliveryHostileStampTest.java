package dev.ordo.clocks.causal;

import dev.ordo.clocks.vector.EntryKind;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.VectorClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stamps a peer (or a confused caller) hands {@link CausalDeliveryBuffer#offer}: a stamp whose dependencies the
 * buffer cannot judge (another registry's indices, pruned entries whose true value is unknown, hybrid-timestamp
 * entries instead of message counts) must be refused with nothing changed, never delivered early; counts next
 * to Long.MAX_VALUE and duplicates of held messages must neither throw nor hold twice.
 */
class CausalDeliveryHostileStampTest
{
    private final NodeRegistry registry = new NodeRegistry();
    private final List<String> delivered = new ArrayList<>();
    private final CausalDeliveryBuffer<String> buffer;

    CausalDeliveryHostileStampTest()
    {
        registry.register("a");
        registry.register("b");
        registry.register("self");
        buffer = new CausalDeliveryBuffer<>(registry, 2, 16, 1_000, (s, q, m) -> delivered.add(m));
    }

    @Test
    void aStampOfAnotherRegistryShouldBeRefusedNotDeliveredWithoutItsDependencies()
    {
        final NodeRegistry other = new NodeRegistry();
        other.register("a");
        other.register("b");
        other.register("self");
        other.register("d");
        final VectorClock stamp = new VectorClock(other);
        stamp.increment(0, 1);
        stamp.increment(3, 5); // depends on five messages of a member this buffer does not know yet
        assertThatThrownBy(() -> buffer.offer(0, stamp, "m", 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("registry");
        assertThat(delivered).isEmpty();
        assertThat(buffer.heldCount()).isZero();
        assertThat(buffer.delivered(0)).isZero();
    }

    @Test
    void aStampWithAPrunedEntryShouldBeRefusedNotDeliveredOnItsLowerBound()
    {
        final VectorClock stamp = new VectorClock(registry);
        stamp.increment(0, 1);
        stamp.increment(1, 9);
        // Prune b's entry: it keeps the lower bound 1, its true value (9) is unknown to the receiver.
        stamp.prune((id, value, age, live) -> id == registry.nodeId(1));
        assertThat(stamp.isPruned(1)).isTrue();
        final VectorClock fromB = new VectorClock(registry);
        fromB.increment(1, 1);
        assertThat(buffer.offer(1, fromB, "b1", 0)).isEqualTo(OfferResult.DELIVERED);
        assertThatThrownBy(() -> buffer.offer(0, stamp, "a1", 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("pruned");
        assertThat(delivered).containsExactly("b1");
        assertThat(buffer.heldCount()).isZero();
    }

    @Test
    void aHybridTimestampStampShouldBeRefused()
    {
        final VectorClock stamp = new VectorClock(registry, EntryKind.HLC_MILLIS);
        stamp.increment(0, 1);
        assertThatThrownBy(() -> buffer.offer(0, stamp, "m", 0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(EntryKind.COUNTERS.toString());
        assertThat(buffer.heldCount()).isZero();
    }

    @Test
    void countsNextToLongMaxValueAndDuplicatesOfHeldMessagesShouldNeitherThrowNorHoldTwice()
    {
        final VectorClock last = new VectorClock(registry);
        last.increment(0, Long.MAX_VALUE);
        assertThat(buffer.offer(0, last, "max", 0)).isEqualTo(OfferResult.BUFFERED);
        assertThat(buffer.offer(0, last, "max again", 0)).isEqualTo(OfferResult.DUPLICATE);
        assertThat(buffer.heldCount()).isEqualTo(1);
        final VectorClock dependsOnMax = new VectorClock(registry);
        dependsOnMax.increment(0, Long.MAX_VALUE);
        dependsOnMax.increment(1, 1);
        assertThat(buffer.offer(1, dependsOnMax, "b1", 0)).isEqualTo(OfferResult.BUFFERED);
        assertThat(buffer.skip(0, Long.MAX_VALUE - 1)).isEqualTo(2);
        assertThat(delivered).containsExactly("max", "b1");
        assertThat(buffer.delivered(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(buffer.offer(0, last, "max once more", 0)).isEqualTo(OfferResult.DUPLICATE);
        assertThat(buffer.skip(0, Long.MAX_VALUE)).isZero();
        assertThat(buffer.expire(Long.MAX_VALUE, (s, q, m, ms, mq) -> { })).isZero();
        assertThat(buffer.heldCount()).isZero();
    }
}
