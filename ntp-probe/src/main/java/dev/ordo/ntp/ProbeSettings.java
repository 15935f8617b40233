package dev.ordo.ntp;

import java.time.Duration;

/**
 * How a probe samples each server. Immutable.
 *
 * @param samples    requests per server per round, 1–64; the first of the first round warms the JVM up and is
 *                   used only when no other succeeds (default 8, like the RFC 5905 clock filter's register).
 * @param intervalNs pause between requests to one server, 0 to 1 hour (default 250 ms; after a RATE kiss the
 *                   probe skips 1, 2, 4, ... of that server's next requests).
 * @param timeoutNs  how long to wait for each reply, 1 ms to 1 minute (default 1 s).
 */
public record ProbeSettings(int samples, long intervalNs, long timeoutNs)
{
    /** Default samples per server. */
    public static final int DEFAULT_SAMPLES = 8;
    /** Default interval between samples. */
    public static final long DEFAULT_INTERVAL_NS = 250_000_000L;
    /** Default timeout per reply. */
    public static final long DEFAULT_TIMEOUT_NS = 1_000_000_000L;
    /** The defaults. */
    public static final ProbeSettings DEFAULTS =
        new ProbeSettings(DEFAULT_SAMPLES, DEFAULT_INTERVAL_NS, DEFAULT_TIMEOUT_NS);

    /**
     * Validates the settings.
     *
     * @param samples    requests per server.
     * @param intervalNs pause between requests to one server.
     * @param timeoutNs  how long to wait for each reply.
     * @throws IllegalArgumentException naming the bad value if one is out of range.
     */
    public ProbeSettings
    {
        if (samples < 1 || samples > 64)
        {
            throw new IllegalArgumentException("samples must be 1-64: " + samples);
        }
        if (intervalNs < 0 || intervalNs > 3_600_000_000_000L)
        {
            throw new IllegalArgumentException("interval must be 0 to 3600 s: " + intervalNs + " ns");
        }
        if (timeoutNs < 1_000_000L || timeoutNs > 60_000_000_000L)
        {
            throw new IllegalArgumentException("timeout must be 1 ms to 60 s: " + timeoutNs + " ns");
        }
    }

    /**
     * The settings with {@link Duration}s, for configuration code.
     *
     * @param samples  requests per server per round, 1–64.
     * @param interval pause between requests to one server, 0 to 1 hour.
     * @param timeout  how long to wait for each reply, 1 ms to 1 minute.
     * @return the settings.
     * @throws IllegalArgumentException naming the bad value if one is out of range.
     */
    public static ProbeSettings of(final int samples, final Duration interval, final Duration timeout)
    {
        return new ProbeSettings(samples, saturatedNanos(interval), saturatedNanos(timeout));
    }

    /**
     * @return the pause between requests to one server.
     */
    public Duration interval()
    {
        return Duration.ofNanos(intervalNs);
    }

    /**
     * @return how long the probe waits for each reply.
     */
    public Duration timeout()
    {
        return Duration.ofNanos(timeoutNs);
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
}
