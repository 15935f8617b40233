package dev.ordo.ntp.cli;

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

class SvgPlotTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theCommittedPlotShouldHaveNoOverlapsRoundTicksAndTheEstimateMarked() throws IOException
    {
        final String svg = Files.readString(Path.of("../docs/ntp-probe-plot.svg"), StandardCharsets.UTF_8);

        final SvgCheck check = new SvgCheck(svg).assertNothingOverlaps("legend-key", "plot");
        check.assertTicksAreRound();
        assertThat(check.byClass("panel")).hasSize(4);
        assertThat(check.byClass("estimate")).hasSize(1);
        assertSameTimeAxisInEveryPanel(check);
    }

    @Test
    void theLayoutCheckShouldEstimateTextWidthsAsTheChartLaysThemOut()
    {
        for (int length = 0; length <= 40; length++)
        {
            for (int sizePx = 8; sizePx <= 24; sizePx++)
            {
                final String text = "x".repeat(length);
                assertThat(SvgCheck.textWidth(text, sizePx, false)).isEqualTo(SvgPlot.textWidth(text, sizePx, false));
                assertThat(SvgCheck.textWidth(text, sizePx, true)).isEqualTo(SvgPlot.textWidth(text, sizePx, true));
            }
        }
    }

    @Test
    void aWatchOfThreeServersOneFarAheadShouldReadAtAGlance()
    {
        final SvgPlot plot = threeServers(new SplittableRandom(42), 6, 8);

        final SvgCheck check = new SvgCheck(plot.render()).assertNothingOverlaps("legend-key", "plot");

        check.assertTicksAreRound();
        assertSameTimeAxisInEveryPanel(check);
        final List<Element> titles = check.byClass("panel-title");
        assertThat(titles).extracting(Element::getTextContent).containsExactly("a:123", "b:123",
            "c:123  (ticks: offset − 5.25 s)", "combined (agreeing servers' intersection)");
        // the chosen estimate: the last round's combined result, as a band on the combined panel and in words
        final Element combined = check.byClass("panel").get(3);
        assertThat(SvgCheck.descendants(combined, "estimate")).hasSize(1);
        assertThat(SvgCheck.descendants(combined, "estimate-label")).singleElement()
            .extracting(Element::getTextContent).asString().startsWith("chosen estimate: ").endsWith("(round 6)");
        // every valid sample and every round is drawn
        assertThat(check.document.getElementsByTagName("circle").getLength()).isEqualTo(3 * 6 * 8 + 6);
    }

    @Test
    void randomRunsAtEveryScaleShouldKeepTheLayoutAndRoundTicks()
    {
        final long seed = Seeds.seed("probe plot layout at every scale");
        final SplittableRandom random = new SplittableRandom(seed);
        for (int run = 0; run < 40; run++)
        {
            final SvgPlot plot = new SvgPlot();
            plot.title("ntp-probe run " + run);
            final int servers = 1 + random.nextInt(4);
            final int rounds = 1 + random.nextInt(8);
            final long intervalNs = (long)Math.pow(10, 5 + random.nextInt(6));
            final long[] offsetNs = new long[servers];
            final long[] boundNs = new long[servers];
            for (int s = 0; s < servers; s++)
            {
                offsetNs[s] = (random.nextBoolean() ? 1 : -1) * (long)Math.pow(10, random.nextInt(11));
                boundNs[s] = 1 + (long)Math.pow(10, 1 + random.nextInt(7));
            }
            long t = 1_000 * SECOND;
            for (int r = 0; r < rounds; r++)
            {
                for (int s = 0; s < servers; s++)
                {
                    for (int k = 0; k < 4; k++)
                    {
                        plot.addSample("server-" + s + ".example:123", t + k * intervalNs / 10,
                            offsetNs[s] + random.nextLong(boundNs[s]) - boundNs[s] / 2,
                            boundNs[s] + random.nextLong(random.nextInt(10) == 0 ? 20 * boundNs[s] : boundNs[s]),
                            k == 2);
                    }
                }
                plot.addCombined(t + intervalNs / 2, offsetNs[0], boundNs[0]);
                t += intervalNs;
            }
            final SvgCheck check = new SvgCheck(plot.render());
            check.assertNothingOverlaps("legend-key", "plot");
            check.assertTicksAreRound();
            assertSameTimeAxisInEveryPanel(check);
            assertThat(check.byClass("panel")).as("seed %d run %d", seed, run).hasSize(servers + 1);
        }
    }

    @Test
    void ticksShouldBeRoundWithOneUnitPerAxis()
    {
        assertThat(SvgPlot.niceStep(1_234, 5)).isEqualTo(500);
        assertThat(SvgPlot.niceStep(3_000_000, 6)).isEqualTo(500_000);
        assertThat(SvgPlot.niceStep(11_500_000_000L, 6)).isEqualTo(2_000_000_000L);
        assertThat(SvgPlot.signedTick(-1_500_000, 1_500_000)).isEqualTo("−1.5 ms");
        assertThat(SvgPlot.signedTick(500_000, 1_500_000)).isEqualTo("+0.5 ms");
        assertThat(SvgPlot.signedTick(200_000, 400_000)).isEqualTo("+200 µs");
        assertThat(SvgPlot.signedTick(0, 400_000)).isEqualTo("0");
    }

    @Test
    void aPlotWithoutValidSamplesShouldSaySo()
    {
        final SvgCheck check = new SvgCheck(new SvgPlot().render()).assertNothingOverlaps();

        assertThat(check.byClass("empty")).singleElement().extracting(Element::getTextContent)
            .isEqualTo("no valid sample");
    }

    /** Three servers: two near 0 and one 5.25 s ahead, samples 250 ms apart, rounds 2 s apart. */
    private static SvgPlot threeServers(final SplittableRandom random, final int rounds, final int samples)
    {
        final SvgPlot plot = new SvgPlot();
        plot.title("ntp-probe a:123 b:123 c:123");
        final long[] offsets = {12_000, -14_000, 5_250_000_000L};
        long t = 77 * SECOND;
        for (int r = 0; r < rounds; r++)
        {
            for (int s = 0; s < 3; s++)
            {
                for (int k = 0; k < samples; k++)
                {
                    final long bound = 30_000 + random.nextLong(k == 3 ? 2_000_000 : 80_000);
                    plot.addSample((char)('a' + s) + ":123", t + k * SECOND / 4,
                        offsets[s] + random.nextLong(60_000) - 30_000, bound, k == 5);
                }
            }
            plot.addCombined(t + 7 * SECOND / 4, -random.nextLong(40_000), 30_000 + random.nextLong(30_000));
            t += 2 * SECOND;
        }
        return plot;
    }

    private static void assertSameTimeAxisInEveryPanel(final SvgCheck check)
    {
        final List<List<String>> axes = new ArrayList<>();
        for (final Element panel : check.byClass("panel"))
        {
            final List<String> ticks = new ArrayList<>();
            for (final Element tick : SvgCheck.descendants(panel, "tick"))
            {
                if ("time".equals(tick.getAttribute("data-axis")))
                {
                    ticks.add(tick.getAttribute("x") + "=" + tick.getTextContent());
                }
            }
            axes.add(ticks);
        }
        assertThat(axes).isNotEmpty();
        assertThat(axes).allSatisfy(a -> assertThat(a).hasSizeGreaterThanOrEqualTo(2).isEqualTo(axes.get(0)));
    }
}
