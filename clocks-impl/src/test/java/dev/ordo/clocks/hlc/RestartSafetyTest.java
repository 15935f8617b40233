package dev.ordo.clocks.hlc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ordo.clocks.api.HybridTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart safety with real processes: a child JVM issues timestamps with a persisted upper bound, is killed
 * with SIGKILL mid-stream, and is restarted with its physical clock 3 s behind (as after a reboot with a
 * wrong hardware clock). No timestamp after the restart may be at or below one issued before the kill. The
 * same run without the store shows the test can see the failure it guards against.
 */
class RestartSafetyTest
{
    private static final long AHEAD_MS = 3_000;
    private static final long WINDOW_MS = 50;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void restartedClockShouldIssueAboveEverythingIssuedBeforeASigkill() throws Exception
    {
        final String store = dir.resolve("hlc.bound").toString();
        final List<Long> before = runAndKill(store, AHEAD_MS, 800, Integer.MAX_VALUE);
        assertThat(before).hasSizeGreaterThan(1_000);
        final long maxBefore = before.stream().mapToLong(Long::longValue).max().orElseThrow();

        final List<Long> after = runAndKill(store, 0, 10_000, 2_000);
        assertThat(after).hasSizeGreaterThanOrEqualTo(2_000);
        assertThat(after.get(0))
            .as("first timestamp after restart %s vs last before kill %s",
                HybridTimestamps.toString(after.get(0)), HybridTimestamps.toString(maxBefore))
            .isGreaterThan(maxBefore);
        assertThat(after.stream().mapToLong(Long::longValue).min().orElseThrow()).isGreaterThan(maxBefore);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void withoutTheStoreTheSameRestartRepeatsThePast() throws Exception
    {
        final List<Long> before = runAndKill("none", AHEAD_MS, 400, Integer.MAX_VALUE);
        final long maxBefore = before.stream().mapToLong(Long::longValue).max().orElseThrow();
        final List<Long> after = runAndKill("none", 0, 10_000, 100);
        assertThat(after.get(0)).isLessThan(maxBefore);
    }

    /**
     * Issue 10 item 6. Before the fix, a child that took a legal remote timestamp ahead (here 2 s, with a 5 s
     * max offset, so the lead outlasts the JVM's start) and was killed restarted that far plus a window ahead
     * of physical time, so its peers saw it ahead. Now the restart waits until physical time passes the persisted bound: every
     * timestamp after the restart is above every one before the kill, and none is ahead of this host's
     * physical time when the parent reads it.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRestartAfterARemoteAheadShouldWaitOutTheBoundRatherThanRunAhead() throws Exception
    {
        final String store = dir.resolve("hlc.bound").toString();
        final List<Long> before = runAndKill(store, 0, 300, Integer.MAX_VALUE, "FIRST_START", "remote-ahead");
        final long maxBefore = before.stream().mapToLong(Long::longValue).max().orElseThrow();

        final List<Long> after = runAndKill(store, 0, 10_000, 500, "RESTART", "none");
        assertThat(after.stream().mapToLong(Long::longValue).min().orElseThrow()).isGreaterThan(maxBefore);
        final long readAtMs = System.currentTimeMillis();
        for (final long ts : after)
        {
            assertThat(HybridTimestamps.timeMs(ts))
                .as("restarted clock ahead of physical time: %s", HybridTimestamps.toString(ts))
                .isLessThanOrEqualTo(readAtMs + 1);
        }
    }

    private static List<Long> runAndKill(final String store, final long offsetMs, final long runMs, final int maxLines)
        throws IOException, InterruptedException
    {
        return runAndKill(store, offsetMs, runMs, maxLines, "FIRST_START_OR_RESTART", "none");
    }

    /**
     * Runs a child until {@code runMs} passed or {@code maxLines} were read, kills it with SIGKILL, and
     * returns every complete line it printed.
     */
    private static List<Long> runAndKill(
        final String store, final long offsetMs, final long runMs, final int maxLines, final String start,
        final String mode) throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), RestartChild.class.getName(),
            store, Long.toString(offsetMs), Long.toString(WINDOW_MS), start, mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final List<Long> issued = new ArrayList<>();
        try
        {
            final BufferedReader reader =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMs);
            String line;
            while (issued.size() < maxLines && System.nanoTime() < deadline && (line = reader.readLine()) != null)
            {
                issued.add(Long.parseLong(line));
            }
            sigkill(child);
            // Lines printed before the kill are issued timestamps too; a torn last line is not a number.
            while ((line = reader.readLine()) != null)
            {
                if (!line.isEmpty() && line.chars().allMatch(Character::isDigit) && line.length() >= 18)
                {
                    issued.add(Long.parseLong(line));
                }
            }
        }
        finally
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(issued).as("child with store %s printed timestamps", store).isNotEmpty();
        return issued;
    }

    private static void sigkill(final Process child) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
    }
}
