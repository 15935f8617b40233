package dev.ordo.ntp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the NTP servers this host is configured to use, so that {@code ntp-probe} with no argument checks
 * the same servers as the host's daemon. Reads, in order, the first of {@link #DEFAULT_FILES} that names
 * at least one server:
 * <ul>
 *   <li>chrony ({@code server}, {@code pool}, {@code peer} lines with an optional {@code port N};
 *       {@code sourcedir DIR} adds {@code DIR/*.sources}, {@code confdir DIR} adds {@code DIR/*.conf});</li>
 *   <li>ntpd and NTPsec ({@code server}, {@code pool}, {@code peer} lines; reference clocks
 *       {@code 127.127.t.u} are skipped);</li>
 *   <li>systemd-timesyncd ({@code NTP=} in {@code [Time]}, else {@code FallbackNTP=}).</li>
 * </ul>
 * With none found the fallback is {@link #FALLBACK_SERVER}. Stateless and thread-safe; a file that cannot be
 * read is skipped.
 */
public final class HostNtpConfig
{
    /** Used when no configuration names a server. */
    public static final ServerSpec FALLBACK_SERVER = new ServerSpec("pool.ntp.org", ServerSpec.NTP_PORT);

    /** The files read, in order. */
    public static final List<Path> DEFAULT_FILES = List.of(
        Path.of("/etc/chrony/chrony.conf"),
        Path.of("/etc/chrony.conf"),
        Path.of("/etc/ntp.conf"),
        Path.of("/etc/ntpsec/ntp.conf"),
        Path.of("/etc/systemd/timesyncd.conf"));

    private static final int MAX_INCLUDED_FILES = 64;

    /**
     * Servers and where they came from.
     *
     * @param servers the servers, never empty.
     * @param source  the configuration file, or null for the fallback.
     */
    public record Configured(List<ServerSpec> servers, Path source)
    {
    }

    private HostNtpConfig()
    {
    }

    /**
     * @param files configuration files to try in order (missing ones are skipped).
     * @return the servers of the first file that names any, else {@link #FALLBACK_SERVER}.
     */
    public static Configured serversOrFallback(final List<Path> files)
    {
        for (final Path file : files)
        {
            final List<ServerSpec> servers = serversIn(file);
            if (!servers.isEmpty())
            {
                return new Configured(servers, file);
            }
        }
        return new Configured(List.of(FALLBACK_SERVER), null);
    }

    /**
     * @param file a chrony, ntpd/NTPsec or timesyncd configuration (recognized by a {@code timesyncd} file name
     *             or a {@code [Time]} section).
     * @return the servers it names, in order, without duplicates; empty if it names none or cannot be read.
     */
    public static List<ServerSpec> serversIn(final Path file)
    {
        final List<String> lines = readLines(file);
        final List<ServerSpec> servers = new ArrayList<>();
        final boolean timesyncd = file.getFileName() != null && file.getFileName().toString().contains("timesyncd") ||
            lines.stream().anyMatch(l -> l.trim().equalsIgnoreCase("[Time]"));
        if (timesyncd)
        {
            parseTimesyncd(lines, servers);
        }
        else
        {
            parseDaemonConfig(file, lines, servers, new int[]{0});
        }
        return List.copyOf(servers);
    }

    private static void parseDaemonConfig(
        final Path file, final List<String> lines, final List<ServerSpec> servers, final int[] includedFiles)
    {
        for (final String raw : lines)
        {
            final String line = stripComment(raw);
            final String[] words = line.trim().split("\\s+");
            if (words.length < 2)
            {
                continue;
            }
            final String directive = words[0].toLowerCase(Locale.ROOT);
            switch (directive)
            {
                case "server", "pool", "peer" -> addServer(words, servers);
                case "sourcedir", "confdir" ->
                {
                    final String glob = directive.equals("sourcedir") ? "*.sources" : "*.conf";
                    for (int i = 1; i < words.length; i++)
                    {
                        final Path dir = resolve(file, words[i]);
                        for (final Path included : sortedFiles(dir, glob))
                        {
                            if (includedFiles[0]++ < MAX_INCLUDED_FILES && !included.equals(file))
                            {
                                parseDaemonConfig(included, readLines(included), servers, includedFiles);
                            }
                        }
                    }
                }
                default ->
                {
                }
            }
        }
    }

    private static void addServer(final String[] words, final List<ServerSpec> servers)
    {
        final String host = words[1];
        if (host.startsWith("127.127."))
        {
            return; // ntpd reference clock pseudo-address
        }
        int port = ServerSpec.NTP_PORT;
        for (int i = 2; i + 1 < words.length; i++)
        {
            if (words[i].equalsIgnoreCase("port"))
            {
                try
                {
                    port = Integer.parseInt(words[i + 1]);
                }
                catch (final NumberFormatException ex)
                {
                    return; // malformed line: skipped, as the daemon itself would reject it
                }
            }
        }
        try
        {
            // An IPv6 address (bare, or in brackets) goes through parse; a `port N` option still applies to it.
            final ServerSpec parsed = host.startsWith("[") || host.indexOf(':') != host.lastIndexOf(':') ?
                ServerSpec.parse(host) : null;
            final ServerSpec spec = parsed == null ? new ServerSpec(host, port) :
                port != ServerSpec.NTP_PORT ? new ServerSpec(parsed.host(), port) : parsed;
            if (!servers.contains(spec))
            {
                servers.add(spec);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // malformed line: skipped
        }
    }

    private static void parseTimesyncd(final List<String> lines, final List<ServerSpec> servers)
    {
        final List<String> primary = new ArrayList<>();
        final List<String> fallback = new ArrayList<>();
        boolean inTime = false;
        for (final String raw : lines)
        {
            final String line = raw.trim();
            if (line.startsWith("#") || line.startsWith(";") || line.isEmpty())
            {
                continue;
            }
            if (line.startsWith("["))
            {
                inTime = line.equalsIgnoreCase("[Time]");
                continue;
            }
            final int eq = line.indexOf('=');
            if (!inTime || eq < 0)
            {
                continue;
            }
            final String key = line.substring(0, eq).trim();
            final String value = line.substring(eq + 1).trim();
            if (key.equals("NTP"))
            {
                primary.clear();
                split(value, primary);
            }
            else if (key.equals("FallbackNTP"))
            {
                fallback.clear();
                split(value, fallback);
            }
        }
        for (final String name : primary.isEmpty() ? fallback : primary)
        {
            try
            {
                final ServerSpec spec = ServerSpec.parse(name);
                if (!servers.contains(spec))
                {
                    servers.add(spec);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // malformed entry: skipped
            }
        }
    }

    private static void split(final String value, final List<String> into)
    {
        for (final String word : value.split("\\s+"))
        {
            if (!word.isEmpty())
            {
                into.add(word);
            }
        }
    }

    private static String stripComment(final String line)
    {
        final String trimmed = line.trim();
        if (trimmed.startsWith("%") || trimmed.startsWith(";") || trimmed.startsWith("!"))
        {
            return "";
        }
        final int hash = line.indexOf('#');
        return hash >= 0 ? line.substring(0, hash) : line;
    }

    private static Path resolve(final Path file, final String name)
    {
        final Path path = Path.of(name);
        final Path parent = file.getParent();
        return path.isAbsolute() || parent == null ? path : parent.resolve(path);
    }

    private static List<Path> sortedFiles(final Path dir, final String glob)
    {
        final List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir))
        {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob))
        {
            stream.forEach(files::add);
        }
        catch (final IOException ex)
        {
            return files;
        }
        files.sort(null);
        return files;
    }

    private static List<String> readLines(final Path file)
    {
        try
        {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        }
        catch (final IOException | RuntimeException ex)
        {
            return List.of();
        }
    }
}
