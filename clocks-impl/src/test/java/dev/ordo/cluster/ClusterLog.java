package dev.ordo.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of one {@link ClusterNode} process, parsed from its tab-separated log (see the node's class
 * comment for the columns). A torn last line (possible only if the writer was killed mid-write) is dropped.
 */
final class ClusterLog
{
    /** One logged event. */
    static final class Event
    {
        final String type;
        final String process;
        final long hlc;
        final long[] vector;
        final long wallMs;
        final String messageId;
        final int key;
        final String writeId;
        final String detail;
        /** Happens-before vector recomputed by the checker from process order and message pairs. */
        long[] truth;

        Event(final String[] columns)
        {
            type = columns[0];
            process = columns[1];
            hlc = Long.parseLong(columns[2]);
            final String[] entries = columns[3].split(",");
            vector = new long[entries.length];
            for (int i = 0; i < entries.length; i++)
            {
                vector[i] = Long.parseLong(entries[i]);
            }
            wallMs = Long.parseLong(columns[4]);
            messageId = columns[5];
            key = Integer.parseInt(columns[6]);
            writeId = columns[7];
            detail = columns[8];
        }

        boolean isClockEvent()
        {
            return "WRITE".equals(type) || "SEND".equals(type) || "RECV".equals(type);
        }

        @Override
        public String toString()
        {
            return type + " " + process + " hlc=" + hlc + " wall=" + wallMs + " msg=" + messageId + " key=" + key +
                " write=" + writeId;
        }
    }

    private ClusterLog()
    {
    }

    static List<Event> read(final Path file) throws IOException
    {
        final List<Event> events = new ArrayList<>();
        final String text = Files.readString(file, StandardCharsets.UTF_8);
        final String[] lines = text.split("\n", -1);
        // the last element is "" after a final newline, or a torn line after a SIGKILL mid-write
        for (int i = 0; i < lines.length - 1; i++)
        {
            events.add(new Event(lines[i].split("\t", -1)));
        }
        return events;
    }

    /**
     * @return true when {@code a} happened before {@code b} by their vectors: every entry {@code <=}, one
     * smaller.
     */
    static boolean before(final long[] a, final long[] b)
    {
        boolean smaller = false;
        for (int i = 0; i < a.length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }
            smaller |= a[i] < b[i];
        }
        return smaller;
    }
}
