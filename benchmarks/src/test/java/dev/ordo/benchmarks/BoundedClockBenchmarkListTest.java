package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedClockBenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedTheBoundedClockBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains(
                "BoundedClockBenchmark_nowFixed_jmhTest", "BoundedClockBenchmark_nowDrift_jmhTest",
                "BoundedClockBenchmark_nowClockBound_jmhTest", "BoundedClockBenchmark_nowClockBoundEveryRead_jmhTest",
                "BoundedClockBenchmark_after_jmhTest",
                "BoundedClockBenchmark_before_jmhTest", "BoundedClockBenchmark_commitWaitOvershoot_jmhTest");
        }
    }
}
