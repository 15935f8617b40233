package dev.ordo.ntp;

import java.io.IOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps a bounded clock fed by real NTP: a daemon thread that measures the servers every interval (one
 * {@link NtpProbe} round) and feeds each good result to a {@link ProbeResult.BoundSink} such as Ordo's
 * {@code DriftErrorBound::updateBound}. With it, "a bounded clock fed by real NTP" is three lines:
 *
 * <pre>{@code
 * DriftErrorBound drift = DriftErrorBound.withMaxDriftPpm(15, 256_000_000_000L, 1_024_000_000_000L);
 * ErrorBoundedClock clock = ErrorBoundedClock.system(drift);
 * NtpFeeder feeder = NtpFeeder.start(List.of(ServerSpec.parse("time.example")), Duration.ofSeconds(64),
 *     drift::updateBound);
 * }</pre>
 *
 * <h2>Schedule</h2>
 * The first round starts at once; each next one starts a jittered interval after the previous one ended
 * (interval × a uniform factor in [1 − jitter, 1 + jitter], jitter 0.1 by default) so that many hosts started
 * together do not hit the servers in step. A failed round feeds nothing: the sink's own drift model then ages
 * the last good bound towards free-running and unknown, which is the honest answer.
 *
 * <h2>Being a good NTP citizen</h2>
 * <ul>
 *   <li><b>RATE</b> kiss (the server asks us to slow down): the interval doubles after each round in which any
 *       server sent one, up to {@link Builder#maxInterval} (default 1024 s, 16 times the default interval, as
 *       RFC 5905's maximum poll of 2<sup>10</sup> s), and returns to the base interval after a round without one.
 *       Within a round the probe also skips 1, 2, 4, … of that server's next requests.</li>
 *   <li><b>DENY</b> or <b>RSTR</b> kiss (the server refuses us): that server is never queried again. When every
 *       server has refused, the feeder stops by itself ({@link State#REFUSED}); {@link #stopReason()} says
 *       why.</li>
 *   <li>Other failures (timeout, unreachable, unknown host) are retried the next round: each round opens a
 *       fresh probe, so names are resolved again and a server that came back is used again.</li>
 * </ul>
 *
 * <h2>Threads and shutdown</h2>
 * One daemon thread, named {@code ordo-ntp-feeder} by default, does all the I/O; the sink and the round
 * listener are called on it. {@link #close()} wakes it, interrupts a round in progress (the probe ends a
 * round early on interrupt) and waits for it to finish; it is idempotent. Every other method is thread-safe
 * and non-blocking except {@link #awaitFirstFeed}. An exception thrown by the sink or the listener is caught,
 * counted in {@link #lastError()}, and the feeder carries on. An interrupt that does not come from
 * {@link #close()} may end a round in progress early but never shortens the wait before the next one.
 */
public final class NtpFeeder implements AutoCloseable
{
    /** The default interval between rounds: 64 s, RFC 5905's default minimum poll (2<sup>6</sup> s). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(64);
    /** The default longest interval when servers keep sending RATE: 1024 s. */
    public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(1024);
    /** The default jitter: each wait is the interval × a uniform factor in [0.9, 1.1]. */
    public static final double DEFAULT_JITTER = 0.1;
    /** The default name of the feeder's thread. */
    public static final String DEFAULT_THREAD_NAME = "ordo-ntp-feeder";

    /** What the feeder is doing. */
    public enum State
    {
        /** Measuring and feeding on schedule. */
        RUNNING,
        /** Every server sent DENY or RSTR; the thread has ended (see {@link #stopReason()}). */
        REFUSED,
        /** {@link #close()} was called; the thread has ended or is ending. */
        CLOSED
    }

    private final List<ServerSpec> servers;
    private final ProbeResult.BoundSink sink;
    private final ProbeSettings settings;
    private final long intervalNs;
    private final long maxIntervalNs;
    private final double jitter;
    private final Consumer<ProbeResult> onRound;
    private final NtpProbe.Resolver resolver;
    private final SplittableRandom random;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    private volatile State state = State.RUNNING;
    private volatile String stopReason;
    private volatile ProbeResult lastResult;
    private volatile String lastError;
    private volatile long currentIntervalNs;
    private volatile long rounds;
    private volatile long feeds;
    private final List<String> refused = new ArrayList<>();

    private NtpFeeder(final Builder builder)
    {
        this.servers = builder.servers;
        this.sink = builder.sink;
        this.settings = builder.settings;
        this.intervalNs = builder.intervalNs;
        this.maxIntervalNs = builder.maxIntervalNs;
        this.jitter = builder.jitter;
        this.onRound = builder.onRound;
        this.resolver = builder.resolver;
        this.random = new SplittableRandom(new SecureRandom().nextLong());
        this.currentIntervalNs = intervalNs;
        this.thread = new Thread(this::run, builder.threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Starts a feeder with the default settings (8 samples per round, 10 % jitter, backoff up to 1024 s).
     *
     * @param servers  the NTP servers; at least one.
     * @param interval time between rounds, at least 1 s (64 s is RFC 5905's default minimum poll).
     * @param sink     receives each good result's bound, e.g. {@code drift::updateBound}.
     * @return the running feeder; close it to stop.
     * @throws IllegalArgumentException if {@code servers} is empty or {@code interval} is under 1 s.
     */
    public static NtpFeeder start(
        final List<ServerSpec> servers, final Duration interval, final ProbeResult.BoundSink sink)
    {
        return builder(servers, sink).interval(interval).start();
    }

    /**
     * @param servers the NTP servers; at least one.
     * @param sink    receives each good result's bound, e.g. {@code drift::updateBound}.
     * @return a builder with the defaults filled in.
     */
    public static Builder builder(final List<ServerSpec> servers, final ProbeResult.BoundSink sink)
    {
        return new Builder(servers, sink);
    }

    /**
     * Blocks until a measurement has been fed to the sink (returns at once if one already was), the timeout
     * passes, or the feeder stops. Use it at start-up, before anything relies on the bounded clock's interval
     * (an untimed commit-wait on a clock that has never been fed waits for the first feed).
     *
     * @param timeout the longest wait (saturates at about 292 years; zero or negative only checks).
     * @return true when at least one result has been fed.
     * @throws InterruptedException if the calling thread is interrupted while waiting.
     */
    public boolean awaitFirstFeed(final Duration timeout) throws InterruptedException
    {
        long remainingNs = saturatedNanos(timeout);
        lock.lockInterruptibly();
        try
        {
            while (feeds == 0 && state == State.RUNNING && remainingNs > 0)
            {
                remainingNs = changed.awaitNanos(remainingNs);
            }
            return feeds > 0;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * @return what the feeder is doing.
     */
    public State state()
    {
        return state;
    }

    /**
     * @return why the feeder stopped by itself (the servers that refused us), or null while it runs or after
     * {@link #close()}.
     */
    public String stopReason()
    {
        return stopReason;
    }

    /**
     * @return the latest round's result (ok or not), or null before the first round ends.
     */
    public ProbeResult lastResult()
    {
        return lastResult;
    }

    /**
     * @return the last exception thrown by the sink, the listener or the probe, as one line; null if none.
     */
    public String lastError()
    {
        return lastError;
    }

    /**
     * @return how many rounds have ended.
     */
    public long rounds()
    {
        return rounds;
    }

    /**
     * @return how many results the sink has accepted.
     */
    public long feeds()
    {
        return feeds;
    }

    /**
     * @return the interval the feeder now waits between rounds, before jitter: the base interval, doubled per
     * consecutive round with a RATE kiss, at most the maximum interval.
     */
    public Duration currentInterval()
    {
        return Duration.ofNanos(currentIntervalNs);
    }

    /**
     * @return the feeder's thread (a daemon), e.g. to check its name or that it has ended.
     */
    public Thread thread()
    {
        return thread;
    }

    /**
     * Stops the feeder: wakes its thread, interrupts a round in progress and waits for the thread to end.
     * Idempotent; safe from any thread except the feeder's own (from there it does not wait).
     */
    @Override
    public void close()
    {
        lock.lock();
        try
        {
            if (state == State.RUNNING)
            {
                state = State.CLOSED;
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        if (Thread.currentThread() != thread)
        {
            thread.interrupt();
            boolean interrupted = false;
            while (thread.isAlive())
            {
                try
                {
                    thread.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run()
    {
        while (state == State.RUNNING)
        {
            final List<ServerSpec> active = activeServers();
            if (active.isEmpty())
            {
                stop("every server refused us (DENY or RSTR): " + String.join(", ", refused));
                return;
            }
            final ProbeResult result = measure(active);
            if (result == null)
            {
                continue; // closed while opening, or an error recorded in lastError: the loop re-checks the state
            }
            noteRefusals(result);
            final boolean rateLimited = result.servers().stream().anyMatch(s -> "RATE".equals(s.kissCode()));
            // Saturating: doubling an interval above maxIntervalNs / 2 (up to 2^63 - 1 ns) must not wrap to a
            // negative wait, which would hammer the very server that asked us to slow down.
            currentIntervalNs = !rateLimited ? intervalNs :
                currentIntervalNs > maxIntervalNs / 2 ? maxIntervalNs : currentIntervalNs * 2;
            if (state != State.RUNNING)
            {
                return;
            }
            boolean fed = false;
            try
            {
                fed = result.feed(sink);
            }
            catch (final RuntimeException ex)
            {
                lastError = "the sink threw " + ex;
            }
            try
            {
                onRound.accept(result);
            }
            catch (final RuntimeException ex)
            {
                lastError = "the round listener threw " + ex;
            }
            lock.lock();
            try
            {
                lastResult = result;
                rounds++;
                if (fed)
                {
                    feeds++;
                }
                changed.signalAll();
                if (activeServers().isEmpty())
                {
                    continue;
                }
                awaitClosed(jittered(currentIntervalNs));
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    private ProbeResult measure(final List<ServerSpec> active)
    {
        try (NtpProbe probe = NtpProbe.open(active, settings, org.agrona.concurrent.SystemEpochNanoClock.INSTANCE,
            org.agrona.concurrent.SystemNanoClock.INSTANCE, resolver))
        {
            return probe.measure();
        }
        catch (final IOException | RuntimeException ex)
        {
            if (state == State.RUNNING)
            {
                lastError = "cannot probe: " + ex;
            }
            sleepQuietly(currentIntervalNs);
            return null;
        }
    }

    private void sleepQuietly(final long ns)
    {
        lock.lock();
        try
        {
            awaitClosed(jittered(ns));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits (holding the lock) until {@code waitNs} have passed or the state is no longer RUNNING. close() sets
     * the state before it interrupts, so an interrupt seen while the state is still RUNNING is a stray one: it
     * must not cut the wait short (a round at once would ignore the schedule and any RATE backoff).
     */
    private void awaitClosed(final long waitNs)
    {
        long remainingNs = waitNs;
        while (state == State.RUNNING && remainingNs > 0)
        {
            final long beforeNs = System.nanoTime();
            try
            {
                remainingNs = changed.awaitNanos(remainingNs);
            }
            catch (final InterruptedException ex)
            {
                remainingNs -= System.nanoTime() - beforeNs; // the loop condition sees close()'s state
            }
        }
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private List<ServerSpec> activeServers()
    {
        final List<ServerSpec> active = new ArrayList<>(servers.size());
        for (final ServerSpec server : servers)
        {
            if (!refused.contains(server.toString()))
            {
                active.add(server);
            }
        }
        return active;
    }

    private void noteRefusals(final ProbeResult result)
    {
        for (final ServerResult server : result.servers())
        {
            if (("DENY".equals(server.kissCode()) || "RSTR".equals(server.kissCode())) &&
                !refused.contains(server.server()))
            {
                refused.add(server.server());
            }
        }
    }

    private void stop(final String reason)
    {
        lock.lock();
        try
        {
            if (state == State.RUNNING)
            {
                stopReason = reason;
                state = State.REFUSED;
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    private long jittered(final long ns)
    {
        return nextDelayNs(ns, jitter, random.nextDouble());
    }

    /**
     * @param intervalNs the interval before jitter.
     * @param jitter     the jitter fraction, 0 to 0.5.
     * @param uniform    a uniform random number in [0, 1).
     * @return {@code intervalNs × (1 − jitter + 2 × jitter × uniform)}, at least 1 ns.
     */
    static long nextDelayNs(final long intervalNs, final double jitter, final double uniform)
    {
        return Math.max(1, Math.round(intervalNs * (1 - jitter + 2 * jitter * uniform)));
    }

    /**
     * Configures an {@link NtpFeeder}. Not thread-safe; {@link #start()} copies everything it needs.
     */
    public static final class Builder
    {
        private final List<ServerSpec> servers;
        private final ProbeResult.BoundSink sink;
        private ProbeSettings settings = ProbeSettings.DEFAULTS;
        private long intervalNs = DEFAULT_INTERVAL.toNanos();
        private long maxIntervalNs = DEFAULT_MAX_INTERVAL.toNanos();
        private double jitter = DEFAULT_JITTER;
        private String threadName = DEFAULT_THREAD_NAME;
        private Consumer<ProbeResult> onRound = result -> { };
        private NtpProbe.Resolver resolver = InetAddress::getByName;
        private boolean allowShortIntervals;

        private Builder(final List<ServerSpec> servers, final ProbeResult.BoundSink sink)
        {
            if (servers == null || servers.isEmpty())
            {
                throw new IllegalArgumentException("no NTP server to feed from");
            }
            this.servers = List.copyOf(servers);
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /**
         * @param interval time between rounds; at least 1 s (public servers ask for 64 s or more); saturates at
         *                 about 292 years.
         * @return this.
         * @throws IllegalArgumentException if it is shorter than 1 s.
         */
        public Builder interval(final Duration interval)
        {
            final long ns = saturatedNanos(interval);
            if (ns < TimeUnit.SECONDS.toNanos(1) && !allowShortIntervals)
            {
                throw new IllegalArgumentException("an NTP feeder's interval must be at least 1 s: " + interval);
            }
            if (ns <= 0)
            {
                throw new IllegalArgumentException("interval must be positive: " + interval);
            }
            this.intervalNs = ns;
            return this;
        }

        /**
         * @param maxInterval the longest interval RATE kisses can push the schedule to (default 1024 s).
         * @return this.
         * @throws IllegalArgumentException if it is not positive.
         */
        public Builder maxInterval(final Duration maxInterval)
        {
            if (maxInterval.isNegative() || maxInterval.isZero())
            {
                throw new IllegalArgumentException("max interval must be positive: " + maxInterval);
            }
            this.maxIntervalNs = saturatedNanos(maxInterval);
            return this;
        }

        /**
         * @param jitter the fraction each wait varies by, 0 (none) to 0.5 (default 0.1).
         * @return this.
         * @throws IllegalArgumentException if it is outside [0, 0.5].
         */
        public Builder jitter(final double jitter)
        {
            if (!(jitter >= 0 && jitter <= 0.5))
            {
                throw new IllegalArgumentException("jitter must be 0 to 0.5: " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * @param settings samples, interval and timeout of each round (default {@link ProbeSettings#DEFAULTS}).
         * @return this.
         */
        public Builder settings(final ProbeSettings settings)
        {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param threadName the name of the feeder's daemon thread (default {@code ordo-ntp-feeder}).
         * @return this.
         */
        public Builder threadName(final String threadName)
        {
            this.threadName = Objects.requireNonNull(threadName, "threadName");
            return this;
        }

        /**
         * @param onRound called on the feeder's thread with every round's result, fed or not (for logging and
         *                metrics).
         * @return this.
         */
        public Builder onRound(final Consumer<ProbeResult> onRound)
        {
            this.onRound = Objects.requireNonNull(onRound, "onRound");
            return this;
        }

        /**
         * @param resolver turns host names into addresses each round (default: the system resolver).
         * @return this.
         */
        public Builder resolver(final NtpProbe.Resolver resolver)
        {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** For tests on loopback: allows intervals under 1 s. */
        Builder allowShortIntervals()
        {
            this.allowShortIntervals = true;
            return this;
        }

        /**
         * Starts the feeder's thread; the first round begins at once.
         *
         * @return the running feeder.
         * @throws IllegalArgumentException if the maximum interval is shorter than the interval.
         */
        public NtpFeeder start()
        {
            if (maxIntervalNs < intervalNs)
            {
                throw new IllegalArgumentException("max interval " + Duration.ofNanos(maxIntervalNs) +
                    " is shorter than the interval " + Duration.ofNanos(intervalNs));
            }
            final NtpFeeder feeder = new NtpFeeder(this);
            feeder.thread.start();
            return feeder;
        }
    }
}
