package dev.ordo.benchmarks.report;

import dev.ordo.clocks.testing.SvgCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResultTableTest
{
    private static List<BenchmarkResult> results;

    @BeforeAll
    static void readFixture() throws Exception
    {
        try (InputStream in = ResultTableTest.class.getResourceAsStream("/jmh-fixture.json"))
        {
            results = BenchmarkResult.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldReadNamesParamsScoresAndAllocationAndSkipThroughputResults()
    {
        assertThat(results).hasSize(9);
        final BenchmarkResult merge = byLabel("VectorClockBenchmark.merge [nodes=16]");
        assertThat(merge.className()).isEqualTo("VectorClockBenchmark");
        assertThat(merge.method()).isEqualTo("merge");
        assertThat(merge.params()).isEqualTo(Map.of("nodes", "16"));
        assertThat(merge.nsPerOp()).isEqualTo(20.0);
        assertThat(merge.errorNs()).isEqualTo(0.5);
        assertThat(merge.bytesPerOp()).isEqualTo(0.0);
        assertThat(results).noneMatch(r -> r.className().equals("SomethingNewBenchmark"));
    }

    @Test
    void shouldConvertMicrosecondsAndKeepMissingValuesAsNaN()
    {
        final BenchmarkResult atomic = byLabel("PhysicalClockBenchmark.atomicIncrement");

        assertThat(atomic.nsPerOp()).isCloseTo(10.0, within(1e-9));
        assertThat(atomic.errorNs()).isNaN();
        assertThat(atomic.bytesPerOp()).isNaN();
    }

    @Test
    void shouldDivideByTheFloorOfEachRow()
    {
        // this file predates the clock-read-plus-atomic-add floor: the HLC row falls back to one clock read
        final ResultTable.Row hlc = row("HybridClockBenchmark.now");
        assertThat(hlc.floorId()).isEqualTo(Comparisons.CLOCK_READ_FLOOR);
        assertThat(hlc.floorFallback()).isTrue();
        assertThat(hlc.missingFloorId()).isEqualTo(Comparisons.HLC_FLOOR);
        assertThat(hlc.floorRatio()).isCloseTo(44.0 / 40.0, within(1e-12));

        final ResultTable.Row merge = row("VectorClockBenchmark.merge [nodes=16]");
        assertThat(merge.floorId()).isEqualTo(Comparisons.ATOMIC_FLOOR);
        assertThat(merge.floorRatio()).isCloseTo(20.0 / 10.0, within(1e-12));
        assertThat(merge.floorFallback()).isFalse();
    }

    @Test
    void shouldDivideByEveryPeerThatRanWithTheSameParameters()
    {
        assertThat(row("HybridClockBenchmark.now").peers()).containsExactly(
            new ResultTable.PeerRatio("IgniteHybridClockBenchmark.now", 44.0 / 48.0),
            new ResultTable.PeerRatio("MutexHybridClockBenchmark.now", 44.0 / 88.0));
        // Pekko ran with nodes=4 and nodes=16: only the 16 is comparable; Hazelcast did not run at all.
        assertThat(row("VectorClockBenchmark.merge [nodes=16]").peers()).containsExactly(
            new ResultTable.PeerRatio("PekkoVectorClockBenchmark.merge", 20.0 / 1200.0));
    }

    @Test
    void shouldGiveUnknownBenchmarksARowWithoutFloorOrPeers()
    {
        final ResultTable.Row ntp = row("NtpPacketBenchmark.decode");

        assertThat(ntp.floorId()).isNull();
        assertThat(ntp.floorRatio()).isNaN();
        assertThat(ntp.peers()).isEmpty();
    }

    @Test
    void shouldPrintOneMarkdownLinePerResult()
    {
        final String table = ResultTable.markdown(ResultTable.rows(results), "Machine: test");

        assertThat(table).startsWith("Machine: test\n\n| Benchmark |");
        assertThat(table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Benchmark"))).hasSize(9);
        assertThat(table).contains(
            "| HybridClockBenchmark.now | 1 | 44.0 | 1.5 | 0 | currentTimeMillis (fallback) | 1.10× | " +
            "IgniteHybridClock.now 0.92×; MutexHybridClock.now 0.50× |");
        assertThat(table).contains("| PekkoVectorClockBenchmark.merge [nodes=16] | 1 | 1,200 | 50.0 | 1656 |");
        assertThat(table).contains("| NtpPacketBenchmark.decode | 1 | 12.5 | 0.3 | 0 | — | — | — |");
        assertThat(table).contains("Floor fallback: this run has no `PhysicalClockBenchmark.epochMillisPlusAtomicAdd`");
    }

    @Test
    void shouldWriteAWellFormedSvgWithTheTitleEscaped()
    {
        final String svg = ResultTable.chart(ResultTable.rows(results), "a <title> & more");

        assertThat(svg).startsWith("<svg ").endsWith("</svg>\n");
        assertThat(svg).contains("a &lt;title&gt; &amp; more");
        new SvgCheck(svg).assertNothingOverlaps("bar");
    }

    @Test
    void shouldReportTheSpreadBetweenForksOfRowsThatRanInSeveral()
    {
        final String json = """
            [ { "benchmark" : "dev.ordo.benchmarks.HybridClockBenchmark.nowContended", "mode" : "avgt",
                "threads" : 2, "forks" : 3,
                "primaryMetric" : { "score" : 60.0, "scoreError" : 9.0, "scoreUnit" : "ns/op",
                  "rawData" : [ [ 50.0, 52.0 ], [ 55.0, 55.0 ], [ 74.0, 74.0 ] ] } },
              { "benchmark" : "dev.ordo.benchmarks.HybridClockBenchmark.now", "mode" : "avgt", "threads" : 1,
                "primaryMetric" : { "score" : 0.03, "scoreError" : 0.001, "scoreUnit" : "us/op",
                  "rawData" : [ [ 0.03, 0.03 ] ] } } ]
            """;
        final List<BenchmarkResult> parsed = BenchmarkResult.parseAll(json);

        assertThat(parsed.get(0).forkMeansNs()).containsExactly(51.0, 55.0, 74.0);
        assertThat(parsed.get(0).hasSeveralForks()).isTrue();
        assertThat(parsed.get(1).forkMeansNs()).hasSize(1);
        assertThat(parsed.get(1).forkMeansNs().get(0)).isCloseTo(30.0, within(1e-9));
        assertThat(parsed.get(1).hasSeveralForks()).isFalse();
        assertThat(ResultTable.markdown(ResultTable.rows(parsed), null)).contains(
            "Spread between forks (each fork a fresh JVM; mean of its iterations, ns/op): " +
                "HybridClockBenchmark.nowContended (2 threads) 51.0, 55.0, 74.0 (max/min 1.45×).")
            .doesNotContain("HybridClockBenchmark.now 30.0");
    }

    @Test
    void shouldDivideContendedRowsByTheContendedFloorAndMatchPeersOnTheParametersTheyHave()
    {
        final String json = """
            [ { "benchmark" : "dev.ordo.benchmarks.PhysicalClockBenchmark.epochMillisPlusAtomicAdd", "threads" : 1,
                "primaryMetric" : { "score" : 30.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.PhysicalClockBenchmark.epochMillisPlusAtomicAddContended",
                "threads" : 2, "primaryMetric" : { "score" : 80.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.HybridClockBenchmark.nowContended", "threads" : 2,
                "primaryMetric" : { "score" : 60.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.IgniteHybridClockBenchmark.nowContended", "threads" : 2,
                "primaryMetric" : { "score" : 64.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.VectorClockBenchmark.merge", "threads" : 1,
                "params" : { "ids" : "small", "nodes" : "16" },
                "primaryMetric" : { "score" : 12.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.PekkoVectorClockBenchmark.merge", "threads" : 1,
                "params" : { "nodes" : "16" },
                "primaryMetric" : { "score" : 1200.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } },
              { "benchmark" : "dev.ordo.benchmarks.PekkoVectorClockBenchmark.merge", "threads" : 1,
                "params" : { "nodes" : "4" },
                "primaryMetric" : { "score" : 300.0, "scoreError" : 1.0, "scoreUnit" : "ns/op" } } ]
            """;
        final List<ResultTable.Row> rows = ResultTable.rows(BenchmarkResult.parseAll(json));

        final ResultTable.Row contended = rows.get(2);
        assertThat(contended.floorId()).isEqualTo(Comparisons.HLC_CONTENDED_FLOOR);
        assertThat(contended.floorRatio()).isCloseTo(60.0 / 80.0, within(1e-12));
        assertThat(contended.floorFallback()).isFalse();
        assertThat(contended.peers()).containsExactly(
            new ResultTable.PeerRatio("IgniteHybridClockBenchmark.nowContended", 60.0 / 64.0));
        assertThat(rows.get(3).floorId()).isEqualTo(Comparisons.HLC_CONTENDED_FLOOR);
        // Ordo's vector rows carry an ids kind the peers do not have: compared with the peer of the same size
        assertThat(rows.get(4).peers()).containsExactly(
            new ResultTable.PeerRatio("PekkoVectorClockBenchmark.merge", 12.0 / 1200.0));
        new SvgCheck(ResultTable.chart(rows, "t")).assertNothingOverlaps("bar", "legend-key");
    }

    @Test
    void shouldRejectAFileThatIsNotAnArrayOfResults()
    {
        assertThatThrownBy(() -> BenchmarkResult.parseAll("{}"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON array");
        assertThatThrownBy(() -> BenchmarkResult.parseAll("[{\"benchmark\": 3}]"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("benchmark");
    }

    private static BenchmarkResult byLabel(final String label)
    {
        return results.stream().filter(r -> r.label().equals(label)).findFirst().orElseThrow();
    }

    private static ResultTable.Row row(final String label)
    {
        return ResultTable.rows(results).stream().filter(r -> r.result().label().equals(label))
            .findFirst().orElseThrow();
    }
}
