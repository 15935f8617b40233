package dev.ordo.clocks.dvv;

import dev.ordo.clocks.api.ClockOverflowException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The register's behaviour on small, hand-checked scenarios (the paper's running examples). */
class DvvSetTest
{
    private static final long A = 1;
    private static final long B = 2;

    @Test
    void shouldKeepTwoClientsBlindWritesToTheSameReplicaAsSiblings()
    {
        final DvvSet<String> register = new DvvSet<>();
        register.update(new VersionVector(), A, "v1");
        register.update(new VersionVector(), A, "v2");
        assertThat(register.values()).containsExactly("v1", "v2");
        assertThat(register.counter(A)).isEqualTo(2);
        assertThat(register.replicaCount()).as("one entry per replica, not per client").isEqualTo(1);
    }

    @Test
    void shouldReplaceOnlyTheValuesTheWriterHadRead()
    {
        final DvvSet<String> register = new DvvSet<>();
        register.update(new VersionVector(), A, "v1");
        final VersionVector sawV1 = register.context();
        register.update(new VersionVector(), A, "v2"); // another client, concurrently
        register.update(sawV1, A, "v3");              // replaces v1 only
        assertThat(register.values()).containsExactly("v2", "v3");
        register.update(register.context(), A, "v4");
        assertThat(register.values()).containsExactly("v4");
    }

    @Test
    void shouldMergeReplicasWithoutLosingConcurrentWritesOrResurrectingReplacedOnes()
    {
        final DvvSet<String> a = new DvvSet<>();
        final DvvSet<String> b = new DvvSet<>();
        a.update(new VersionVector(), A, "old");
        b.sync(a);
        b.update(b.context(), B, "new-at-b");
        a.update(new VersionVector(), A, "blind-at-a");
        a.sync(b);
        assertThat(a.values()).containsExactlyInAnyOrder("blind-at-a", "new-at-b");
        b.sync(a);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void shouldTakeTheLargerCounterWhenTheContextIsAheadOfThisReplica()
    {
        final DvvSet<String> a = new DvvSet<>();
        a.update(new VersionVector(), A, "x");
        final VersionVector ahead = new VersionVector().raise(A, 5).raise(B, 2);
        assertThat(a.update(ahead, A, "y")).isEqualTo(6);
        assertThat(a.values()).containsExactly("y");
        assertThat(a.context()).isEqualTo(new VersionVector().raise(A, 6).raise(B, 2));
    }

    @Test
    void reconcileShouldLeaveOneValueThatDominatesTheSiblings()
    {
        final DvvSet<String> a = new DvvSet<>();
        a.update(new VersionVector(), A, "x");
        a.update(new VersionVector(), B, "y");
        final DvvSet<String> before = new DvvSet<>();
        before.copyFrom(a);
        assertThat(a.reconcile(DvvWorld::mergeSorted, A)).isEqualTo("x+y");
        assertThat(a.values()).containsExactly("x+y");
        before.sync(a);
        assertThat(before.values()).containsExactly("x+y");
    }

    @Test
    void shouldRefuseAWriteThatWouldOverflowTheCounterAndStayUnchanged()
    {
        final DvvSet<String> a = new DvvSet<>();
        a.update(new VersionVector().raise(A, Long.MAX_VALUE - 1), A, "last");
        final DvvSet<String> before = DvvSetLawsTest.copy(a);
        assertThatThrownBy(() -> a.update(new VersionVector(), A, "one too many"))
            .isInstanceOf(ClockOverflowException.class);
        assertThat(a).isEqualTo(before);
    }

    @Test
    void growingPastTheEntryLimitShouldBeRefusedBeforeAnythingChanges()
    {
        final VersionVector full = new VersionVector(VersionVector.MAX_ENTRIES);
        for (long id = 0; id < VersionVector.MAX_ENTRIES; id++)
        {
            full.raise(id * 2, 1);
        }
        final VersionVector oneMore = new VersionVector().raise(1, 1);
        assertThatThrownBy(() -> full.merge(oneMore)).isInstanceOf(IllegalStateException.class);
        assertThat(full.size()).isEqualTo(VersionVector.MAX_ENTRIES);
        assertThat(full.get(1)).isZero();

        final DvvSet<String> register = new DvvSet<>();
        register.update(full, 0, "x");
        final DvvSet<String> before = DvvSetLawsTest.copy(register);
        assertThatThrownBy(() -> register.update(oneMore, 0, "y")).isInstanceOf(IllegalStateException.class);
        final DvvSet<String> other = new DvvSet<>();
        other.update(new VersionVector(), 3, "z");
        assertThatThrownBy(() -> register.sync(other)).isInstanceOf(IllegalStateException.class);
        assertThat(register).isEqualTo(before);
    }
}
