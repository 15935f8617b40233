package dev.ordo.benchmarks.report;

import dev.ordo.clocks.testing.SvgCheck;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchmarkChartSvgTest
{
    /** The reference run the docs show (the module's tests run in benchmarks/). */
    static final Path REFERENCE = Path.of("../docs/benchmarks-reference.json");
    static final Path DOCS_CHART = Path.of("../docs/benchmarks.svg");

    @Test
    void theReferenceChartShouldHaveNoOverlappingLabelsAndRoundTicks() throws IOException
    {
        final String svg = ResultTable.chart(ResultTable.rows(reference()), "Ordo benchmarks: reference run");

        final SvgCheck check = new SvgCheck(svg).assertNothingOverlaps("bar", "legend-key");

        assertThat(check.assertTicksAreRound()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theLayoutCheckShouldEstimateTextWidthsAsTheChartLaysThemOut()
    {
        for (int length = 0; length <= 40; length++)
        {
            for (int sizePx = 8; sizePx <= 24; sizePx++)
            {
                final String text = "x".repeat(length);
                assertThat(SvgCheck.textWidth(text, sizePx, false)).isEqualTo(BenchmarkChartSvg.textWidth(text, sizePx, false));
                assertThat(SvgCheck.textWidth(text, sizePx, true)).isEqualTo(BenchmarkChartSvg.textWidth(text, sizePx, true));
            }
        }
    }

    @Test
    void theCommittedChartShouldBeTheReferenceRunRedrawn() throws IOException
    {
        final String committed = Files.readString(DOCS_CHART, StandardCharsets.UTF_8);

        assertThat(committed).as("docs/benchmarks.svg is not the reference run drawn by this code: " +
            "redraw it with benchmarks/run --docs").isEqualTo(ResultTable.chart(ResultTable.rows(reference()),
            "Ordo benchmarks: reference run (docs/benchmarks-reference.json)"));
        new SvgCheck(committed).assertNothingOverlaps("bar", "legend-key").assertTicksAreRound();
    }

    @Test
    void everyOrdoGroupShouldShowOrdoThenEveryPeerThenTheFloorOnOneScale() throws IOException
    {
        for (final List<BenchmarkResult> run : List.of(reference(), fixture("/jmh-floors-fixture.json"),
            fixture("/jmh-fixture.json")))
        {
            final List<ResultTable.Row> rows = ResultTable.rows(run);
            final SvgCheck check = new SvgCheck(ResultTable.chart(rows, "t"));
            final Map<String, List<String>> drawn = new HashMap<>();
            for (final Element group : check.byClass("group"))
            {
                drawn.put(group.getAttribute("data-id"),
                    SvgCheck.descendants(group, "bar").stream().map(b -> b.getAttribute("data-series")).toList());
            }
            final Map<String, List<String>> expected = new HashMap<>();
            for (final ResultTable.Row row : rows)
            {
                final BenchmarkResult r = row.result();
                if (Comparisons.isPeer(r.className()) || Comparisons.isFloor(r.id()) ||
                    !Double.isNaN(ResultTable.meanOvershootNs(r)))
                {
                    continue;
                }
                final List<String> series = new ArrayList<>();
                series.add("ordo");
                row.peers().forEach(p -> series.add("peer"));
                if (!Double.isNaN(row.floorRatio()))
                {
                    series.add("floor");
                }
                expected.put(BenchmarkChartSvg.groupId(r), series);
            }
            assertThat(expected).isNotEmpty();
            assertThat(drawn).as("every Ordo group with its bars in order: Ordo, peers, floor")
                .containsAllEntriesOf(expected);
            assertThat(drawn.values()).allSatisfy(g -> assertThat(g).isNotEmpty());
            check.assertNothingOverlaps("bar", "legend-key");
            check.assertTicksAreRound();
            // the axis starts below the shortest bar: no bar is a sliver at the axis origin
            assertThat(check.byClass("bar")).allSatisfy(bar ->
                assertThat(Double.parseDouble(bar.getAttribute("width"))).as(bar.getTextContent()).isGreaterThan(20));
        }
    }

    @Test
    void everyResultShouldBeDrawnAtLeastOnce() throws IOException
    {
        final List<BenchmarkResult> run = reference();
        final String svg = ResultTable.chart(ResultTable.rows(run), "t");
        final SvgCheck check = new SvgCheck(svg);
        final List<String> tooltips = check.byClass("bar").stream().map(Element::getTextContent).toList();
        for (final BenchmarkResult r : run)
        {
            final String time = BenchmarkChartSvg.durationText(r.nsPerOp());
            assertThat(tooltips).as("a bar for %s", r.label()).anyMatch(t -> t.contains(r.method()) || t.contains(time));
        }
    }

    @Test
    void theRatioShouldBePrintedBesideEveryPeerAndFloorBar() throws IOException
    {
        final String svg = ResultTable.chart(ResultTable.rows(fixture("/jmh-floors-fixture.json")), "t");

        assertThat(svg).contains("1.20 µs · <tspan fill=\"#b22222\" font-weight=\"bold\">1624 B/op</tspan> · " +
            "Ordo 60× faster");
        assertThat(svg).contains("48.0 ns · Ordo at 1.04× floor");
        assertThat(svg).contains("96.0 ns · Ordo at 1.04× floor");
        assertThat(svg).contains("55.0 ns · Ordo 1.10× faster");
        assertThat(svg).contains("300 ns past the target");
        assertThat(svg).doesNotContain("floor: one clock read *").doesNotContain("understates");
    }

    @Test
    void aRunWithoutTheRealFloorsShouldSayItsFloorIsAFallback() throws IOException
    {
        final String svg = ResultTable.chart(ResultTable.rows(fixture("/jmh-fixture.json")), "t");

        assertThat(svg).contains("floor: one clock read *").contains("understates the floor");
    }

    @Test
    void ratiosShouldReadAsFasterSlowerOrTie()
    {
        assertThat(BenchmarkChartSvg.peerRatioText(0.5)).isEqualTo("Ordo 2.00× faster");
        assertThat(BenchmarkChartSvg.peerRatioText(1.0 / 62)).isEqualTo("Ordo 62× faster");
        assertThat(BenchmarkChartSvg.peerRatioText(1.46)).isEqualTo("Ordo 1.46× slower");
        assertThat(BenchmarkChartSvg.peerRatioText(0.98)).isEqualTo("Ordo ties (0.98×)");
        assertThat(BenchmarkChartSvg.tickText(1)).isEqualTo("1 ns");
        assertThat(BenchmarkChartSvg.tickText(10_000)).isEqualTo("10 µs");
        assertThat(BenchmarkChartSvg.tickText(1e6)).isEqualTo("1 ms");
    }

    static List<BenchmarkResult> reference() throws IOException
    {
        return BenchmarkResult.parseAll(Files.readString(REFERENCE, StandardCharsets.UTF_8));
    }

    static List<BenchmarkResult> fixture(final String resource) throws IOException
    {
        try (InputStream in = BenchmarkChartSvgTest.class.getResourceAsStream(resource))
        {
            return BenchmarkResult.parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
