package dev.ordo.ntp.cli;

import dev.ordo.ntp.ProbeSettings;
import dev.ordo.ntp.ServerSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line of {@code ntp-probe}. Immutable.
 *
 * @param servers          servers named on the command line (empty: use the host's configuration).
 * @param settings         samples, interval, timeout.
 * @param json             print JSON instead of the human report.
 * @param maxOffsetNs      exit 1 when |offset| + bound exceeds this; negative when not set.
 * @param watch            repeat rounds.
 * @param rounds           with watch: how many rounds (0 = until stopped).
 * @param roundIntervalNs  with watch: time between round starts.
 * @param plot             SVG file to write, or null.
 * @param quiet            no progress on stderr.
 * @param help             print usage and exit 0.
 * @param version          print the version and exit 0.
 * @param trustCert        NTS: the certificate or CA file to trust instead of the system trust store, or null.
 */
record CliOptions(
    List<ServerSpec> servers,
    ProbeSettings settings,
    boolean json,
    long maxOffsetNs,
    boolean watch,
    int rounds,
    long roundIntervalNs,
    Path plot,
    boolean quiet,
    boolean help,
    boolean version,
    Path trustCert)
{
    static final long DEFAULT_ROUND_INTERVAL_NS = 10_000_000_000L;

    static final String USAGE = """
        Usage: ntp-probe [OPTIONS] [SERVER[:PORT] ...]

        Measures this host's clock offset against NTP servers, with an error bound that contains the true offset
        even when network delays are asymmetric. With no SERVER, uses the servers configured for chrony, ntpd,
        NTPsec or systemd-timesyncd on this host, else pool.ntp.org.

        Options:
          -n, --samples N            requests per server per round, 1-64 (default 8; the very first warms up)
          -i, --interval DURATION    pause between requests to one server (default 250ms)
          -t, --timeout DURATION     wait for each reply (default 1s)
              --max-offset DURATION  exit 1 if |offset| + bound exceeds DURATION (for CI and monitoring);
                                     the unit is required here (100ms, not 100)
              --json                 print one JSON object (with --watch: one per round, one per line)
          -w, --watch                repeat rounds until stopped; one line per round and the drift in ppm
              --rounds N             with --watch: stop after N rounds
              --round-interval DURATION  with --watch: time between round starts (default 10s)
              --plot FILE.svg        write offset ± bound over time as SVG (rewritten after each round;
                                     the directory must exist)
              --nts HOST[:KE_PORT]   also probe HOST with Network Time Security (RFC 8915): authenticated
                                     replies only; key exchange on KE_PORT (default 4460); repeatable
              --trust-cert FILE      NTS: trust the certificate(s) in FILE (PEM or DER: a private server's
                                     certificate or CA) instead of the system trust store
          -q, --quiet                no progress on stderr
          -h, --help                 this help
          -V, --version              the version

        DURATION is seconds (0.5) or a number with a unit: ns, us, ms, s (500ms).
        Offsets are server time minus host time: positive means this host is behind.

        Exit status: 0 ok, 1 offset + bound over --max-offset, 2 bad usage, 3 no usable server (a failed
                     NTS key exchange makes a server unusable), 4 servers disagree (no majority),
                     70 internal error.
        """;

    /**
     * @param args the command line.
     * @return the options.
     * @throws UsageException with a one-line message naming the bad flag or value.
     */
    static CliOptions parse(final String[] args) throws UsageException
    {
        final List<ServerSpec> servers = new ArrayList<>();
        int samples = ProbeSettings.DEFAULT_SAMPLES;
        long intervalNs = ProbeSettings.DEFAULT_INTERVAL_NS;
        long timeoutNs = ProbeSettings.DEFAULT_TIMEOUT_NS;
        boolean json = false;
        long maxOffsetNs = -1;
        boolean watch = false;
        int rounds = 0;
        boolean roundsGiven = false;
        long roundIntervalNs = DEFAULT_ROUND_INTERVAL_NS;
        Path plot = null;
        boolean quiet = false;
        boolean help = false;
        boolean version = false;
        boolean onlyServers = false;
        Path trustCert = null;
        boolean anyNts = false;
        for (int i = 0; i < args.length; i++)
        {
            String arg = args[i];
            String inlineValue = null;
            if (!onlyServers && arg.startsWith("--") && arg.indexOf('=') > 0)
            {
                inlineValue = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            }
            if (onlyServers || !arg.startsWith("-") || arg.equals("-"))
            {
                try
                {
                    servers.add(ServerSpec.parse(arg));
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new UsageException(ex.getMessage());
                }
                continue;
            }
            switch (arg)
            {
                case "--" -> onlyServers = true;
                case "-n", "--samples" -> samples = parseInt(arg, value(args, i++, arg, inlineValue), 1, 64);
                case "-i", "--interval" -> intervalNs = Durations.parseNs(arg, value(args, i++, arg, inlineValue));
                case "-t", "--timeout" -> timeoutNs = Durations.parseNs(arg, value(args, i++, arg, inlineValue));
                case "--max-offset" ->
                    maxOffsetNs = Durations.parseNsWithUnit(arg, value(args, i++, arg, inlineValue));
                case "--json" -> json = true;
                case "-w", "--watch" -> watch = true;
                case "--rounds" ->
                {
                    rounds = parseInt(arg, value(args, i++, arg, inlineValue), 1, Integer.MAX_VALUE);
                    roundsGiven = true;
                }
                case "--round-interval" -> roundIntervalNs = Durations.parseNs(arg, value(args, i++, arg, inlineValue));
                case "--plot" -> plot = plotFile(arg, value(args, i++, arg, inlineValue));
                case "--nts" ->
                {
                    try
                    {
                        servers.add(ServerSpec.parseNts(value(args, i++, arg, inlineValue)));
                        anyNts = true;
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw new UsageException("--nts: " + ex.getMessage());
                    }
                }
                case "--trust-cert" -> trustCert = Path.of(value(args, i++, arg, inlineValue));
                case "-q", "--quiet" -> quiet = true;
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                default -> throw new UsageException("unknown option: " + arg + " (see --help)");
            }
            if (inlineValue != null && !takesValue(arg))
            {
                throw new UsageException("option " + arg + " takes no value: " + args[i]);
            }
            if (inlineValue != null)
            {
                i--; // value() advanced past a separate argument that was not consumed
            }
        }
        if (trustCert != null && !anyNts)
        {
            throw new UsageException("--trust-cert needs --nts");
        }
        if (roundsGiven && !watch)
        {
            throw new UsageException("--rounds needs --watch");
        }
        final ProbeSettings settings;
        try
        {
            settings = new ProbeSettings(samples, intervalNs, timeoutNs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
        return new CliOptions(List.copyOf(servers), settings, json, maxOffsetNs, watch, rounds, roundIntervalNs, plot,
            quiet, help, version, trustCert);
    }

    /** The plot's directory must exist: a typo must not silently create a directory tree somewhere. */
    private static Path plotFile(final String option, final String text) throws UsageException
    {
        final Path file;
        try
        {
            file = Path.of(text);
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            throw new UsageException(option + " needs a file name, not \"" + text + "\"");
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !java.nio.file.Files.isDirectory(parent))
        {
            throw new UsageException(option + ": no such directory: " + parent + " (create it first)");
        }
        return file;
    }

    private static boolean takesValue(final String option)
    {
        return switch (option)
        {
            case "-n", "--samples", "-i", "--interval", "-t", "--timeout", "--max-offset", "--rounds",
                "--round-interval", "--plot", "--nts", "--trust-cert" -> true;
            default -> false;
        };
    }

    private static String value(final String[] args, final int i, final String option, final String inlineValue)
        throws UsageException
    {
        if (inlineValue != null)
        {
            return inlineValue;
        }
        if (i + 1 >= args.length)
        {
            throw new UsageException("option " + option + " needs a value");
        }
        return args[i + 1];
    }

    private static int parseInt(final String option, final String text, final int min, final int max)
        throws UsageException
    {
        try
        {
            final int value = Integer.parseInt(text.trim());
            if (value < min || value > max)
            {
                throw new UsageException(option + " must be " + min + (max == Integer.MAX_VALUE ? " or more" :
                    "-" + max) + ": " + text);
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option + " needs a whole number, not \"" + text + "\"");
        }
    }
}
