package dev.ordo.clocks.bounded;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10 item 17 with real processes: a child JVM issues (or accepts) fencing tokens on a file store and is
 * killed with SIGKILL mid-stream, three times. Every token issued after a restart is above every token issued
 * before; a guard restored after a kill refuses every token the killed guard had accepted.
 */
class FencingRestartTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void issuerKilledWithSigkillShouldNeverReissueATokenAfterRestart() throws Exception
    {
        final String file = dir.resolve("issuer.token").toString();
        long maxBefore = 0;
        for (int run = 0; run < 3; run++)
        {
            final List<Long> issued = runAndKill("issue", file, 300);
            assertThat(issued.get(0)).as("run %d: first token after the restart", run).isGreaterThan(maxBefore);
            for (int i = 1; i < issued.size(); i++)
            {
                assertThat(issued.get(i)).isGreaterThan(issued.get(i - 1));
            }
            maxBefore = issued.get(issued.size() - 1);
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void guardKilledWithSigkillShouldBeRestoredRefusingEveryTokenItAccepted() throws Exception
    {
        final Path file = dir.resolve("guard.token");
        for (int run = 0; run < 3; run++)
        {
            final List<Long> accepted = runAndKill("guard", file.toString(), 60);
            final long maxAccepted = accepted.get(accepted.size() - 1);
            final DurableFencingTokenGuard restored = new DurableFencingTokenGuard(FileFencingTokenStore.open(file));
            assertThat(restored.highestToken()).as("run %d", run).isGreaterThanOrEqualTo(maxAccepted);
            assertThat(restored.tryAccept(maxAccepted)).isFalse();
            assertThat(new FencingTokenGuard().tryAccept(maxAccepted))
                .as("what a fresh in-memory guard would have done").isTrue();
        }
    }

    private static List<Long> runAndKill(final String mode, final String file, final int lines)
        throws IOException, InterruptedException
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process child = new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), FencingChild.class.getName(), mode, file)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        final List<Long> seen = new ArrayList<>();
        try
        {
            final BufferedReader reader =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while (seen.size() < lines && (line = reader.readLine()) != null)
            {
                seen.add(Long.parseLong(line));
            }
            final Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(128 + 9);
            while ((line = reader.readLine()) != null) // printed before the kill: issued/accepted too
            {
                if (!line.isEmpty() && line.chars().allMatch(Character::isDigit))
                {
                    seen.add(Long.parseLong(line));
                }
            }
        }
        finally
        {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(seen).as("child %s printed tokens", mode).isNotEmpty();
        return seen;
    }
}
