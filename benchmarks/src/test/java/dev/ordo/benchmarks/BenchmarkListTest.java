package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedTheFloorBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains(
                "dev.ordo.benchmarks.PhysicalClockBenchmark", "PhysicalClockBenchmark_currentTimeMillis_jmhTest",
                "PhysicalClockBenchmark_nanoTime_jmhTest", "PhysicalClockBenchmark_instantNow_jmhTest",
                "PhysicalClockBenchmark_atomicIncrement_jmhTest", "PhysicalClockBenchmark_atomicIncrementContended_jmhTest",
                "PhysicalClockBenchmark_epochMillisPlusAtomicAddContended_jmhTest",
                "ContendedCounterBenchmark_getAndAdd_jmhTest", "ContendedCounterBenchmark_readThenGetAndAdd_jmhTest",
                "ContendedCounterBenchmark_compareAndSetRetry_jmhTest",
                "ContendedCounterBenchmark_compareAndSetBackoff16_jmhTest",
                "ContendedCounterBenchmark_compareAndSetBackoff64_jmhTest");
            assertThat(list).contains(
                "LamportClockBenchmark_tick_jmhTest", "LamportClockBenchmark_update_jmhTest",
                "LamportClockBenchmark_tickContended_jmhTest",
                "HybridClockBenchmark_now_jmhTest", "HybridClockBenchmark_update_jmhTest",
                "HybridClockBenchmark_nowCachedClock_jmhTest", "HybridClockBenchmark_nowContended_jmhTest",
                "HybridClockBenchmark_updateContended_jmhTest", "MutexHybridClockBenchmark_now_jmhTest",
                "MutexHybridClockBenchmark_nowContended_jmhTest", "IgniteHybridClockBenchmark_now_jmhTest",
                "IgniteHybridClockBenchmark_nowContended_jmhTest", "IgniteHybridClockBenchmark_update_jmhTest",
                "PekkoVectorClockBenchmark_merge_jmhTest", "HazelcastVectorClockBenchmark_compare_jmhTest");
        }
    }
}
