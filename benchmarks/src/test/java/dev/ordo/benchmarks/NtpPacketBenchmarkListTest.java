package dev.ordo.benchmarks;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class NtpPacketBenchmarkListTest
{
    @Test
    void annotationProcessorShouldHaveGeneratedTheNtpPacketBenchmarks() throws Exception
    {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList"))
        {
            assertThat(in).as("JMH BenchmarkList resource").isNotNull();
            final String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list).contains("NtpPacketBenchmark_buildRequest_jmhTest",
                "NtpPacketBenchmark_buildRequestThenParseAndValidateReply_jmhTest",
                "NtpPacketBenchmark_buildRequestThenParseAndValidateReplyInByteArray_jmhTest");
        }
    }
}
