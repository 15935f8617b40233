package dev.ordo.benchmarks.report;

import java.util.Locale;

/**
 * A small SVG writer: the handful of elements the report charts draw, with coordinates in pixels and text
 * escaped. Every text element states its font size so that a test can estimate its bounding box. Not
 * thread-safe (one instance per document).
 */
public final class Svg
{
    private final StringBuilder sb = new StringBuilder(32_768);
    private final int width;
    private final int height;

    /**
     * @param width  document width, px.
     * @param height document height, px.
     */
    public Svg(final int width, final int height)
    {
        this.width = width;
        this.height = height;
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    }

    /**
     * @return document width, px.
     */
    public int width()
    {
        return width;
    }

    /**
     * @return document height, px.
     */
    public int height()
    {
        return height;
    }

    /**
     * Writes a text element.
     *
     * @param x        anchor x, px.
     * @param y        baseline y, px.
     * @param anchor   {@code start}, {@code middle} or {@code end}.
     * @param sizePx   font size, px.
     * @param attrs    extra attributes (e.g. {@code font-weight="bold" class="tick"}), or empty.
     * @param text     the text, unescaped.
     * @return this.
     */
    public Svg text(final double x, final double y, final String anchor, final int sizePx, final String attrs,
        final String text)
    {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s" +
            "</text>%n", x, y, anchor, sizePx, attrs.isEmpty() ? "" : " " + attrs, escape(text)));
        return this;
    }

    /**
     * Writes a text element whose content is markup (for example {@code <tspan>}s), already escaped.
     *
     * @param x      anchor x, px.
     * @param y      baseline y, px.
     * @param anchor {@code start}, {@code middle} or {@code end}.
     * @param sizePx font size, px.
     * @param attrs  extra attributes, or empty.
     * @param markup escaped content.
     * @return this.
     */
    public Svg textMarkup(final double x, final double y, final String anchor, final int sizePx, final String attrs,
        final String markup)
    {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s>%s" +
            "</text>%n", x, y, anchor, sizePx, attrs.isEmpty() ? "" : " " + attrs, markup));
        return this;
    }

    /**
     * Writes a filled rectangle with an optional tooltip.
     *
     * @param x       left, px.
     * @param y       top, px.
     * @param w       width, px.
     * @param h       height, px.
     * @param fill    fill colour.
     * @param attrs   extra attributes, or empty.
     * @param tooltip {@code <title>} text, or null.
     * @return this.
     */
    public Svg rect(final double x, final double y, final double w, final double h, final String fill,
        final String attrs, final String tooltip)
    {
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s",
            x, y, w, h, fill, attrs.isEmpty() ? "" : " " + attrs));
        if (tooltip == null)
        {
            sb.append("/>\n");
        }
        else
        {
            sb.append("><title>").append(escape(tooltip)).append("</title></rect>\n");
        }
        return this;
    }

    /**
     * Writes a line.
     *
     * @param x1     start x.
     * @param y1     start y.
     * @param x2     end x.
     * @param y2     end y.
     * @param stroke colour.
     * @param attrs  extra attributes, or empty.
     * @return this.
     */
    public Svg line(final double x1, final double y1, final double x2, final double y2, final String stroke,
        final String attrs)
    {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
            x1, y1, x2, y2, stroke, attrs.isEmpty() ? "" : " " + attrs));
        return this;
    }

    /**
     * Writes raw markup (already escaped).
     *
     * @param markup SVG markup.
     * @return this.
     */
    public Svg raw(final String markup)
    {
        sb.append(markup);
        return this;
    }

    /**
     * @return the finished document.
     */
    public String end()
    {
        return sb + "</svg>\n";
    }

    /**
     * @param text any text.
     * @return the text with XML's special characters escaped.
     */
    public static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
