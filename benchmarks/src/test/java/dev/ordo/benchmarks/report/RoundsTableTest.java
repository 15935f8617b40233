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
        assertThatThrownBy(() -> RoundsTable.run(new String[] {"--svg", "x.svg"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage: RoundsTable");
        assertThatThrownBy(() -> RoundsTable.run(new String[] {"a.json", "-x"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected argument: -x");
        assertThatThrownBy(() -> RoundsTable.run(new String[] {"a.json", "--md"}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--md needs a file name");
        assertThatThrownBy(() -> RoundsTable.run(new String[0]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no result files");
    }

    @Test
    void shouldRefuseAFileThatIsNotJmhJsonOrMissingNamingTheFile() throws Exception
    {
        final Path dir = Files.createTempDirectory("rounds");
        final Path notJson = Files.writeString(dir.resolve("notjson.json"), "hello");

        assertThatThrownBy(() -> RoundsTable.run(new String[] {notJson.toString()}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notjson.json: not a JMH result file");
        assertThatThrownBy(() -> RoundsTable.run(new String[] {dir.resolve("missing.json").toString()}))
            .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> RoundsTable.markdown(List.of(List.of(), List.of())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no average-time results in any round");
    }

    @Test
    void shouldRefuseARoundThatHoldsOneRowTwiceRatherThanPairCopiesWithTheWrongPeer()
    {
        // JMH adds -bm modes together: a second mode of the same benchmark lands under the same label
        final List<List<BenchmarkResult>> rounds = List.of(List.of(
            contended("HybridClockBenchmark", 100), contended("HybridClockBenchmark", 7000),
            contended("IgniteHybridClockBenchmark", 104)));

        assertThatThrownBy(() -> RoundsTable.markdown(rounds))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("round 1 holds HybridClockBenchmark.nowContended (2 threads) twice");
    }

    @Test
    void shouldKeepEveryLineAsWideAsItsHeaderWithPipesInParamsAndZeroScores()
    {
        final BenchmarkResult ordo = new BenchmarkResult("VectorClockBenchmark", "merge", Map.of("ids", "a|b"), 1, 5.0, 0, 0);
        final BenchmarkResult zeroPeer = new BenchmarkResult("PekkoVectorClockBenchmark", "merge", Map.of(), 1, 0.0, 0, 0);
        final String md = RoundsTable.markdown(List.of(List.of(ordo, zeroPeer), List.of(ordo)));

        assertThat(md).contains("VectorClockBenchmark.merge [ids=a\\|b]");
        // a ratio to a zero score is not a number: shown as missing, left out of the median
        assertThat(md).contains("| × Pekko | — | — | — | — |");
        for (final String line : md.split("\n"))
        {
            if (line.startsWith("|"))
            {
                final long cells = line.replace("\\|", "").chars().filter(c -> c == '|').count();
                assertThat(cells).as(line).isIn(6L, 7L); // ns table: 5 cells, 6 bars; ratio table: 6 cells, 7 bars
            }
        }
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

        RoundsTable.run(new String[] {round.toString(), round.toString(), "--md", md.toString()});

        assertThat(Files.readString(md))
            .contains("| HybridClockBenchmark.nowContended (2 threads) | × Ignite 3 | 0.50× | 0.50× | 0.50× | 0.50×–0.50× |");
    }
}
