package dev.ordo.clocks.monitor;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/clock-monitor.md honest: every {@code ```java} block is a complete program (imports, a public
 * class, {@code main}); {@link DocSnippets} compiles each against the real API and runs it, and the lines it
 * prints (echoed here: some are measurements) must contain, in order, the comment at the end of each of its
 * {@code System.out.println} lines.
 */
class ClockMonitorDocExamplesTest
{
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyProgramInTheGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        final List<DocSnippets.Snippet> programs = DocSnippets.programs("docs/clock-monitor.md");
        assertThat(programs).hasSizeGreaterThanOrEqualTo(4);
        DocSnippets.compileAndRun(programs, dir, (program, printed) ->
        {
            printed.forEach(System.out::println);
            DocSnippets.assertPrintsItsCommentsInOrder(program, printed);
        });
    }
}
