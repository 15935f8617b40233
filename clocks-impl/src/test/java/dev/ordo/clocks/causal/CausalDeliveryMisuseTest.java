package dev.ordo.clocks.causal;

import dev.ordo.clocks.vector.EntryKind;
import dev.ordo.clocks.vector.NodeRegistry;
import dev.ordo.clocks.vector.PruningPolicy;
import dev.ordo.clocks.vector.VectorClock;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stamps the buffer cannot interpret (another registry's indices, timestamps instead of counts, pruned entries,
 * a claim that this member sent messages it never sent) are refused at once with a clear error instead of being
 * delivered too early or held until they expire; and a delivery handler that throws does not strand the messages
 * its delivery unblocked (they are delivered on the next call, never expired as if a dependency were missing).
 */
class CausalDeliveryMisuseTest
{
    private final NodeRegistry members = new NodeRegistry();
    private final int alice = members.register("alice");
    private final int bob = members.register("bob");
    private final int carol = members.register("carol");
    private final List<String> seen = new ArrayList<>();
    private final CausalDeliveryBuffer<String> atCarol =
        new CausalDeliveryBuffer<>(members, carol, 16, 1_000, (sender, sequence, message) -> seen.add(message));

    @Test
    void aStampOfAnotherRegistryShouldBeRefusedNotReadByIndex()
    {
        // Bob's own registry lists the members in another order: index 0 is bob there.
        final NodeRegistry bobsView = new NodeRegistry();
        bobsView.register("bob");
        bobsView.register("alice");
        bobsView.register("carol");
        final VectorClock stamp = new VectorClock(bobsView);
        stamp.increment(0); // bob's first message, having delivered nothing
        stamp.increment(1, 5); // ... and five of alice's, which carol has not delivered
        assertThatThrownBy(() -> atCarol.offer(bob, stamp, "reply", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry");
        assertThatThrownBy(() -> atCarol.stampNextSend(stamp))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry");
        assertThat(atCarol.heldCount()).isZero();
        assertThat(atCarol.delivered(carol)).isZero();
        assertThat(seen).isEmpty();
    }

    @Test
    void aStampOfHybridTimestampsShouldBeRefused()
    {
        final VectorClock stamp = new VectorClock(members, EntryKind.HLC_MICROS);
        stamp.increment(alice, 1);
        assertThatThrownBy(() -> atCarol.offer(alice, stamp, "m", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COUNTERS");
        assertThat(seen).isEmpty();
    }

    @Test
    void aPrunedStampShouldBeRefusedBecauseItsEntriesAreOnlyLowerBounds()
    {
        final VectorClock stamp = new VectorClock(members);
        stamp.increment(alice, 3);
        stamp.increment(bob, 1);
        stamp.prune(PruningPolicy.keepAtMost(1)); // alice's entry becomes a lower bound
        assertThat(stamp.prunedEntries()).isPositive();
        assertThatThrownBy(() -> atCarol.offer(bob, stamp, "m", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pruned");
        assertThat(seen).isEmpty();
        assertThat(atCarol.heldCount()).isZero();
    }

    @Test
    void aStampClaimingMessagesThisMemberNeverSentShouldBeRefused()
    {
        final VectorClock stamp = new VectorClock(members);
        stamp.increment(bob, 1);
        stamp.increment(carol, 2); // carol has sent nothing: this can never become deliverable
        assertThatThrownBy(() -> atCarol.offer(bob, stamp, "from a previous life", 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sent");
        assertThat(atCarol.heldCount()).isZero();
        final VectorClock mine = new VectorClock(members);
        atCarol.stampNextSend(mine);
        atCarol.stampNextSend(mine);
        assertThat(atCarol.offer(bob, stamp, "now fine", 0)).isEqualTo(OfferResult.DELIVERED);
    }

    @Test
    void aHugeCounterClaimShouldTakeOneSlotUntilItExpiresAndBlockNothingElse()
    {
        final CausalDeliveryBuffer<String> small =
            new CausalDeliveryBuffer<>(members, carol, 2, 1_000, (sender, sequence, message) -> seen.add(message));
        final VectorClock forged = new VectorClock(members);
        forged.increment(bob, Long.MAX_VALUE);
        forged.increment(alice, Long.MAX_VALUE - 1);
        assertThat(small.offer(bob, forged, "forged", 0)).isEqualTo(OfferResult.BUFFERED);
        final VectorClock second = new VectorClock(members);
        second.increment(alice, 2);
        assertThat(small.offer(alice, second, "a2", 0)).isEqualTo(OfferResult.BUFFERED);
        final VectorClock third = new VectorClock(members);
        third.increment(alice, 3);
        assertThat(small.offer(alice, third, "a3", 0)).as("full").isEqualTo(OfferResult.REFUSED_FULL);
        final VectorClock first = new VectorClock(members);
        first.increment(alice);
        assertThat(small.offer(alice, first, "a1", 1)).as("a deliverable message needs no slot")
            .isEqualTo(OfferResult.DELIVERED);
        assertThat(seen).containsExactly("a1", "a2");
        assertThat(small.offer(alice, third, "a3", 2)).isEqualTo(OfferResult.DELIVERED);
        final List<String> expired = new ArrayList<>();
        assertThat(small.expire(5_000, (sender, sequence, message, missingSender, missingSequence) ->
            expired.add(message + " waits for " + members.name(missingSender) + " " + missingSequence))).isOne();
        assertThat(expired).containsExactly("forged waits for bob 1");
        assertThat(small.heldCount()).isZero();
        // Skipping the whole sequence space of bob: later (and earlier) messages of bob are duplicates, nothing wraps.
        small.skip(bob, Long.MAX_VALUE);
        assertThat(small.offer(bob, forged, "again", 6_000)).isEqualTo(OfferResult.DUPLICATE);
        final VectorClock mine = new VectorClock(members);
        small.stampNextSend(mine);
        assertThat(mine.get(bob)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aThrowingHandlerShouldNotStrandTheMessagesItsDeliveryUnblocked()
    {
        final boolean[] fail = {true};
        final CausalDeliveryBuffer<String> buffer = new CausalDeliveryBuffer<>(members, carol, 16, 1_000,
            (sender, sequence, message) ->
            {
                if (fail[0] && message.equals("question"))
                {
                    fail[0] = false;
                    throw new IllegalStateException("application failure");
                }
                seen.add(message);
            });
        final VectorClock question = new VectorClock(members);
        question.increment(alice);
        final VectorClock answer = new VectorClock(members);
        answer.increment(alice);
        answer.increment(bob);
        assertThat(buffer.offer(bob, answer, "answer", 0)).isEqualTo(OfferResult.BUFFERED);
        assertThatThrownBy(() -> buffer.offer(alice, question, "question", 1))
            .isInstanceOf(IllegalStateException.class).hasMessage("application failure");
        assertThat(buffer.delivered(alice)).as("the question was handed to the handler").isEqualTo(1);
        final List<String> expired = new ArrayList<>();
        buffer.expire(10_000, (sender, sequence, message, missingSender, missingSequence) -> expired.add(message));
        assertThat(expired).as("the answer depends on nothing missing").isEmpty();
        assertThat(seen).containsExactly("answer");
        assertThat(buffer.heldCount()).isZero();
    }
}
