package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class VectorClockBenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedTheVectorClockBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (final String method : new String[] {
                "increment", "merge", "compare", "encode", "decode", "compareEncoded", "wrapAndCompareEncoded",
                "wrapAndCompareWithEncoded" })
            {
                assertThat(list).contains("VectorClockBenchmark_" + method + "_jmhTest");
            }
        }
    }
}
