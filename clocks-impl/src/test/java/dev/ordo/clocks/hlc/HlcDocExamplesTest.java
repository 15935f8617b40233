package dev.ordo.clocks.hlc;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/hlc.md and docs/lamport.md honest: every {@code ```java} block is a complete program body with
 * its own imports. {@link DocSnippets} moves the imports to the top of a class, puts the rest in a {@code main}
 * that may throw, compiles it against the real API, runs it, and checks that each {@code System.out.println}
 * prints the comment at the end of its line.
 */
class HlcDocExamplesTest
{
    @TempDir
    Path dir;

    @Test
    void everySnippetOfTheHlcGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        runGuide("docs/hlc.md", 6);
    }

    @Test
    void everySnippetOfTheLamportGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        runGuide("docs/lamport.md", 2);
    }

    private void runGuide(final String page, final int atLeast) throws Exception
    {
        final List<DocSnippets.Snippet> snippets =
            DocSnippets.mainBodies(page, "", DocSnippets.Main.THROWS_EXCEPTION);
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(atLeast);
        DocSnippets.compileAndRun(snippets, dir, DocSnippets::assertPrintsItsComments);
    }
}
