package dev.ordo.clocks.bounded;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/bounded-clock.md honest: every {@code ```java} block is taken from the markdown itself, its
 * {@code import} lines put on top and the rest put into a {@code main} that declares no checked exception (so
 * a snippet that ignores {@code InterruptedException} or {@code IOException} does not compile), compiled
 * against the real API and run by {@link DocSnippets}, in this JVM (which runs with no Agrona flag in the
 * flag-free Surefire run). Each must print something; a {@code System.out.println} whose comment (on its line or
 * the next) starts with a capital letter, a digit, {@code true} or {@code false} states its output (up to a
 * {@code ": "} that starts an explanation), which must match exactly; other comments only explain.
 */
class BoundedClockDocExamplesTest
{
    @TempDir
    Path dir;

    @Test
    void everyJavaSnippetInTheGuideShouldCompileAndRun() throws Exception
    {
        final List<DocSnippets.Snippet> snippets =
            DocSnippets.mainBodies("docs/bounded-clock.md", "", DocSnippets.Main.THROWS_NOTHING);
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(6);
        DocSnippets.compileAndRun(snippets, dir, DocSnippets::assertPrintsItsStatedComments);
    }
}
