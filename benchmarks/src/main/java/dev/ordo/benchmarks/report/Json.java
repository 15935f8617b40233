package dev.ordo.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for JMH's result files: objects become {@link LinkedHashMap}s (key order kept), arrays
 * {@link List}s, numbers {@link Double}s, and {@code true}/{@code false}/{@code null} themselves.
 *
 * <p>Not thread-safe per instance; {@link #parse(String)} creates one per call. Not a hot path: it allocates
 * freely. Malformed input gets an {@link IllegalArgumentException} naming the offset and what was expected.
 */
public final class Json
{
    private final String text;
    private int pos;

    private Json(final String text)
    {
        this.text = text;
    }

    /**
     * @param text a JSON document.
     * @return its value.
     * @throws IllegalArgumentException if the text is not one well-formed JSON value.
     */
    public static Object parse(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.value();
        json.skipWhitespace();
        if (json.pos != text.length())
        {
            throw json.error("end of input");
        }
        return value;
    }

    /**
     * @param value a number, or a string holding one (JMH writes {@code "NaN"} as a string).
     * @return its double value; {@link Double#NaN} for null or text that is not a number.
     */
    public static double number(final Object value)
    {
        if (value instanceof Number)
        {
            return ((Number)value).doubleValue();
        }
        if (value instanceof String)
        {
            try
            {
                return Double.parseDouble((String)value);
            }
            catch (final NumberFormatException ex)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private Object value()
    {
        skipWhitespace();
        if (pos >= text.length())
        {
            throw error("a value");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return number();
                }
                throw error("a value");
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            return map;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("a string key");
            }
            final String key = string();
            skipWhitespace();
            expect(':');
            map.put(key, value());
            skipWhitespace();
            final char c = peek();
            pos++;
            if (c == '}')
            {
                return map;
            }
            if (c != ',')
            {
                pos--;
                throw error("',' or '}'");
            }
        }
    }

    private List<Object> array()
    {
        final List<Object> list = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            return list;
        }
        while (true)
        {
            list.add(value());
            skipWhitespace();
            final char c = peek();
            pos++;
            if (c == ']')
            {
                return list;
            }
            if (c != ',')
            {
                pos--;
                throw error("',' or ']'");
            }
        }
    }

    private String string()
    {
        pos++;
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("closing '\"'");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c != '\\')
            {
                sb.append(c);
                continue;
            }
            if (pos >= text.length())
            {
                throw error("an escape character");
            }
            final char e = text.charAt(pos++);
            switch (e)
            {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    if (pos + 4 > text.length())
                    {
                        throw error("four hex digits");
                    }
                    try
                    {
                        sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                    }
                    catch (final NumberFormatException ex)
                    {
                        throw error("four hex digits");
                    }
                    pos += 4;
                    break;
                default:
                    pos--;
                    throw error("a valid escape");
            }
        }
    }

    private Double number()
    {
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        try
        {
            return Double.valueOf(text.substring(start, pos));
        }
        catch (final NumberFormatException ex)
        {
            pos = start;
            throw error("a number");
        }
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, pos))
        {
            throw error("'" + word + "'");
        }
        pos += word.length();
        return value;
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("'" + c + "'");
        }
        pos++;
    }

    private char peek()
    {
        if (pos >= text.length())
        {
            throw error("more input");
        }
        return text.charAt(pos);
    }

    private void skipWhitespace()
    {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos)))
        {
            pos++;
        }
    }

    private IllegalArgumentException error(final String expected)
    {
        final String found = pos >= text.length() ? "end of input" :
            "'" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'";
        return new IllegalArgumentException("malformed JSON at offset " + pos + ": expected " + expected +
            ", found " + found);
    }
}
