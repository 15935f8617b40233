package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PeerClockMonitorBenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedThePeerClockMonitorBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("PeerClockMonitorBenchmark_observe_jmhTest",
                "PeerClockMonitorBenchmark_headerStampAndReceive_jmhTest",
                "PeerClockMonitorBenchmark_clusterErrorBound_jmhTest",
                "PeerClockMonitorBenchmark_observeContended_jmhTest", "PeerClockMonitorBenchmark_nanoTimeFloor_jmhTest");
        }
    }
}
