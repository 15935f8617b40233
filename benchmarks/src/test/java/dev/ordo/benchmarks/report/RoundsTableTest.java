package dev.ordo.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoundsTableTest
{
    private static BenchmarkResult contended(final String className, final double ns)
    {
        return new BenchmarkResult(className, "nowContended", Map.of(), 2, ns, 1.0, 0.0);
    }

    private static BenchmarkResult floor(final double ns)
    {
        return new BenchmarkResult("PhysicalClockBenchmark", "epochMillisPlusAtomicAddContended", Map.of(), 2, ns, 1.0, 0.0);
    }

    /** Two rounds in opposite placements: each row's ns moves 2x, the ratio within each round does not. */
    private static final List<List<BenchmarkResult>> ROUNDS = List.of(
        List.of(contended("HybridClockBenchmark", 100), contended("IgniteHybridClockBenchmark", 104), floor(98)),
        List.of(contended("HybridClockBenchmark", 50), contended("IgniteHybridClockBenchmark", 48), floor(60)),
        List.of(contended("HybridClockBenchmark", 52), floor(61)));

    @Test
    void shouldGiveEachRoundsRatiosWithinThatRoundAndTheirMedianAndRange()
    {
        final String md = RoundsTable.markdown(ROUNDS);

        assertThat(md).contains("Interleaved rounds: 3 JMH runs of one fork each");
        // ns/op per round, with a dash where a round lacks the row; median over the rounds that have it
        assertThat(md).contains("| HybridClockBenchmark.nowContended (2 threads) | 100.0 | 50.0 | 52.0 | 52.0 | 50.0–100.0 |");
        assertThat(md).contains("| IgniteHybridClockBenchmark.nowContended (2 threads) | 104.0 | 48.0 | — | 76.0 | 48.0–104.0 |");
        // ratios are taken inside each round, never across rounds
        assertThat(md).contains("| HybridClockBenchmark.nowContended (2 threads) | × Ignite 3 | 0.96× | 1.04× | — | 1.00× | 0.96×–1.04× |");
        assertThat(md).contains("| HybridClockBenchmark.nowContended (2 threads) | × floor: clock read + atomic add, 2 threads | 1.02× | 0.83× | 0.85× |");
        // peers and floors get no ratio rows of their own
        assertThat(md).doesNotContain("| IgniteHybridClockBenchmark.nowContended (2 threads) | ×");
        assertThat(md).doesNotContain("| PhysicalClockBenchmark.epochMillisPlusAtomicAddContended (2 threads) | ×");
    }

    @Test
    void shouldTakeTheMedianOfWhatIsPresent()
    {
        assertThat(RoundsTable.median(new double[] {3, Double.NaN, 1, 2})).isEqualTo(2.0);
        assertThat(RoundsTable.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(RoundsTable.median(new double[] {Double.NaN})).isNaN();
    }

    @Test
    void shouldRefuseNoRoundsAndUnknownFlagsWithAUsageMessage()
    {
        assertThatThrownBy(() -> RoundsTable.markdown(List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rounds");
        assertThatThrownBy(() -> RoundsTable.main(new String[] {"--svg", "x.svg"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage: RoundsTable");
        assertThatThrownBy(() -> RoundsTable.main(new String[] {"a.json", "--md"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--md needs a file name");
    }

    @Test
    void shouldReadRealRoundFilesAndWriteTheMarkdown() throws Exception
    {
        // two rounds read from files as JMH writes them (a minimal file: no params, no -prof gc)
        final Path dir = Files.createTempDirectory("rounds");
        final String fixture = """
            [{"benchmark":"dev.ordo.benchmarks.HybridClockBenchmark.nowContended","mode":"avgt","threads":2,
              "primaryMetric":{"score":44.0,"scoreError":1.0,"scoreUnit":"ns/op","rawData":[[44.0,44.0]]}},
             {"benchmark":"dev.ordo.benchmarks.IgniteHybridClockBenchmark.nowContended","mode":"avgt","threads":2,
              "primaryMetric":{"score":88.0,"scoreError":1.0,"scoreUnit":"ns/op","rawData":[[88.0,88.0]]}}]
            """;
        final Path round = Files.writeString(dir.resolve("round1.json"), fixture);
        final Path md = dir.resolve("rounds.md");

        RoundsTable.main(new String[] {round.toString(), round.toString(), "--md", md.toString()});

        assertThat(Files.readString(md))
            .contains("| HybridClockBenchmark.nowContended (2 threads) | × Ignite 3 | 0.50× | 0.50× | 0.50× | 0.50×–0.50× |");
    }
}
