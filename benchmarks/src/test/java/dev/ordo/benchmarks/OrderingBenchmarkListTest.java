package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OrderingBenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedTheDvvCausalDeliveryAndItcBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (final String method : new String[] {
                "readModifyWrite", "concurrentWriteThenResolve", "sync", "encodeDecodeSet", "decodeContext",
                "compareContexts" })
            {
                assertThat(list).contains("DvvBenchmark_" + method + "_jmhTest");
            }
            assertThat(list).contains("CausalDeliveryBenchmark_inOrder_jmhTest")
                .contains("CausalDeliveryBenchmark_outOfOrderPairAndDuplicate_jmhTest");
            for (final String method : new String[] { "event", "receive", "compare", "encodeDecode" })
            {
                assertThat(list).contains("ItcBenchmark_" + method + "_jmhTest");
            }
        }
    }
}
