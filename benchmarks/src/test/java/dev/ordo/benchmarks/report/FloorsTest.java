package dev.ordo.benchmarks.report;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each row is divided by the real floor of its operation when the run has it (fixture
 * {@code jmh-floors-fixture.json}); {@link ResultTableTest} covers the fallback on a file without those floors.
 */
class FloorsTest
{
    private static List<ResultTable.Row> rows;

    @BeforeAll
    static void readFixture() throws Exception
    {
        rows = ResultTable.rows(BenchmarkChartSvgTest.fixture("/jmh-floors-fixture.json"));
    }

    @Test
    void hlcRowsShouldBeDividedByAClockReadPlusAnAtomicAdd()
    {
        for (final String label : List.of("HybridClockBenchmark.now", "IgniteHybridClockBenchmark.now",
            "IgniteHybridClockBenchmark.nowObject"))
        {
            assertThat(row(label, 1).floorId()).as(label).isEqualTo(Comparisons.HLC_FLOOR);
            assertThat(row(label, 1).floorFallback()).as(label).isFalse();
        }
        assertThat(row("HybridClockBenchmark.now", 1).floorRatio()).isCloseTo(50.0 / 48.0, within(1e-12));
        // contended rows have a floor of their own (both threads adding to one counter); this file lacks it, and
        // an uncontended floor would make contention look like overhead: no ratio
        assertThat(row("HybridClockBenchmark.nowContended", 2).floorId()).isEqualTo(Comparisons.HLC_CONTENDED_FLOOR);
        assertThat(row("HybridClockBenchmark.nowContended", 2).floorRatio()).isNaN();
    }

    @Test
    void boundedRowsShouldBeDividedByARealTimePlusAMonotonicRead()
    {
        final ResultTable.Row fixed = row("BoundedClockBenchmark.nowFixed", 1);

        assertThat(fixed.floorId()).isEqualTo(Comparisons.BOUNDED_FLOOR);
        assertThat(fixed.floorRatio()).isCloseTo(100.0 / 96.0, within(1e-12));
        assertThat(fixed.floorFallback()).isFalse();
    }

    @Test
    void lamportShouldBeDividedByAnAtomicIncrement()
    {
        assertThat(row("LamportClockBenchmark.tick", 1).floorId()).isEqualTo(Comparisons.ATOMIC_FLOOR);
        assertThat(row("LamportClockBenchmark.tick", 1).floorRatio()).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void theContendedLamportTickShouldBeDividedByAContendedAtomicIncrement()
    {
        // both threads incrementing one counter: dividing by the one-thread increment made contention read as 7x
        assertThat(row("LamportClockBenchmark.tickContended", 2).floorId())
            .isEqualTo(Comparisons.ATOMIC_CONTENDED_FLOOR);
        assertThat(row("LamportClockBenchmark.tickContended", 2).floorRatio()).isCloseTo(60.0 / 50.0, within(1e-12));
        assertThat(row("LamportClockBenchmark.tickContended", 2).floorFallback()).isFalse();
    }

    @Test
    void floorsAndTheCommitWaitOvershootShouldHaveNoFloor()
    {
        for (final String label : List.of(Comparisons.HLC_FLOOR, Comparisons.BOUNDED_FLOOR, Comparisons.ATOMIC_FLOOR,
            Comparisons.CLOCK_READ_FLOOR, "BoundedClockBenchmark.commitWaitOvershoot [aheadNs=5000]"))
        {
            assertThat(row(label, 1).floorId()).as(label).isNull();
            assertThat(row(label, 1).floorRatio()).as(label).isNaN();
        }
        assertThat(row(Comparisons.ATOMIC_CONTENDED_FLOOR, 2).floorId()).isNull();
    }

    @Test
    void theCommitWaitOvershootShouldBeTheMeanOfItsCounters()
    {
        final BenchmarkResult wait = row("BoundedClockBenchmark.commitWaitOvershoot [aheadNs=5000]", 1).result();

        assertThat(wait.nsPerOp()).isCloseTo(7_500.0, within(1e-9));
        assertThat(wait.counters()).containsOnlyKeys("overshootNs", "waits");
        assertThat(ResultTable.meanOvershootNs(wait)).isCloseTo(300.0, within(1e-9));
    }

    @Test
    void theTableShouldNameEachFloorAndMentionNoFallback()
    {
        final String table = ResultTable.markdown(rows, null);

        assertThat(table).contains("| HybridClockBenchmark.now | 1 | 50.0 | 2.5 | 0 | epochMillisPlusAtomicAdd | 1.04× |");
        assertThat(table).contains("| BoundedClockBenchmark.nowFixed | 1 | 100.0 | 5.0 | 0 | " +
            "floorRealTimePlusMonotonicRead | 1.04× |");
        assertThat(table).doesNotContain("fallback");
        assertThat(table).contains("Commit-wait overshoot (mean `overshootNs / waits`): " +
            "BoundedClockBenchmark.commitWaitOvershoot [aheadNs=5000] 300.0 ns.");
    }

    @Test
    void everyPeerShouldBeMatchedOnTheSameParametersInAFixedOrder()
    {
        assertThat(row("VectorClockBenchmark.merge [nodes=16]", 1).peers()).extracting(ResultTable.PeerRatio::peer)
            .containsExactly("PekkoVectorClockBenchmark.merge", "HazelcastVectorClockBenchmark.merge",
                "HazelcastVectorClockBenchmark.mergeInPlace");
        assertThat(row("HybridClockBenchmark.nowContended", 2).peers()).extracting(ResultTable.PeerRatio::peer)
            .containsExactly("IgniteHybridClockBenchmark.nowContended");
    }

    private static ResultTable.Row row(final String label, final int threads)
    {
        return rows.stream().filter(r -> r.result().label().equals(label) && r.result().threads() == threads)
            .findFirst().orElseThrow(() -> new AssertionError("no row " + label));
    }
}
