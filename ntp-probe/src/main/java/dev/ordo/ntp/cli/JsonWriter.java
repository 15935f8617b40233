package dev.ordo.ntp.cli;

/**
 * A minimal streaming JSON writer (RFC 8259) into a {@link StringBuilder}: objects, arrays, strings, longs,
 * doubles, booleans and null, with commas placed automatically and strings escaped. Not thread-safe.
 */
final class JsonWriter
{
    private final StringBuilder out;
    private final boolean[] needsComma = new boolean[64];
    private int depth;
    private boolean afterName;

    JsonWriter(final StringBuilder out)
    {
        this.out = out;
    }

    JsonWriter beginObject()
    {
        beforeValue();
        out.append('{');
        needsComma[++depth] = false;
        return this;
    }

    JsonWriter endObject()
    {
        out.append('}');
        depth--;
        return this;
    }

    JsonWriter beginArray()
    {
        beforeValue();
        out.append('[');
        needsComma[++depth] = false;
        return this;
    }

    JsonWriter endArray()
    {
        out.append(']');
        depth--;
        return this;
    }

    JsonWriter name(final String name)
    {
        beforeValue();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(final long value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter value(final double value)
    {
        beforeValue();
        if (Double.isFinite(value))
        {
            out.append(value);
        }
        else
        {
            out.append("null");
        }
        return this;
    }

    JsonWriter value(final boolean value)
    {
        beforeValue();
        out.append(value);
        return this;
    }

    JsonWriter value(final String value)
    {
        beforeValue();
        if (value == null)
        {
            out.append("null");
        }
        else
        {
            string(value);
        }
        return this;
    }

    JsonWriter nullValue()
    {
        beforeValue();
        out.append("null");
        return this;
    }

    JsonWriter field(final String name, final long value)
    {
        return name(name).value(value);
    }

    JsonWriter field(final String name, final String value)
    {
        return name(name).value(value);
    }

    JsonWriter field(final String name, final boolean value)
    {
        return name(name).value(value);
    }

    private void beforeValue()
    {
        if (afterName)
        {
            afterName = false;
            return;
        }
        if (needsComma[depth])
        {
            out.append(',');
        }
        needsComma[depth] = true;
    }

    private void string(final String s)
    {
        out.append('"');
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
