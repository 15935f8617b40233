package dev.ordo.ntp.cli;

import dev.ordo.ntp.HostNtpConfig;
import dev.ordo.ntp.NtpProbe;
import dev.ordo.ntp.ProbeListener;
import dev.ordo.ntp.ProbeResult;
import dev.ordo.ntp.ProbeStatus;
import dev.ordo.ntp.SampleRecord;
import dev.ordo.ntp.ServerResult;
import dev.ordo.ntp.nts.NtsKeClient;
import dev.ordo.ntp.nts.NtsTrust;
import dev.ordo.ntp.ServerSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code ntp-probe} command: measures this host's clock offset against NTP servers and prints a table and
 * a verdict, or JSON; optionally checks a maximum offset, watches drift over rounds and plots to SVG.
 * See {@link CliOptions#USAGE} and {@code docs/ntp-probe.md}.
 */
public final class NtpProbeCli
{
    /** Exit status: measured, and within {@code --max-offset} if given. */
    public static final int EXIT_OK = 0;
    /** Exit status: |offset| + bound exceeds {@code --max-offset}. */
    public static final int EXIT_OVER_MAX_OFFSET = 1;
    /** Exit status: bad command line. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: no server produced a valid sample. */
    public static final int EXIT_NO_USABLE_SERVER = 3;
    /** Exit status: servers answered but no majority agrees. */
    public static final int EXIT_NO_MAJORITY = 4;
    /** Exit status: an unexpected internal error. */
    public static final int EXIT_INTERNAL_ERROR = 70;

    private final PrintStream out;
    private final PrintStream err;
    private final List<Path> configFiles;
    private final NtpProbe.Resolver resolver;

    NtpProbeCli(final PrintStream out, final PrintStream err, final List<Path> configFiles,
        final NtpProbe.Resolver resolver)
    {
        this.out = out;
        this.err = err;
        this.configFiles = configFiles;
        this.resolver = resolver;
    }

    /**
     * Runs the command and exits the JVM with its status.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(new NtpProbeCli(out, err, HostNtpConfig.DEFAULT_FILES, java.net.InetAddress::getByName).run(args));
    }

    /**
     * @param args the command line.
     * @return the exit status.
     */
    int run(final String[] args)
    {
        final CliOptions options;
        try
        {
            options = CliOptions.parse(args);
        }
        catch (final UsageException ex)
        {
            err.println("ntp-probe: " + ex.getMessage());
            return EXIT_USAGE;
        }
        if (options.help())
        {
            out.print(CliOptions.USAGE);
            return EXIT_OK;
        }
        if (options.version())
        {
            out.println("ntp-probe " + version());
            return EXIT_OK;
        }
        final NtsKeClient keClient;
        try
        {
            keClient = new NtsKeClient(options.trustCert() == null ? NtsTrust.system() :
                NtsTrust.certificates(options.trustCert()), NtpProbe.keTimeoutMs(options.settings()));
        }
        catch (final IOException ex)
        {
            err.println("ntp-probe: --trust-cert: " + ex.getMessage());
            return EXIT_USAGE;
        }
        try
        {
            return probe(options, keClient);
        }
        catch (final RuntimeException | IOException ex)
        {
            err.println("ntp-probe: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return EXIT_INTERNAL_ERROR;
        }
    }

    static String version()
    {
        try (InputStream in = NtpProbeCli.class.getResourceAsStream("version.properties"))
        {
            if (in != null)
            {
                final Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        }
        catch (final IOException ignore)
        {
            // fall through
        }
        return "unknown";
    }

    private int probe(final CliOptions options, final NtsKeClient keClient) throws IOException
    {
        List<ServerSpec> servers = options.servers();
        if (servers.isEmpty())
        {
            final HostNtpConfig.Configured configured = HostNtpConfig.serversOrFallback(configFiles);
            servers = configured.servers();
            if (!options.quiet() && !options.json())
            {
                err.println("ntp-probe: no server given; using " + (configured.source() == null ?
                    "the fallback " + HostNtpConfig.FALLBACK_SERVER.host() :
                    servers.size() + " server(s) from " + configured.source()));
            }
        }
        final ProbeListener progress = options.quiet() ? ProbeListener.NONE : new Progress(err);
        final SvgPlot plot = new SvgPlot();
        plot.title("ntp-probe " + String.join(" ", servers.stream().map(ServerSpec::toString).toList()));
        final DriftEstimator drift = new DriftEstimator();
        int status = EXIT_OK;
        try (NtpProbe probe = NtpProbe.open(servers, options.settings(),
            org.agrona.concurrent.SystemEpochNanoClock.INSTANCE, org.agrona.concurrent.SystemNanoClock.INSTANCE,
            resolver, keClient))
        {
            if (!options.json() && !options.quiet())
            {
                err.printf(Locale.ROOT, "probing %d server(s), %d samples each, %s apart%n", servers.size(),
                    options.settings().samples(), Durations.format(options.settings().intervalNs()));
            }
            final long startMonoNs = probe.monoClock().nanoTime();
            for (int round = 1; ; round++)
            {
                final ProbeResult result = probe.measure(progress);
                if (!options.quiet())
                {
                    err.println();
                }
                if (result.ok())
                {
                    drift.add(result.measuredAtMonoNs(), result.offsetNs(), result.boundNs());
                }
                plot.add(result);
                status = exitStatus(result, options);
                if (options.json())
                {
                    out.println(Reports.json(result, options, round, drift, status));
                }
                else if (options.watch())
                {
                    out.println(Reports.watchLine(round, result, drift));
                    printServerProblems(result);
                }
                else
                {
                    out.print(Reports.table(result));
                    printServerProblems(result);
                    out.println(Reports.verdict(result));
                    if (options.maxOffsetNs() >= 0)
                    {
                        out.println(Reports.maxOffsetVerdict(result, options.maxOffsetNs()));
                    }
                }
                if (options.plot() != null)
                {
                    writePlot(options.plot(), plot);
                }
                if (!options.watch() || (options.rounds() > 0 && round >= options.rounds()))
                {
                    break;
                }
                final long nextMonoNs = startMonoNs + round * options.roundIntervalNs();
                long remainingNs;
                while ((remainingNs = nextMonoNs - probe.monoClock().nanoTime()) > 0)
                {
                    LockSupport.parkNanos(remainingNs);
                }
            }
        }
        if (options.watch() && !options.json() && drift.hasEstimate())
        {
            out.println(Reports.driftSummary(drift));
        }
        return status;
    }

    private void printServerProblems(final ProbeResult result)
    {
        for (final ServerResult server : result.servers())
        {
            if (!server.ok())
            {
                err.println("ntp-probe: " + server.message());
            }
            else if (server.authFailures() > 0)
            {
                err.println("ntp-probe: " + server.server() + ": " + server.authFailures() + " repl" +
                    (server.authFailures() == 1 ? "y" : "ies") + " failed the NTS checks and were not used (last: " +
                    server.authFailure() + ")");
            }
        }
    }

    private void writePlot(final Path file, final SvgPlot plot) throws IOException
    {
        try
        {
            Files.writeString(file, plot.render(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot write the plot to " + file + ": " + ex.getMessage(), ex);
        }
    }

    static int exitStatus(final ProbeResult result, final CliOptions options)
    {
        if (result.status() == ProbeStatus.NO_USABLE_SERVER)
        {
            return EXIT_NO_USABLE_SERVER;
        }
        if (result.status() == ProbeStatus.NO_MAJORITY)
        {
            return EXIT_NO_MAJORITY;
        }
        if (options.maxOffsetNs() >= 0 && result.worstCaseOffsetNs() > options.maxOffsetNs())
        {
            return EXIT_OVER_MAX_OFFSET;
        }
        return EXIT_OK;
    }

    /** Progress on stderr: one character per request ('.' ok, 't' timeout, 'k' kiss, 'x' rejected). */
    private static final class Progress implements ProbeListener
    {
        private final PrintStream err;

        Progress(final PrintStream err)
        {
            this.err = err;
        }

        @Override
        public void onSample(final String server, final int index, final String outcome)
        {
            final char c = switch (outcome)
            {
                case "ok" -> '.';
                case "timeout" -> 't';
                case "skipped" -> '-';
                case "kiss-of-death" -> 'k';
                default -> 'x';
            };
            err.print(c);
            err.flush();
        }
    }

    /** Formats results for people and machines. */
    static final class Reports
    {
        private Reports()
        {
        }

        static String table(final ProbeResult result)
        {
            final StringBuilder sb = new StringBuilder();
            int width = 6;
            for (final ServerResult s : result.servers())
            {
                width = Math.max(width, s.server().length());
            }
            final String format = "%-" + width + "s  %7s  %15s  %13s  %12s  %12s  %7s  %s%n";
            sb.append(String.format(Locale.ROOT, format, "server", "stratum", "offset", "± bound", "delay", "jitter",
                "samples", "status"));
            for (final ServerResult s : result.servers())
            {
                if (s.ok())
                {
                    final String role = result.truechimers().contains(s.server()) ? "ok, agrees" :
                        result.falsetickers().contains(s.server()) ? "FALSETICKER" : "ok";
                    final long valid = s.samples().stream().filter(SampleRecord::ok).count();
                    sb.append(String.format(Locale.ROOT, format, s.server(), s.stratum(),
                        Durations.formatSigned(s.offsetNs()), "± " + Durations.format(s.boundNs()),
                        Durations.format(s.delayNs()), Durations.format(s.jitterNs()),
                        valid + "/" + s.samples().size(), role +
                            (s.kissCode() != null ? " (kiss " + s.kissCode() + ")" : "") +
                            (s.authenticated() ? ", NTS-authenticated" : "") +
                            (s.authFailures() > 0 ? ", " + s.authFailures() + " NTS rejections" : "")));
                }
                else
                {
                    sb.append(String.format(Locale.ROOT, format, s.server(), "-", "-", "-", "-", "-",
                        "0/" + s.samples().size(), s.status().name().toLowerCase(Locale.ROOT).replace('_', ' ') +
                            (s.kissCode() != null ? " " + s.kissCode() : "")));
                }
            }
            return sb.toString();
        }

        static String verdict(final ProbeResult result)
        {
            switch (result.status())
            {
                case NO_USABLE_SERVER:
                    return "verdict: no usable server: the offset of this host is unknown";
                case NO_MAJORITY:
                    return "verdict: the servers disagree (" + String.join(", ", result.falsetickers()) +
                        "): no majority, the offset of this host is unknown";
                default:
                    break;
            }
            final int agreeing = result.truechimers().size();
            final String servers = agreeing == 1 ? "1 server" : agreeing + " agreeing servers";
            final String bound = "± " + Durations.format(result.boundNs());
            final long offset = result.offsetNs();
            String line;
            if (offset == 0)
            {
                line = "verdict: this host agrees with " + servers + ", " + bound;
            }
            else
            {
                line = "verdict: this host is " + Durations.format(Math.abs(offset)) + (offset > 0 ? " behind " :
                    " ahead of ") + servers + ", " + bound;
            }
            if (Math.abs(offset) <= result.boundNs())
            {
                line += " (within the bound: no measurable skew)";
            }
            if (!result.falsetickers().isEmpty())
            {
                line += "; falsetickers: " + String.join(", ", result.falsetickers());
            }
            if (result.authenticated())
            {
                line += " (NTS-authenticated)";
            }
            final int rejected = result.servers().stream().mapToInt(ServerResult::authFailures).sum();
            if (rejected > 0)
            {
                line += "; " + rejected + " repl" + (rejected == 1 ? "y" : "ies") +
                    " failed the NTS checks and were not used";
            }
            return line;
        }

        static String maxOffsetVerdict(final ProbeResult result, final long maxOffsetNs)
        {
            if (!result.ok())
            {
                return "max-offset: cannot check, no measurement";
            }
            final boolean over = result.worstCaseOffsetNs() > maxOffsetNs;
            return "max-offset: |offset| + bound = " + Durations.format(result.worstCaseOffsetNs()) +
                (over ? " exceeds " : " is within ") + Durations.format(maxOffsetNs) + (over ? " (FAIL)" : " (ok)");
        }

        static String watchLine(final int round, final ProbeResult result, final DriftEstimator drift)
        {
            final String time = Instant.ofEpochMilli(System.currentTimeMillis()).toString();
            final StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "round %3d  %s  ", round, time));
            if (result.ok())
            {
                sb.append(String.format(Locale.ROOT, "offset %15s ± %-12s  %d/%d agree",
                    Durations.formatSigned(result.offsetNs()), Durations.format(result.boundNs()),
                    result.truechimers().size(), result.servers().size()));
            }
            else
            {
                sb.append(result.status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            if (drift.hasEstimate())
            {
                sb.append(String.format(Locale.ROOT, "  drift %+.3f ppm", drift.driftPpm()));
            }
            return sb.toString();
        }

        static String driftSummary(final DriftEstimator drift)
        {
            final double ppm = drift.driftPpm();
            return String.format(Locale.ROOT,
                "drift: this host's clock runs %.3f ppm %s relative to the servers (least squares over %d rounds; " +
                "the bounds allow %+.3f to %+.3f ppm)", Math.abs(ppm), ppm >= 0 ? "fast" : "slow", drift.count(),
                drift.minDriftPpm(), drift.maxDriftPpm());
        }

        static String json(final ProbeResult result, final CliOptions options, final int round,
            final DriftEstimator drift, final int exitStatus)
        {
            final StringBuilder sb = new StringBuilder(4096);
            final JsonWriter w = new JsonWriter(sb);
            w.beginObject();
            w.field("tool", "ntp-probe").field("version", version());
            if (options.watch())
            {
                w.field("round", round);
            }
            w.name("settings").beginObject()
                .field("samplesPerServer", options.settings().samples())
                .field("intervalNs", options.settings().intervalNs())
                .field("timeoutNs", options.settings().timeoutNs());
            w.name("maxOffsetNs");
            if (options.maxOffsetNs() >= 0)
            {
                w.value(options.maxOffsetNs());
            }
            else
            {
                w.nullValue();
            }
            w.endObject();
            w.name("servers").beginArray();
            for (final ServerResult s : result.servers())
            {
                w.beginObject()
                    .field("server", s.server())
                    .field("address", s.address())
                    .field("status", s.status().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .field("message", s.message())
                    .field("kissCode", s.kissCode())
                    .field("agrees", result.truechimers().contains(s.server()))
                    .field("falseticker", result.falsetickers().contains(s.server()))
                    .field("authenticated", s.authenticated())
                    .field("authFailures", s.authFailures())
                    .field("authFailure", s.authFailure());
                if (s.ok())
                {
                    w.field("offsetNs", s.offsetNs())
                        .field("boundNs", s.boundNs())
                        .field("delayNs", s.delayNs())
                        .field("dispersionNs", s.dispersionNs())
                        .field("jitterNs", s.jitterNs())
                        .field("rootDelayNs", s.rootDelayNs())
                        .field("rootDispersionNs", s.rootDispersionNs())
                        .field("stratum", s.stratum())
                        .field("leapIndicator", s.leapIndicator())
                        .field("precisionLog2", s.precisionLog2())
                        .field("referenceId", s.referenceIdText())
                        .field("measuredAtMonoNs", s.measuredAtMonoNs())
                        .field("measuredAtEpochNs", s.measuredAtEpochNs())
                        .field("usedSamples", s.usedSamples());
                }
                w.name("samples").beginArray();
                for (final SampleRecord r : s.samples())
                {
                    w.beginObject().field("index", r.index()).field("outcome", r.outcome())
                        .field("warmup", r.warmup()).field("best", r.best());
                    if (r.t1EpochNs() != 0)
                    {
                        w.field("sentAtEpochNs", r.t1EpochNs());
                    }
                    if (r.ok())
                    {
                        w.field("receivedAtMonoNs", r.monoNs()).field("offsetNs", r.offsetNs())
                            .field("delayNs", r.delayNs()).field("boundNs", r.boundNs());
                    }
                    w.endObject();
                }
                w.endArray();
                w.endObject();
            }
            w.endArray();
            w.name("combined").beginObject()
                .field("status", result.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            if (result.ok())
            {
                w.field("offsetNs", result.offsetNs())
                    .field("boundNs", result.boundNs())
                    .field("lowNs", result.lowNs())
                    .field("highNs", result.highNs())
                    .field("worstCaseOffsetNs", result.worstCaseOffsetNs())
                    .field("rootDelayNs", result.rootDelayNs())
                    .field("rootDispersionNs", result.rootDispersionNs())
                    .field("measuredAtMonoNs", result.measuredAtMonoNs())
                    .field("measuredAtEpochNs", result.measuredAtEpochNs())
                    .field("allowedFalsetickers", result.allowedFalsetickers())
                    .field("authenticated", result.authenticated());
            }
            w.name("truechimers").beginArray();
            result.truechimers().forEach(w::value);
            w.endArray();
            w.name("falsetickers").beginArray();
            result.falsetickers().forEach(w::value);
            w.endArray();
            w.endObject();
            if (options.watch())
            {
                w.name("driftPpm");
                if (drift.hasEstimate())
                {
                    w.value(drift.driftPpm());
                }
                else
                {
                    w.nullValue();
                }
            }
            w.field("exitStatus", exitStatus);
            w.endObject();
            return sb.toString();
        }
    }
}
