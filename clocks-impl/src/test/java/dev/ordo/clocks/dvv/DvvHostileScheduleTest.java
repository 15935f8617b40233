package dev.ordo.clocks.dvv;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Calls a careless or hostile caller can make: reconcile at a replica id no update would accept, or one that would
 * push the register past its entry limit, must be refused before anything changes (otherwise the register holds a
 * state its own decoder refuses); and vectors whose ids interleave (a forged context of many replicas) must merge
 * in time linear in the entries, not quadratic (a few hundred thousand entries, well under
 * {@link VersionVector#MAX_ENTRIES}, would otherwise hold a thread for minutes).
 */
class DvvHostileScheduleTest
{
    private static final int INTERLEAVED = 1 << 18;
    /** Linear work here takes milliseconds; the quadratic shifting took minutes. Not a speed claim: a hang guard. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @Test
    void reconcileAtANegativeReplicaIdShouldBeRefusedAndChangeNothing()
    {
        final DvvSet<byte[]> register = new DvvSet<>();
        register.update(new VersionVector(), 1, new byte[] {1});
        register.update(new VersionVector(), 2, new byte[] {2});
        final DvvSet<byte[]> before = new DvvSet<>();
        before.copyFrom(register);
        assertThatThrownBy(() -> register.reconcile(values -> new byte[] {3}, -1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(register).isEqualTo(before);
        final byte[] wire = new byte[register.encodedLength(DvvValueCodec.bytes())];
        final int length = register.encode(DvvValueCodec.bytes(), wire, 0);
        new DvvSet<byte[]>().decode(DvvValueCodec.bytes(), wire, 0, length);
    }

    @Test
    void reconcileAtANewReplicaPastTheEntryLimitShouldBeRefusedAndChangeNothing()
    {
        final VersionVector full = new VersionVector(VersionVector.MAX_ENTRIES);
        for (long id = 0; id < VersionVector.MAX_ENTRIES - 1; id++)
        {
            full.raise(id * 2, 1);
        }
        final DvvSet<String> register = new DvvSet<>();
        register.update(full, 0, "x");
        register.update(new VersionVector(), 2, "y");
        register.update(new VersionVector(), 1L << 40, "z"); // now exactly MAX_ENTRIES replicas
        assertThat(register.replicaCount()).isEqualTo(DvvSet.MAX_ENTRIES);
        final DvvSet<String> before = DvvSetLawsTest.copy(register);
        assertThatThrownBy(() -> register.reconcile(values -> "merged", 1)).isInstanceOf(IllegalStateException.class);
        assertThat(register).isEqualTo(before);
        assertThat(register.reconcile(values -> "merged", 0)).isEqualTo("merged");
        assertThat(register.replicaCount()).isEqualTo(DvvSet.MAX_ENTRIES);
    }

    @Test
    void aReconcileFunctionThatThrowsOrReturnsNullShouldChangeNothing()
    {
        final DvvSet<String> register = new DvvSet<>();
        register.update(new VersionVector(), 1, "a");
        register.update(new VersionVector(), 1, "b");
        final DvvSet<String> before = DvvSetLawsTest.copy(register);
        assertThatThrownBy(() -> register.reconcile(values ->
        {
            throw new IllegalStateException("application bug");
        }, 1)).hasMessage("application bug");
        assertThat(register).isEqualTo(before);
        assertThatThrownBy(() -> register.reconcile(values -> null, 1)).isInstanceOf(NullPointerException.class);
        assertThat(register).isEqualTo(before);
    }

    @Test
    void contextsAheadOfTheServerOrAtTheCounterLimitShouldNeverReuseADotOrWrap()
    {
        final DvvSet<String> register = new DvvSet<>();
        register.update(new VersionVector(), 1, "a");
        // A context from elsewhere claims replica 1 wrote far more than this state knows: the next dot is above it.
        final VersionVector ahead = new VersionVector().raise(1, 1_000);
        assertThat(register.update(ahead, 1, "b")).isEqualTo(1_001);
        assertThat(register.values()).containsExactly("b");
        final VersionVector atLimit = new VersionVector().raise(1, Long.MAX_VALUE).raise(2, Long.MAX_VALUE);
        final DvvSet<String> before = DvvSetLawsTest.copy(register);
        assertThatThrownBy(() -> register.update(atLimit, 1, "c"))
            .isInstanceOf(dev.ordo.clocks.api.ClockOverflowException.class);
        assertThat(register).isEqualTo(before);
        // At another replica the same context is fine: it replaces everything and writes one dot of replica 3.
        assertThat(register.update(atLimit, 3, "d")).isEqualTo(1);
        assertThat(register.values()).containsExactly("d");
        assertThat(register.counter(1)).isEqualTo(Long.MAX_VALUE);
        final DvvSet<String> copy = DvvSetLawsTest.copy(register);
        copy.sync(register);
        register.sync(register);
        assertThat(copy).isEqualTo(register);
    }

    @Test
    void siblingsPastTheDecodeLimitShouldBeRefusedSoEveryRegisterRoundTrips()
    {
        final VersionVector blind = new VersionVector();
        final String value = "flood";
        final DvvSet<String> register = new DvvSet<>();
        for (int i = 0; i < DvvSet.MAX_SIBLINGS; i++)
        {
            register.update(blind, 1 + (i & 1), value); // a flood of blind writes: every one is a sibling
        }
        assertThat(register.siblingCount()).isEqualTo(DvvSet.MAX_SIBLINGS);
        final DvvSet<String> before = DvvSetLawsTest.copy(register);
        assertThatThrownBy(() -> register.update(blind, 1, value)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("siblings");
        assertThat(register).isEqualTo(before);
        final DvvSet<String> other = new DvvSet<>();
        other.update(blind, 3, value);
        assertThatThrownBy(() -> register.sync(other)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("siblings");
        assertThat(register).isEqualTo(before);
        // A write that saw everything is always possible, and so is a sync that adds no sibling.
        register.update(register.context(), 3, value);
        assertThat(register.siblingCount()).isOne();
        register.sync(before);
        assertThat(register.siblingCount()).as("the flood was seen and replaced").isOne();
        assertThatThrownBy(() -> other.sync(before)).isInstanceOf(IllegalStateException.class);
        assertThat(other.siblingCount()).isOne();
    }

    @Test
    void mergingVersionVectorsWithInterleavedIdsShouldTakeLinearTime()
    {
        final VersionVector evens = new VersionVector();
        final VersionVector odds = new VersionVector();
        for (long i = 0; i < INTERLEAVED; i++)
        {
            evens.raise(2 * i, i + 1);
            odds.raise(2 * i + 1, i + 1);
        }
        assertTimeoutPreemptively(HANG_GUARD, () -> evens.merge(odds));
        assertThat(evens.size()).isEqualTo(2 * INTERLEAVED);
        for (long i = 0; i < INTERLEAVED; i++)
        {
            assertThat(evens.get(2 * i)).isEqualTo(i + 1);
            assertThat(evens.get(2 * i + 1)).isEqualTo(i + 1);
        }
    }

    @Test
    void updateAndSyncWithInterleavedReplicasShouldTakeLinearTime()
    {
        final VersionVector evens = new VersionVector();
        final VersionVector odds = new VersionVector();
        for (long i = 0; i < INTERLEAVED; i++)
        {
            evens.raise(2 * i, 1);
            odds.raise(2 * i + 1, 1);
        }
        final DvvSet<String> register = new DvvSet<>();
        register.update(evens, 0, "even");
        assertTimeoutPreemptively(HANG_GUARD, () -> register.update(odds, 1, "odd"));
        assertThat(register.replicaCount()).isEqualTo(2 * INTERLEAVED);
        assertThat(register.values()).as("the odd context never saw \"even\"").containsExactly("even", "odd");

        final DvvSet<String> left = new DvvSet<>();
        left.update(evens, 2 * INTERLEAVED, "left");
        final DvvSet<String> right = new DvvSet<>();
        right.update(odds, 2 * INTERLEAVED + 1, "right");
        assertTimeoutPreemptively(HANG_GUARD, () -> left.sync(right));
        assertThat(left.replicaCount()).isEqualTo(2 * INTERLEAVED + 2);
        assertThat(left.values()).containsExactly("left", "right");
    }
}
