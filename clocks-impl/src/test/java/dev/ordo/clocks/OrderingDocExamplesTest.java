package dev.ordo.clocks;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the ordering guides honest (docs/dvv.md, docs/causal-delivery.md, docs/itc.md): every {@code ```java}
 * block is a complete program (imports, a public class with {@code main}); {@link DocSnippets} compiles it
 * against the real API and runs it, and what it prints must equal the {@code ```text} block that follows it.
 */
class OrderingDocExamplesTest
{
    @TempDir
    Path dir;

    @Test
    void everyProgramInTheDvvGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("docs/dvv.md", 3);
    }

    @Test
    void everyProgramInTheCausalDeliveryGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("docs/causal-delivery.md", 1);
    }

    @Test
    void everyProgramInTheIntervalTreeClockGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("docs/itc.md", 1);
    }

    private void checkGuide(final String page, final int minimumPrograms) throws Exception
    {
        final List<DocSnippets.Snippet> programs = DocSnippets.programs(page);
        assertThat(programs).hasSizeGreaterThanOrEqualTo(minimumPrograms);
        DocSnippets.compileAndRun(programs, dir, DocSnippets::assertPrintsTheTextBlockAfterIt);
    }
}
