package dev.ordo.clocks.vector;

import dev.ordo.clocks.api.Causality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeRegistryTest
{
    @Test
    void shouldAssignDenseIndicesIdempotently()
    {
        final NodeRegistry registry = new NodeRegistry();
        assertThat(registry.register("a")).isEqualTo(0);
        assertThat(registry.register(42)).isEqualTo(1);
        assertThat(registry.register("b", 7)).isEqualTo(2);
        assertThat(registry.register("a")).isEqualTo(0);
        assertThat(registry.register(42)).isEqualTo(1);
        assertThat(registry.register(7)).as("a numeric id already bound to a name").isEqualTo(2);
        assertThat(registry.size()).isEqualTo(3);
        assertThat(registry.indexOf("b")).isEqualTo(2);
        assertThat(registry.indexOf(NodeRegistry.idOf("a"))).isEqualTo(0);
        assertThat(registry.indexOf("missing")).isEqualTo(NodeRegistry.UNKNOWN);
        assertThat(registry.indexOf((String)null)).isEqualTo(NodeRegistry.UNKNOWN);
        assertThat(registry.indexOf(99)).isEqualTo(NodeRegistry.UNKNOWN);
        assertThat(registry.nodeId(1)).isEqualTo(42);
        assertThat(registry.name(1)).isNull();
        assertThat(registry.name(2)).isEqualTo("b");
        assertThat(registry.toString()).isEqualTo("NodeRegistry{0=a, 1=42, 2=b}");
    }

    @Test
    void shouldDeriveStableNonNegativeIdsFromNames()
    {
        // Pinned: other replicas (and other languages) compute the same ids.
        assertThat(NodeRegistry.idOf("a")).isEqualTo(NodeRegistry.idOf("a")).isNotNegative();
        assertThat(NodeRegistry.idOf("node-1")).isNotEqualTo(NodeRegistry.idOf("node-2"));
        assertThat(NodeRegistry.idOf("")).isNotNegative();
        assertThat(NodeRegistry.idOf("replica-eu-1")).isEqualTo(idOfReference("replica-eu-1"));
        assertThat(NodeRegistry.idOf("ünïcödé")).isEqualTo(idOfReference("ünïcödé"));
    }

    /** The documented algorithm, written out independently. */
    private static long idOfReference(final String name)
    {
        long h = 0xcbf29ce484222325L;
        for (final byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (h ^ (h >>> 33)) >>> 1;
    }

    @Test
    void shouldRefuseConflictingRegistrations()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register("a", 1);
        registry.register(NodeRegistry.idOf("c"));
        assertThatThrownBy(() -> registry.register("a", 2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already registered with wire id 1, not 2");
        assertThatThrownBy(() -> registry.register("b", 1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already taken by node \"a\"");
        assertThatThrownBy(() -> registry.register("c")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("hash collision");
        assertThatThrownBy(() -> registry.register(-1)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cannot be negative: -1");
        assertThatThrownBy(() -> registry.register("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.register((String)null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.nodeId(5)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("node index 5 is not registered");
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void concurrentRegistrationsShouldAllLandWithUniqueIndices() throws Exception
    {
        final NodeRegistry registry = new NodeRegistry();
        final int threads = 4;
        final int perThread = 200;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            final CountDownLatch start = new CountDownLatch(1);
            final Future<?>[] futures = new Future<?>[threads];
            for (int t = 0; t < threads; t++)
            {
                final int base = t * perThread;
                futures[t] = pool.submit(() ->
                {
                    start.await();
                    for (int i = 0; i < perThread; i++)
                    {
                        final int index = registry.register(base + i);
                        assertThat(registry.nodeId(index)).isEqualTo(base + i);
                        assertThat(registry.indexOf(base + i)).isEqualTo(index);
                    }
                    return null;
                });
            }
            start.countDown();
            for (final Future<?> future : futures)
            {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertThat(registry.size()).isEqualTo(threads * perThread);
        final VectorClock clock = new VectorClock(registry);
        for (int i = 0; i < registry.size(); i++)
        {
            clock.increment(i);
        }
        assertThat(clock.liveEntries()).isEqualTo(threads * perThread);
    }

    /**
     * Registration is amortized O(1): the arrays and hash indexes grow by doubling, so the elements copied by
     * 100,000 registrations are a small multiple of 100,000 (copy-on-write, as before, copied about
     * n^2 = 10^10 and took half a minute). The timeout is only a hang guard.
     */
    @Test
    @Timeout(120)
    void registeringAHundredThousandNodesShouldCopyLinearlyManyElements()
    {
        final int n = 100_000;
        final NodeRegistry registry = new NodeRegistry();
        for (int i = 0; i < n; i++)
        {
            assertThat(registry.register("node-" + i)).isEqualTo(i);
            if (i % 10_000 == 0)
            {
                // Interleaved encodes extend the ascending-id view instead of rebuilding it from scratch.
                final VectorClock clock = new VectorClock(registry);
                clock.increment(i);
                assertThat(clock.encodedLength()).isPositive();
                clock.encode(new byte[clock.encodedLength()], 0);
            }
        }
        assertThat(registry.elementsCopied()).as("elements copied by %d registrations", n).isLessThan(10L * n);
        assertThat(registry.size()).isEqualTo(n);
        for (int i = 0; i < n; i += 997)
        {
            assertThat(registry.indexOf("node-" + i)).isEqualTo(i);
            assertThat(registry.indexOf(NodeRegistry.idOf("node-" + i))).isEqualTo(i);
        }
        final VectorClock all = new VectorClock(registry);
        for (int i = 0; i < n; i++)
        {
            all.increment(i);
        }
        final byte[] bytes = TestClocks.bytes(all);
        final VectorClock decoded = new VectorClock(registry);
        decoded.decode(bytes, 0, bytes.length);
        assertThat(decoded.compare(all)).isEqualTo(Causality.EQUAL);
        // Pruning a large clock is O(n log n), also when it prunes nothing.
        assertThat(all.prune(PruningPolicy.keepAtMost(n))).isZero();
        assertThat(all.prune(PruningPolicy.keepAtMost(n - 10))).isEqualTo(10);
    }

    @Test
    void lookupsOfAnOlderSnapshotShouldNeverSeeNodesRegisteredAfterIt()
    {
        final NodeRegistry registry = new NodeRegistry();
        registry.register(5);
        final NodeRegistry.Members before = registry.members();
        for (int i = 0; i < 100; i++)
        {
            registry.register(100 + i);
        }
        assertThat(before.indexOf(5)).isZero();
        assertThat(before.indexOf(150)).isEqualTo(NodeRegistry.UNKNOWN);
        assertThat(before.sorted().ids).containsExactly(5);
        assertThat(registry.members().sorted().ids).hasSize(101).isSorted();
    }
}
