package dev.ordo.ntp;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import dev.ordo.ntp.nts.NtsAssociation;
import dev.ordo.ntp.nts.NtsException;
import dev.ordo.ntp.nts.NtsKeClient;
import dev.ordo.ntp.nts.NtsReplyCheck;
import dev.ordo.ntp.nts.NtsTrust;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Measures this host's clock offset against NTP servers (RFC 5905 client mode) with an honest error bound.
 *
 * <p>Each round ({@link #measure}) sends {@link ProbeSettings#samples()} requests to every server, one request
 * per server at a time and all servers in parallel, waits for replies (busy-polling for the first 2 ms so that
 * a fast reply is timestamped without a selector wake-up's delay, then in a selector), validates them
 * ({@link NtpExchange}), keeps the sample with the smallest bound (RFC 5905 clock filter: minimum delay), and
 * combines servers with {@link IntervalSelection}. Sessions persist across rounds: a server that sent a DENY or
 * RSTR kiss is never queried again, one that sent RATE is queried half as often each time.
 *
 * <p>Timestamps: T1 is read from the epoch clock just before sending, after a monotonic reading; T4 is T1
 * plus the monotonic time elapsed to just after the reply was read. A step of the host clock during an
 * exchange therefore cannot corrupt δ, and the monotonic reading taken first can only widen the bound.
 * Each server has a connected {@link DatagramChannel}: the kernel drops datagrams from any other address or
 * port, and an ICMP port-unreachable surfaces as a clear error.
 *
 * <p>Allocation: after {@link #open} a round allocates nothing per sample on the exchange path (one direct
 * {@link ByteBuffer} per server, read and written through {@link NtpExchange} without {@code Unsafe}, so no
 * JVM flag is needed; preallocated samples); building the per-round results allocates.
 *
 * <p>NTS (RFC 8915, {@link ServerSpec#nts}): the key exchange runs in {@link #open} (and again before a request
 * after an NTS NAK or when the cookies ran out); each request carries the NTS extension fields, and a reply is
 * authenticated ({@link dev.ordo.ntp.nts.NtsAssociation#openReply}) before {@link NtpExchange} looks at any of
 * its timestamps. Rejected replies are counted and named in {@link ServerResult#authFailures()} and never used.
 * Sealing and opening allocate nothing; a key exchange (TLS) does.
 *
 * <p>Not thread-safe: one thread opens, measures and closes a probe.
 */
public final class NtpProbe implements AutoCloseable
{
    private static final int RECEIVE_CAPACITY = NtsAssociation.MAX_PACKET_LENGTH; // NTS replies carry cookies
    /**
     * How long to busy-poll for replies before blocking in the selector: a selector wake-up costs tens of
     * microseconds, which would widen δ (and the bound) on a LAN or loopback where replies take less.
     */
    private static final long SPIN_NS = 2_000_000L;
    private static final String[] OUTCOMES = new String[ReplyCheck.values().length];
    private static final String[] NTS_OUTCOMES = new String[NtsReplyCheck.values().length];

    static
    {
        for (final NtsReplyCheck check : NtsReplyCheck.values())
        {
            NTS_OUTCOMES[check.ordinal()] = "nts-" + check.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
        for (final ReplyCheck check : ReplyCheck.values())
        {
            OUTCOMES[check.ordinal()] = check.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final ProbeSettings settings;
    private final EpochNanoClock epochClock;
    private final NanoClock monoClock;
    private final Selector selector;
    private final Session[] sessions;
    private final long localPrecisionNs;
    private final Consumer<SelectionKey> onReadable = this::onReadable;
    private final NtsKeClient keClient;
    private final Resolver resolver;
    private int pendingCount;
    private ProbeListener listener = ProbeListener.NONE;

    private NtpProbe(
        final List<ServerSpec> servers,
        final ProbeSettings settings,
        final EpochNanoClock epochClock,
        final NanoClock monoClock,
        final Resolver resolver,
        final NtsKeClient keClient) throws IOException
    {
        this.settings = settings;
        this.keClient = keClient;
        this.resolver = resolver;
        this.epochClock = epochClock;
        this.monoClock = monoClock;
        this.localPrecisionNs = ClockPrecision.resolutionNs(epochClock::nanoTime) +
            ClockPrecision.resolutionNs(monoClock::nanoTime);
        this.selector = Selector.open();
        this.sessions = new Session[servers.size()];
        final SecureRandom seeds = new SecureRandom();
        try
        {
            for (int i = 0; i < sessions.length; i++)
            {
                sessions[i] = new Session(servers.get(i), settings.samples(), seeds.nextLong(), localPrecisionNs);
                sessions[i].connect(selector, resolver, keClient);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Opens a probe on the system clocks.
     *
     * @param servers  the servers, in the order results are reported; duplicates are probed twice.
     * @param settings samples, interval and timeout.
     * @return the probe; unresolvable hosts are reported in results, not thrown.
     * @throws IOException if no selector or socket can be opened.
     */
    public static NtpProbe open(final List<ServerSpec> servers, final ProbeSettings settings) throws IOException
    {
        return open(servers, settings, SystemEpochNanoClock.INSTANCE, SystemNanoClock.INSTANCE);
    }

    /**
     * Opens a probe on the given clocks.
     *
     * @param servers    the servers.
     * @param settings   samples, interval and timeout.
     * @param epochClock the host clock being measured (epoch ns).
     * @param monoClock  a monotonic clock for intervals.
     * @return the probe.
     * @throws IOException if no selector or socket can be opened.
     */
    public static NtpProbe open(
        final List<ServerSpec> servers,
        final ProbeSettings settings,
        final EpochNanoClock epochClock,
        final NanoClock monoClock) throws IOException
    {
        return open(servers, settings, epochClock, monoClock, InetAddress::getByName);
    }

    /**
     * Opens a probe on the given clocks and host-name resolver.
     *
     * @param servers    the servers.
     * @param settings   samples, interval and timeout.
     * @param epochClock the host clock being measured (epoch ns).
     * @param monoClock  a monotonic clock for intervals.
     * @param resolver   turns host names into addresses (e.g. a fixed table in tests, so no DNS query leaves
     *                   the machine).
     * @return the probe.
     * @throws IOException if no selector or socket can be opened.
     * @throws IllegalArgumentException if {@code servers} is empty.
     */
    public static NtpProbe open(
        final List<ServerSpec> servers,
        final ProbeSettings settings,
        final EpochNanoClock epochClock,
        final NanoClock monoClock,
        final Resolver resolver) throws IOException
    {
        return open(servers, settings, epochClock, monoClock, resolver,
            new NtsKeClient(NtsTrust.system(), keTimeoutMs(settings)));
    }

    /**
     * Opens a probe whose NTS servers ({@link ServerSpec#nts}) run their key exchange with {@code keClient}
     * (its trust and timeout); plain servers ignore it. Each NTS server's key exchange runs here, one after the
     * other; a failure is reported in that server's results ({@link ServerStatus#KEY_EXCHANGE_FAILED}), not
     * thrown. A server that answers with an NTS NAK, or runs out of cookies, is re-keyed before its next request.
     *
     * @param servers    the servers, plain and NTS mixed.
     * @param settings   samples, interval and timeout.
     * @param epochClock the host clock being measured (epoch ns).
     * @param monoClock  a monotonic clock for intervals.
     * @param resolver   turns host names into addresses.
     * @param keClient   the NTS key-exchange client.
     * @return the probe.
     * @throws IOException if no selector or socket can be opened.
     * @throws IllegalArgumentException if {@code servers} is empty.
     */
    public static NtpProbe open(
        final List<ServerSpec> servers,
        final ProbeSettings settings,
        final EpochNanoClock epochClock,
        final NanoClock monoClock,
        final Resolver resolver,
        final NtsKeClient keClient) throws IOException
    {
        if (servers.isEmpty())
        {
            throw new IllegalArgumentException("no NTP server to probe");
        }
        return new NtpProbe(List.copyOf(servers), settings, epochClock, monoClock, resolver, keClient);
    }

    /**
     * @param settings the probe's settings.
     * @return the default NTS-KE timeout: the reply timeout, but at least 5 s (a TLS handshake takes round trips,
     * and a first one in a fresh JVM loads classes).
     */
    public static int keTimeoutMs(final ProbeSettings settings)
    {
        return (int)Math.min(Integer.MAX_VALUE, Math.max(5_000, settings.timeoutNs() / 1_000_000));
    }

    /**
     * Resolves a host name to an address.
     */
    @FunctionalInterface
    public interface Resolver
    {
        /**
         * @param host a host name or IP literal.
         * @return its address.
         * @throws UnknownHostException if it does not resolve.
         */
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /**
     * @return the host's clock reading error used in every sample's dispersion: the measured resolution of the
     * epoch clock plus that of the monotonic clock.
     */
    public long localPrecisionNs()
    {
        return localPrecisionNs;
    }

    /**
     * @return the monotonic clock this probe reads (to age a result consistently).
     */
    public NanoClock monoClock()
    {
        return monoClock;
    }

    /**
     * Runs one round without progress reports.
     *
     * @return the combined result.
     */
    public ProbeResult measure()
    {
        return measure(ProbeListener.NONE);
    }

    /**
     * Runs one round: {@code samples} requests per server, {@code interval} apart.
     *
     * <p>If the calling thread is interrupted, the round ends early: requests not yet answered or sent are
     * reported as {@code "timeout"} or {@code "skipped"}, the samples already taken are combined as usual, and
     * the interrupt status is kept (so an {@link NtpFeeder} can be closed promptly).
     *
     * @param listener told of every request's outcome.
     * @return the combined result; per-server failures are inside it, never thrown.
     */
    public ProbeResult measure(final ProbeListener listener)
    {
        this.listener = listener;
        for (final Session session : sessions)
        {
            session.startRound();
        }
        final long roundStartMonoNs = monoClock.nanoTime();
        for (int index = 0; index < settings.samples(); index++)
        {
            if (index > 0 && !sleepUntil(roundStartMonoNs + index * settings.intervalNs()))
            {
                break;
            }
            pendingCount = 0;
            for (final Session session : sessions)
            {
                if (session.spec.nts())
                {
                    // Any NTS re-key (after a NAK, or out of cookies) runs here, while no request is in flight,
                    // so the blocking TLS exchange cannot delay another server's reply timestamps.
                    session.ensureKeys(selector, resolver, keClient);
                }
            }
            for (final Session session : sessions)
            {
                send(session, index);
            }
            final long sentMonoNs = monoClock.nanoTime();
            final long deadlineMonoNs = sentMonoNs + settings.timeoutNs();
            final long spinUntilMonoNs = sentMonoNs + Math.min(SPIN_NS, settings.timeoutNs());
            while (pendingCount > 0 && monoClock.nanoTime() - spinUntilMonoNs < 0)
            {
                for (final Session session : sessions)
                {
                    if (session.pending)
                    {
                        readAvailable(session);
                    }
                }
                Thread.onSpinWait();
            }
            while (pendingCount > 0)
            {
                final long remainingNs = deadlineMonoNs - monoClock.nanoTime();
                if (remainingNs <= 0 || Thread.currentThread().isInterrupted())
                {
                    break;
                }
                try
                {
                    selector.select(onReadable, Math.max(1, (remainingNs + 999_999) / 1_000_000));
                }
                catch (final IOException ex)
                {
                    throw new java.io.UncheckedIOException("selector failed: " + ex.getMessage(), ex);
                }
            }
            for (final Session session : sessions)
            {
                if (session.pending)
                {
                    session.pending = false;
                    finish(session, index, session.requestNtsFailure != null ?
                        NTS_OUTCOMES[session.requestNtsFailure.ordinal()] : "timeout");
                }
            }
        }
        final List<ServerResult> results = new ArrayList<>(sessions.length);
        for (final Session session : sessions)
        {
            results.add(session.result());
        }
        return ProbeResult.combine(results);
    }

    private void send(final Session session, final int index)
    {
        if (session.stopped)
        {
            finish(session, index, "skipped");
            return;
        }
        if (session.skipRemaining > 0)
        {
            session.skipRemaining--;
            finish(session, index, "skipped");
            return;
        }
        if (session.spec.nts() && !session.ensureKeys(selector, resolver, keClient))
        {
            finish(session, index, "skipped");
            return;
        }
        final long sendMonoNs = monoClock.nanoTime();
        final long t1EpochNs = epochClock.nanoTime();
        session.byteBuffer.clear();
        int length = session.exchange.prepareRequest(session.byteBuffer, 0, t1EpochNs);
        if (session.nts != null)
        {
            // Sealing after reading T1 only lengthens the measured round trip: the bound can only widen.
            length = session.nts.sealRequest(session.byteBuffer, length);
            session.requestNtsFailure = null;
        }
        session.byteBuffer.clear().limit(length);
        try
        {
            session.channel.write(session.byteBuffer);
        }
        catch (final PortUnreachableException ex)
        {
            session.unreachable();
            finish(session, index, "skipped");
            return;
        }
        catch (final IOException ex)
        {
            session.fail(ServerStatus.ERROR, "cannot send to " + session.name + ": " + ex.getMessage());
            finish(session, index, "skipped");
            return;
        }
        session.sendMonoNs = sendMonoNs;
        session.t1EpochNs[index] = t1EpochNs;
        session.pending = true;
        session.pendingIndex = index;
        pendingCount++;
    }

    private void onReadable(final SelectionKey key)
    {
        readAvailable((Session)key.attachment());
    }

    private void readAvailable(final Session session)
    {
        while (true)
        {
            session.byteBuffer.clear();
            final int length;
            try
            {
                if (session.channel.read(session.byteBuffer) <= 0)
                {
                    return;
                }
                length = session.byteBuffer.position();
            }
            catch (final PortUnreachableException ex)
            {
                session.unreachable();
                closeRequest(session, "skipped");
                return;
            }
            catch (final IOException ex)
            {
                session.fail(ServerStatus.ERROR, "cannot receive from " + session.name + ": " + ex.getMessage());
                closeRequest(session, "skipped");
                return;
            }
            final long receiveMonoNs = monoClock.nanoTime();
            if (!session.pending)
            {
                continue;
            }
            final int index = session.pendingIndex;
            if (session.nts != null)
            {
                // NTS first: no timestamp of a reply is looked at before it is authenticated.
                final NtsReplyCheck authenticity = session.nts.openReply(session.byteBuffer, length);
                if (authenticity == NtsReplyCheck.NAK)
                {
                    session.rekey = true;
                    session.naks++;
                    closeRequest(session, "nts-nak");
                    continue;
                }
                if (authenticity != NtsReplyCheck.OK)
                {
                    session.noteNtsFailure(authenticity);
                    continue;
                }
            }
            final ReplyCheck verdict = session.exchange.acceptReply(
                session.byteBuffer, 0, length, receiveMonoNs - session.sendMonoNs, receiveMonoNs, session.samples[index]);
            if (verdict == ReplyCheck.KISS_OF_DEATH)
            {
                session.kissed(NtpPacket.kissCodeToString(session.exchange.lastKissCode()));
            }
            if (verdict.answersRequest())
            {
                closeRequest(session, OUTCOMES[verdict.ordinal()]);
            }
            else
            {
                session.noteRejection(verdict);
            }
        }
    }

    private void closeRequest(final Session session, final String outcome)
    {
        if (session.pending)
        {
            session.pending = false;
            pendingCount--;
            finish(session, session.pendingIndex, outcome);
        }
    }

    private void finish(final Session session, final int index, final String outcome)
    {
        session.outcomes[index] = outcome;
        listener.onSample(session.name, index, outcome);
    }

    /** @return false when the thread was interrupted (status kept) before {@code targetMonoNs}. */
    private boolean sleepUntil(final long targetMonoNs)
    {
        long remainingNs;
        while ((remainingNs = targetMonoNs - monoClock.nanoTime()) > 0)
        {
            if (Thread.currentThread().isInterrupted())
            {
                return false;
            }
            LockSupport.parkNanos(remainingNs);
        }
        return true;
    }

    /**
     * Closes every socket. Idempotent.
     */
    @Override
    public void close()
    {
        for (final Session session : sessions)
        {
            if (session != null)
            {
                session.close();
            }
        }
        try
        {
            selector.close();
        }
        catch (final IOException ignore)
        {
            // closing: nothing useful to do
        }
    }

    /** One server's socket, buffers and state. */
    private static final class Session
    {
        final ServerSpec spec;
        final String name;
        final NtpExchange exchange;
        final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(RECEIVE_CAPACITY);
        final NtpSample[] samples;
        final String[] outcomes;
        final long[] t1EpochNs;
        InetSocketAddress address;
        DatagramChannel channel;
        boolean pending;
        int pendingIndex;
        long sendMonoNs;
        boolean stopped;
        int rateSkips;
        int skipRemaining;
        ServerStatus failure;
        String failureMessage;
        String kissCode;
        int rejections;
        ReplyCheck lastRejection;
        int round;
        NtsAssociation nts;
        boolean rekey;
        NtsReplyCheck requestNtsFailure;
        int ntsFailures;
        NtsReplyCheck lastNtsFailure;
        int naks;

        Session(final ServerSpec spec, final int samples, final long seed, final long localPrecisionNs)
        {
            this.spec = spec;
            this.name = spec.toString();
            this.exchange = new NtpExchange(seed, localPrecisionNs);
            this.samples = new NtpSample[samples];
            for (int i = 0; i < samples; i++)
            {
                this.samples[i] = new NtpSample();
            }
            this.outcomes = new String[samples];
            this.t1EpochNs = new long[samples];
        }

        void connect(final Selector selector, final Resolver resolver, final NtsKeClient keClient) throws IOException
        {
            if (spec.nts())
            {
                ensureKeys(selector, resolver, keClient);
                return;
            }
            try
            {
                address = new InetSocketAddress(resolver.resolve(spec.host()), spec.port());
            }
            catch (final UnknownHostException ex)
            {
                fail(ServerStatus.UNKNOWN_HOST, "unknown host: " + spec.host());
                return;
            }
            openChannel(selector);
        }

        /**
         * NTS: runs a key exchange when there is no association yet, after a NAK, or when the cookies ran out,
         * and (re)connects the datagram channel to the NTP server the exchange named.
         *
         * @return false when the server failed (the failure is recorded).
         */
        boolean ensureKeys(final Selector selector, final Resolver resolver, final NtsKeClient keClient)
        {
            if (stopped)
            {
                return false;
            }
            if (nts != null && !rekey && nts.cookieCount() > 0)
            {
                return true;
            }
            final InetSocketAddress ntpAddress;
            try
            {
                final java.net.InetAddress keAddress = resolver.resolve(spec.host());
                nts = keClient.establish(spec.host(), keAddress, spec.port());
                rekey = false;
                ntpAddress = new InetSocketAddress(nts.ntpHost().equals(spec.host()) ? keAddress :
                    resolver.resolve(nts.ntpHost()), nts.ntpPort());
            }
            catch (final UnknownHostException ex)
            {
                fail(ServerStatus.UNKNOWN_HOST, "unknown host: " + (nts == null ? spec.host() : nts.ntpHost()));
                return false;
            }
            catch (final NtsException ex)
            {
                nts = null;
                fail(ServerStatus.KEY_EXCHANGE_FAILED, ex.getMessage());
                return false;
            }
            if (!ntpAddress.equals(address))
            {
                close();
                address = ntpAddress;
                try
                {
                    openChannel(selector);
                }
                catch (final IOException ex)
                {
                    fail(ServerStatus.ERROR, "cannot open a socket to " + addressText() + ": " + ex.getMessage());
                }
            }
            return !stopped;
        }

        void noteNtsFailure(final NtsReplyCheck check)
        {
            ntsFailures++;
            lastNtsFailure = check;
            requestNtsFailure = check;
        }

        private void openChannel(final Selector selector) throws IOException
        {
            channel = DatagramChannel.open();
            try
            {
                channel.connect(address);
            }
            catch (final IOException ex)
            {
                fail(ServerStatus.ERROR, "cannot open a socket to " + name + ": " + ex.getMessage());
                return;
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, this);
        }

        void startRound()
        {
            round++;
            java.util.Arrays.fill(outcomes, "skipped");
            java.util.Arrays.fill(t1EpochNs, 0);
            rejections = 0;
            lastRejection = null;
            ntsFailures = 0;
            lastNtsFailure = null;
            naks = 0;
            pending = false;
        }

        void fail(final ServerStatus status, final String message)
        {
            stopped = true;
            failure = status;
            failureMessage = message;
        }

        void unreachable()
        {
            fail(ServerStatus.UNREACHABLE, "port unreachable: no NTP server answers at " + addressText());
        }

        void kissed(final String code)
        {
            kissCode = code;
            if ("DENY".equals(code) || "RSTR".equals(code))
            {
                fail(ServerStatus.KISS_OF_DEATH, "Kiss-o'-Death " + code + " from " + name +
                    ": the server refuses us (access " + ("DENY".equals(code) ? "denied" : "restricted") +
                    "); stopped querying it");
            }
            else if ("RATE".equals(code))
            {
                rateSkips = Math.min(64, Math.max(1, rateSkips * 2));
                skipRemaining = rateSkips;
            }
        }

        void noteRejection(final ReplyCheck check)
        {
            rejections++;
            lastRejection = check;
        }

        String addressText()
        {
            return address == null ? name : AddressText.of(address);
        }

        ServerResult result()
        {
            final int n = samples.length;
            int best = -1;
            int used = 0;
            final long endMonoNs = lastOkMono();
            for (int i = 0; i < n; i++)
            {
                if (!"ok".equals(outcomes[i]) || (isWarmup(i) && countOk() > 1))
                {
                    continue;
                }
                used++;
                if (best < 0 || agedBound(i, endMonoNs) < agedBound(best, endMonoNs))
                {
                    best = i;
                }
            }
            final List<SampleRecord> records = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
            {
                final NtpSample s = samples[i];
                final boolean ok = "ok".equals(outcomes[i]);
                records.add(new SampleRecord(i, outcomes[i], isWarmup(i), i == best, t1EpochNs[i],
                    ok ? s.t4MonoNs : 0, ok ? s.offsetNs : 0, ok ? s.delayNs : 0, ok ? s.boundNs() : 0));
            }
            final String address = this.address == null ? null : addressText();
            if (best < 0)
            {
                final ServerStatus status;
                final String message;
                if (failure != null)
                {
                    status = failure;
                    message = failureMessage;
                }
                else if (ntsFailures > 0)
                {
                    status = ServerStatus.REJECTED;
                    message = "no authenticated reply from " + name + ": " + ntsFailures + " repl" +
                        (ntsFailures == 1 ? "y" : "ies") + " failed the NTS checks and none was used (last: " +
                        lastNtsFailure.description() + ")";
                }
                else if (naks > 0)
                {
                    status = ServerStatus.REJECTED;
                    message = name + " answered with " + naks + " NTS NAK" + (naks == 1 ? "" : "s") +
                        " (it could not use our cookies); a new key exchange runs before each next request";
                }
                else if (kissCode != null)
                {
                    status = ServerStatus.KISS_OF_DEATH;
                    message = "Kiss-o'-Death " + kissCode + " from " + name +
                        ("RATE".equals(kissCode) ? ": rate limited, backing off" : "");
                }
                else if (firstAnsweredRejection() != null)
                {
                    status = ServerStatus.REJECTED;
                    message = "every reply from " + name + " was rejected: " + firstAnsweredRejection().description();
                }
                else
                {
                    status = ServerStatus.NO_REPLY;
                    message = "no valid reply from " + addressText() + " within " +
                        "the timeout to any of " + n + " requests" + (rejections > 0 ?
                        " (" + rejections + " datagrams ignored, last: " + lastRejection.description() + ")" : "");
                }
                return new ServerResult(name, address, status, message, kissCode, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, List.copyOf(records), false, ntsFailures, ntsFailureText());
            }
            final NtpSample chosen = samples[best];
            double sumSquares = 0;
            for (int i = 0; i < n; i++)
            {
                if ("ok".equals(outcomes[i]) && !(isWarmup(i) && countOk() > 1))
                {
                    final double d = samples[i].offsetNs - chosen.offsetNs;
                    sumSquares += d * d;
                }
            }
            final long jitterNs = used > 1 ? Math.round(Math.sqrt(sumSquares / (used - 1))) : 0;
            return new ServerResult(name, address, ServerStatus.OK, null, kissCode, chosen.offsetNs, chosen.boundNs(),
                chosen.delayNs, chosen.dispersionNs, jitterNs, chosen.rootDelayNs, chosen.rootDispersionNs,
                chosen.stratum, chosen.leapIndicator, chosen.precisionLog2, chosen.referenceId, chosen.t4MonoNs,
                chosen.t4EpochNs, used, List.copyOf(records), spec.nts(), ntsFailures, ntsFailureText());
        }

        private String ntsFailureText()
        {
            return lastNtsFailure == null ? null : lastNtsFailure.description();
        }

        /** The first request of a server's first round warms the JVM and the path up. */
        private boolean isWarmup(final int index)
        {
            return index == 0 && round == 1 && samples.length > 1;
        }

        private ReplyCheck firstAnsweredRejection()
        {
            for (final String outcome : outcomes)
            {
                for (final ReplyCheck check : ReplyCheck.values())
                {
                    if (check != ReplyCheck.OK && OUTCOMES[check.ordinal()].equals(outcome))
                    {
                        return check;
                    }
                }
            }
            return null;
        }

        private int countOk()
        {
            int count = 0;
            for (final String outcome : outcomes)
            {
                count += "ok".equals(outcome) ? 1 : 0;
            }
            return count;
        }

        private long lastOkMono()
        {
            long latest = Long.MIN_VALUE;
            for (int i = 0; i < samples.length; i++)
            {
                if ("ok".equals(outcomes[i]))
                {
                    latest = Math.max(latest, samples[i].t4MonoNs);
                }
            }
            return latest;
        }

        private long agedBound(final int index, final long atMonoNs)
        {
            final long ageNs = Math.max(0, atMonoNs - samples[index].t4MonoNs);
            return samples[index].boundNs() + (ageNs * NtpExchange.PHI_PPM + 999_999) / 1_000_000;
        }

        void close()
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // closing: nothing useful to do
                }
            }
        }
    }
}
