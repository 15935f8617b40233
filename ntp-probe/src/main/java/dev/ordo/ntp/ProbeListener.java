package dev.ordo.ntp;

/**
 * Progress callbacks from {@link NtpProbe#measure(ProbeListener)}, on the probing thread. Implementations must
 * be quick: time spent here is not inside any exchange, but it delays the next one.
 */
@FunctionalInterface
public interface ProbeListener
{
    /** A listener that ignores everything. */
    ProbeListener NONE = (server, index, outcome) ->
    {
    };

    /**
     * Called once per request when its outcome is known.
     *
     * @param server  the server ({@code host:port}).
     * @param index   the request's index within the round.
     * @param outcome {@code "ok"}, {@code "timeout"}, {@code "skipped"} or a rejection (see
     *                {@link SampleRecord#outcome()}).
     */
    void onSample(String server, int index, String outcome);
}
