package dev.ordo.ntp;

/**
 * One request of a probe round, as reported to users: an immutable copy made after sampling.
 *
 * @param index     0-based request number within the round.
 * @param outcome   {@code "ok"}, {@code "timeout"}, {@code "skipped"} (rate-limited or server stopped) or the
 *                  {@link ReplyCheck} that rejected the reply, in lower case with dashes.
 * @param warmup    true for the first request of a probe's first round, which warms the JVM up and is not used
 *                  when others succeed.
 * @param best      true for the sample the clock filter chose.
 * @param t1EpochNs host epoch ns when the request was sent (0 if not sent).
 * @param monoNs    monotonic ns when the reply arrived (0 without a reply).
 * @param offsetNs  θ (server minus host), valid when {@code outcome} is {@code "ok"}.
 * @param delayNs   δ, valid when ok.
 * @param boundNs   the sample's own bound, valid when ok.
 */
public record SampleRecord(
    int index,
    String outcome,
    boolean warmup,
    boolean best,
    long t1EpochNs,
    long monoNs,
    long offsetNs,
    long delayNs,
    long boundNs)
{
    /**
     * @return true when the exchange produced a valid sample.
     */
    public boolean ok()
    {
        return "ok".equals(outcome);
    }
}
