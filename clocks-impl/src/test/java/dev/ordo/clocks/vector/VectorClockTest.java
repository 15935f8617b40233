package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import dev.ordo.clocks.api.ClockOverflowException;
import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour of the mutable clock's API beyond the laws. */
class VectorClockTest
{
    @Test
    void shouldIncrementGetCopyAndResetByIndexAndName()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int a = registry.register("a");
        final int b = registry.register("b");
        final VectorClock clock = new VectorClock(registry);
        assertThat(clock.increment("a")).isEqualTo(1);
        assertThat(clock.increment(a)).isEqualTo(2);
        assertThat(clock.increment(b, 10)).isEqualTo(10);
        assertThat(clock.get("a")).isEqualTo(2);
        assertThat(clock.get(b)).isEqualTo(10);
        assertThat(clock.liveEntries()).isEqualTo(2);
        assertThat(clock.toString()).isEqualTo("VectorClock{" +
            (NodeRegistry.idOf("a") < NodeRegistry.idOf("b") ? "a=2, b=10" : "b=10, a=2") + "}");

        final VectorClock copy = new VectorClock(registry);
        copy.increment(a, 99);
        clock.copyTo(copy);
        assertThat(copy.compare(clock)).isEqualTo(Causality.EQUAL);
        clock.reset();
        assertThat(clock.liveEntries()).isZero();
        assertThat(clock.compare(new VectorClock(registry))).isEqualTo(Causality.EQUAL);
        assertThat(copy.get(a)).isEqualTo(2);
    }

    @Test
    void shouldRefuseToOverflowAndLeaveTheEntryUnchanged()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int a = registry.register(1);
        final VectorClock clock = new VectorClock(registry);
        clock.increment(a, Long.MAX_VALUE);
        assertThatThrownBy(() -> clock.increment(a)).isInstanceOf(ClockOverflowException.class)
            .hasMessageContaining(Long.toString(Long.MAX_VALUE));
        assertThat(clock.get(a)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRejectUnregisteredNodesAndForeignClocksWithClearMessages()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(1);
        final VectorClock clock = new VectorClock(registry);
        assertThatThrownBy(() -> clock.increment(1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("node index 1 is not registered (registry has 1 nodes)");
        assertThatThrownBy(() -> clock.increment(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("node index -1");
        assertThatThrownBy(() -> clock.get(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clock.increment("nobody")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("\"nobody\" is not registered");
        final VectorClock foreign = new VectorClock(new NodeRegistry());
        assertThatThrownBy(() -> clock.merge(foreign)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("different NodeRegistry");
        assertThatThrownBy(() -> clock.compare(new EncodedVectorClock()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wraps nothing");
        assertThat(clock.liveEntries()).isZero();
    }

    @Test
    void shouldGrowOnceWhenMeetingNodesRegisteredAfterItWasCreated()
    {
        final NodeRegistry registry = new NodeRegistry();
        final int a = registry.register("a");
        final VectorClock early = new VectorClock(registry);
        early.increment(a);
        final int late = registry.register("late");
        assertThat(early.get(late)).isZero();
        final VectorClock recent = new VectorClock(registry);
        recent.increment(late);
        assertThat(early.compare(recent)).isEqualTo(Causality.CONCURRENT);
        early.merge(recent);
        assertThat(early.get(late)).isEqualTo(1);
        final VectorClock other = new VectorClock(registry);
        other.increment(registry.register("later"));
        early.copyFrom(other);
        assertThat(early.get(a)).isZero();
    }

    @Test
    void moduleShouldExportTheVectorPackage()
    {
        final ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes"))
            .find("dev.ordo.clocks.impl").orElseThrow().descriptor();
        assertThat(descriptor.exports()).anyMatch(e -> e.source().equals("dev.ordo.clocks.vector") && !e.isQualified());
    }
}
