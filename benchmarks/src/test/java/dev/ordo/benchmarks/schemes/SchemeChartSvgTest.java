package dev.ordo.benchmarks.schemes;

import dev.ordo.clocks.testing.Seeds;
import dev.ordo.clocks.testing.SvgCheck;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SchemeChartSvgTest
{
    private static final long[] SKEWS_US = {0, 10_000, 100_000, 1_000_000};

    @Test
    void theCommittedChartShouldHaveEveryCellNoOverlapsAndRoundTicks() throws IOException
    {
        final String svg = Files.readString(Path.of("../docs/schemes.svg"), StandardCharsets.UTF_8);
        final SvgCheck check = new SvgCheck(svg).assertNothingOverlaps("bar");

        assertThat(check.assertTicksAreRound()).isGreaterThanOrEqualTo(3);
        final List<Element> cells = check.byClass("cell");
        assertThat(cells).hasSize(3 * check.byClass("scheme").size()).hasSizeGreaterThanOrEqualTo(3 * 5);
        for (final Element cell : cells)
        {
            assertThat(SvgCheck.descendants(cell, "value")).as("one value per skew").hasSize(SKEWS_US.length);
        }
    }

    @Test
    void anyNumberOfSchemesShouldGetARowWithABarForEveryNonZeroValue()
    {
        final long seed = Seeds.seed("scheme chart with any number of schemes");
        final SplittableRandom random = new SplittableRandom(seed);
        for (final int schemeCount : new int[] {1, 5, 6, 9})
        {
            final List<SchemeResult> results = new ArrayList<>();
            long nonZero = 0;
            for (final long skewUs : SKEWS_US)
            {
                for (int s = 0; s < schemeCount; s++)
                {
                    final long lost = random.nextInt(3) == 0 ? 0 : random.nextLong(20_000);
                    final long overwritten = random.nextInt(3) == 0 ? 0 : random.nextLong(2_000);
                    final long waitUs = s == schemeCount - 1 ? skewUs + 4_600 : 0;
                    nonZero += (lost > 0 ? 1 : 0) + (overwritten > 0 ? 1 : 0) + (waitUs > 0 ? 1 : 0);
                    results.add(new SchemeResult(s == 5 ? "Dotted version vectors" : "Scheme number " + s, skewUs,
                        1_328, lost, overwritten, 4_000, 0, s, s == 2 ? 1_913 : 0, 10_000, 100_000,
                        waitUs * 1_328, waitUs));
                }
            }
            final SvgCheck check = new SvgCheck(SchemeChartSvg.render(results, "t", "a subtitle"))
                .assertNothingOverlaps("bar");
            check.assertTicksAreRound();
            assertThat(check.byClass("scheme")).as("seed %d", seed).hasSize(schemeCount);
            assertThat(check.byClass("cell")).hasSize(3 * schemeCount);
            assertThat(check.byClass("bar")).as("seed %d", seed).hasSize((int)nonZero);
            assertThat(check.byClass("value")).hasSize(3 * schemeCount * SKEWS_US.length);
        }
    }

    @Test
    void theSeed42StoryShouldReadFromTheCommittedChart() throws IOException
    {
        // docs/schemes.svg is the seed-42 run (benchmarks/run --docs); reading it needs no simulation here
        final SvgCheck check = new SvgCheck(Files.readString(Path.of("../docs/schemes.svg"), StandardCharsets.UTF_8));

        // LWW loses more as skew grows; the vector clock has no bar in either count column
        final List<Double> lwwLost = heights(check, "LWW wall clock", "lost");
        assertThat(lwwLost).hasSize(3).isSorted();
        assertThat(heights(check, "Vector clock", "lost")).isEmpty();
        assertThat(heights(check, "Vector clock", "overwritten")).isEmpty();
        // logical clocks overwrite concurrent writes at every skew; only commit-wait waits
        assertThat(heights(check, "Lamport", "overwritten")).hasSize(SKEWS_US.length);
        assertThat(heights(check, "Lamport", "lost")).isEmpty();
        assertThat(heights(check, "Bounded + commit-wait", "wait")).hasSize(SKEWS_US.length).isSorted();
        assertThat(heights(check, "HLC", "wait")).isEmpty();
    }

    private static List<Double> heights(final SvgCheck check, final String scheme, final String metric)
    {
        for (final Element cell : check.byClass("cell"))
        {
            if (cell.getAttribute("data-scheme").equals(scheme) && cell.getAttribute("data-metric").equals(metric))
            {
                return SvgCheck.descendants(cell, "bar").stream()
                    .map(b -> Double.parseDouble(b.getAttribute("height"))).toList();
            }
        }
        throw new AssertionError("no cell " + scheme + " / " + metric);
    }
}
