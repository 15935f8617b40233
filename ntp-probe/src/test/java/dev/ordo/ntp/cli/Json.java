package dev.ordo.ntp.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser (RFC 8259) for tests: proves the hand-written output is valid JSON and gives
 * Maps, Lists, Strings, Longs/Doubles, Booleans and null to assert on.
 */
final class Json
{
    private final String text;
    private int pos;

    private Json(final String text)
    {
        this.text = text;
    }

    static Object parse(final String text)
    {
        final Json json = new Json(text);
        final Object value = json.value();
        json.whitespace();
        if (json.pos != text.length())
        {
            throw json.error("trailing characters");
        }
        return value;
    }

    private IllegalArgumentException error(final String what)
    {
        return new IllegalArgumentException(what + " at " + pos + ": " +
            text.substring(Math.max(0, pos - 20), Math.min(text.length(), pos + 20)));
    }

    private void whitespace()
    {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
    }

    private Object value()
    {
        whitespace();
        if (pos >= text.length())
        {
            throw error("unexpected end");
        }
        final char c = text.charAt(pos);
        if (c == '{')
        {
            pos++;
            final Map<String, Object> map = new LinkedHashMap<>();
            whitespace();
            if (text.charAt(pos) == '}')
            {
                pos++;
                return map;
            }
            while (true)
            {
                whitespace();
                final String key = string();
                whitespace();
                expect(':');
                if (map.put(key, value()) != null)
                {
                    throw error("duplicate key " + key);
                }
                whitespace();
                if (text.charAt(pos) == ',')
                {
                    pos++;
                    continue;
                }
                expect('}');
                return map;
            }
        }
        if (c == '[')
        {
            pos++;
            final List<Object> list = new ArrayList<>();
            whitespace();
            if (text.charAt(pos) == ']')
            {
                pos++;
                return list;
            }
            while (true)
            {
                list.add(value());
                whitespace();
                if (text.charAt(pos) == ',')
                {
                    pos++;
                    continue;
                }
                expect(']');
                return list;
            }
        }
        if (c == '"')
        {
            return string();
        }
        if (text.startsWith("true", pos))
        {
            pos += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", pos))
        {
            pos += 5;
            return Boolean.FALSE;
        }
        if (text.startsWith("null", pos))
        {
            pos += 4;
            return null;
        }
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        final String number = text.substring(start, pos);
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            throw error("bad value '" + number + "'");
        }
        return number.matches("-?(0|[1-9][0-9]*)") ? (Object)Long.parseLong(number) : Double.parseDouble(number);
    }

    private void expect(final char c)
    {
        if (pos >= text.length() || text.charAt(pos) != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private String string()
    {
        expect('"');
        final StringBuilder sb = new StringBuilder();
        while (true)
        {
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return sb.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in string");
            }
            if (c == '\\')
            {
                final char e = text.charAt(pos++);
                switch (e)
                {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' ->
                    {
                        sb.append((char)Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
            else
            {
                sb.append(c);
            }
        }
    }
}
