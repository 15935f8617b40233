package dev.ordo.clocks.testing;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads an SVG the way a layout check needs it: every text element with an estimated bounding box (font size
 * times a generous average glyph width, {@link #textWidth}, the estimate the charts lay out with), every
 * rectangle, and the tick labels, so that tests can state "nothing overlaps" and "ticks are round" as properties
 * of the picture. Shared by the benchmark charts' and the NTP probe plot's tests.
 */
public final class SvgCheck
{
    /** Box of a drawn element, px; {@code what} names it in failure messages. */
    public record Box(double x0, double y0, double x1, double y1, String what, Element element)
    {
        boolean overlaps(final Box other, final double tolerancePx)
        {
            return x0 + tolerancePx < other.x1 && other.x0 + tolerancePx < x1 &&
                y0 + tolerancePx < other.y1 && other.y0 + tolerancePx < y1;
        }
    }

    private static final Pattern TICK = Pattern.compile("([+\\-−]?)([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(ns|µs|us|ms|s|%)?");

    /** The parsed document. */
    public final Document document;
    final List<Box> texts = new ArrayList<>();
    final List<Box> rects = new ArrayList<>();

    /**
     * @param svg an SVG document.
     */
    public SvgCheck(final String svg)
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(false);
            document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final Exception ex)
        {
            throw new AssertionError("not well-formed SVG: " + ex.getMessage(), ex);
        }
        final NodeList textNodes = document.getElementsByTagName("text");
        for (int i = 0; i < textNodes.getLength(); i++)
        {
            final Element t = (Element)textNodes.item(i);
            final String content = t.getTextContent();
            if (content.isBlank())
            {
                continue;
            }
            final double size = number(t, "font-size", 12);
            final double width = textWidth(content, (int)size, "bold".equals(t.getAttribute("font-weight")));
            final double x = number(t, "x", 0);
            final double y = number(t, "y", 0);
            final String anchor = t.getAttribute("text-anchor");
            final double x0 = "middle".equals(anchor) ? x - width / 2 : "end".equals(anchor) ? x - width : x;
            texts.add(new Box(x0, y - 0.8 * size, x0 + width, y + 0.2 * size, "text '" + content + "'", t));
        }
        final NodeList rectNodes = document.getElementsByTagName("rect");
        for (int i = 0; i < rectNodes.getLength(); i++)
        {
            final Element r = (Element)rectNodes.item(i);
            if (!r.hasAttribute("x") || r.getParentNode().getNodeName().equals("clipPath"))
            {
                continue; // the background, or a clip region
            }
            final double x = number(r, "x", 0);
            final double y = number(r, "y", 0);
            rects.add(new Box(x, y, x + number(r, "width", 0), y + number(r, "height", 0),
                "rect " + r.getAttribute("class") + " " + r.getTextContent(), r));
        }
    }

    /**
     * The width a text is assumed to take: a generous average glyph width of 0.58 em, 0.64 em in bold. The charts
     * ({@code BenchmarkChartSvg}, {@code SchemeChartSvg}, the probe's {@code SvgPlot}) lay out with the same
     * estimate (the tests of the first two compare theirs with this one).
     *
     * @param text   the text.
     * @param sizePx its font size.
     * @param bold   whether it is bold.
     * @return its estimated width, px.
     */
    public static double textWidth(final String text, final int sizePx, final boolean bold)
    {
        return text.length() * sizePx * (bold ? 0.64 : 0.58);
    }

    /**
     * Asserts that no two texts overlap, that no text overlaps a rectangle of one of the given classes, and
     * that every text lies inside the document.
     */
    public SvgCheck assertNothingOverlaps(final String... rectClasses)
    {
        final List<String> problems = new ArrayList<>();
        final double width = number(document.getDocumentElement(), "width", Double.MAX_VALUE);
        final double height = number(document.getDocumentElement(), "height", Double.MAX_VALUE);
        for (int i = 0; i < texts.size(); i++)
        {
            final Box a = texts.get(i);
            if (a.x0 < 0 || a.y0 < 0 || a.x1 > width || a.y1 > height)
            {
                problems.add(a.what + " leaves the picture " + a);
            }
            for (int j = i + 1; j < texts.size(); j++)
            {
                if (a.overlaps(texts.get(j), 0.5))
                {
                    problems.add(a.what + " overlaps " + texts.get(j).what);
                }
            }
            for (final Box r : rects)
            {
                if (List.of(rectClasses).contains(r.element.getAttribute("class")) && a.overlaps(r, 0.5))
                {
                    problems.add(a.what + " overlaps " + r.what);
                }
            }
        }
        assertThat(problems).as("layout problems").isEmpty();
        return this;
    }

    /**
     * @param cssClass a class attribute value.
     * @return the elements (any tag) with that class, in document order.
     */
    public List<Element> byClass(final String cssClass)
    {
        final List<Element> found = new ArrayList<>();
        final NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++)
        {
            final Element e = (Element)all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cssClass))
            {
                found.add(e);
            }
        }
        return found;
    }

    /**
     * @param parent an element.
     * @param cssClass a class.
     * @return the descendants of {@code parent} with that class, in document order.
     */
    public static List<Element> descendants(final Element parent, final String cssClass)
    {
        final List<Element> found = new ArrayList<>();
        final NodeList all = parent.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++)
        {
            final Element e = (Element)all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cssClass))
            {
                found.add(e);
            }
        }
        return found;
    }

    /**
     * Asserts that the tick labels (class {@code tick}) are round: on each axis (labels in the same group
     * element and with the same {@code data-axis} that share a baseline, or share an x for vertical axes) the values are whole decades, or an arithmetic progression whose step is 1,
     * 2 or 5 times a power of ten and whose every value is a multiple of that step.
     *
     * @return the number of axes checked.
     */
    public int assertTicksAreRound()
    {
        final Map<String, List<Double>> axes = new LinkedHashMap<>();
        for (final Element t : byClass("tick"))
        {
            final String anchor = t.getAttribute("text-anchor");
            final String key = "middle".equals(anchor) ? "y=" + t.getAttribute("y") : "x=" + t.getAttribute("x");
            // an axis: the labels in one group element (a panel or cell) that share a baseline or an x
            final String parent = "g".equals(t.getParentNode().getNodeName()) ?
                "g#" + System.identityHashCode(t.getParentNode()) : "";
            axes.computeIfAbsent(key + " " + t.getAttribute("data-axis") + " " + parent, k -> new ArrayList<>())
                .add(tickValue(t.getTextContent()));
        }
        for (final Map.Entry<String, List<Double>> axis : axes.entrySet())
        {
            assertRound(axis.getKey(), axis.getValue());
        }
        return axes.size();
    }

    static void assertRound(final String axis, final Collection<Double> values)
    {
        final List<Double> sorted = values.stream().sorted().toList();
        assertThat(sorted).as("ticks of axis %s", axis).hasSizeGreaterThanOrEqualTo(2);
        boolean decades = sorted.get(0) > 0;
        for (int i = 1; i < sorted.size() && decades; i++)
        {
            decades = Math.abs(sorted.get(i) / sorted.get(i - 1) - 10) < 1e-6;
        }
        if (decades)
        {
            final double exponent = Math.log10(sorted.get(0));
            assertThat(Math.abs(exponent - Math.rint(exponent))).as("decade ticks of %s: %s", axis, sorted)
                .isLessThan(1e-9);
            return;
        }
        final double step = sorted.get(1) - sorted.get(0);
        final double magnitude = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        final double mantissa = step / magnitude;
        assertThat(List.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-6))
            .as("step %s of axis %s (%s) is 1, 2 or 5 times a power of ten", step, axis, sorted).isTrue();
        for (int i = 1; i < sorted.size(); i++)
        {
            assertThat(sorted.get(i) - sorted.get(i - 1)).as("even steps on axis %s: %s", axis, sorted)
                .isCloseTo(step, org.assertj.core.api.Assertions.within(step * 1e-6));
            final double multiple = sorted.get(i) / step;
            assertThat(Math.abs(multiple - Math.rint(multiple))).as("tick %s on axis %s is a multiple of %s",
                sorted.get(i), axis, step).isLessThan(1e-6);
        }
    }

    /**
     * @param label a tick label such as {@code 10 ns}, {@code -50 µs}, {@code 1,000}, {@code +2 ms}.
     * @return its value in the label's base unit (ns for times).
     */
    static double tickValue(final String label)
    {
        final Matcher m = TICK.matcher(label.trim());
        assertThat(m.matches()).as("tick label '%s' is a number with an optional unit", label).isTrue();
        double value = Double.parseDouble(m.group(2).replace(",", ""));
        if (!m.group(1).isEmpty() && !"+".equals(m.group(1)))
        {
            value = -value;
        }
        final String unit = m.group(3) == null ? "" : m.group(3);
        final double scale = switch (unit)
        {
            case "µs", "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> 1;
        };
        return value * scale;
    }

    private static double number(final Element e, final String attribute, final double otherwise)
    {
        final String value = e.getAttribute(attribute);
        if (value.isEmpty())
        {
            return otherwise;
        }
        try
        {
            return Double.parseDouble(value.replace("px", ""));
        }
        catch (final NumberFormatException ex)
        {
            return otherwise;
        }
    }

    @Override
    public String toString()
    {
        return String.format(Locale.ROOT, "%d texts, %d rects", texts.size(), rects.size());
    }
}
