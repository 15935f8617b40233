package dev.ordo.clocks.vector;

import dev.ordo.clocks.testing.DocSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/vector-clocks.md honest: every {@code ```java} block is the body of a {@code main} that may throw,
 * with the API's, the vector package's and {@code ByteBuffer}'s imports given; {@link DocSnippets} compiles it
 * against the real API and runs it, and each line it prints must equal the comment at the end of its
 * {@code System.out.println} line.
 */
class DocExamplesTest
{
    private static final String IMPORTS =
        "import dev.ordo.clocks.api.*;\nimport dev.ordo.clocks.vector.*;\nimport java.nio.ByteBuffer;\n";

    @TempDir
    Path dir;

    @Test
    void everyJavaSnippetInTheGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        final List<DocSnippets.Snippet> snippets =
            DocSnippets.mainBodies("docs/vector-clocks.md", IMPORTS, DocSnippets.Main.THROWS_EXCEPTION);
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);
        DocSnippets.compileAndRun(snippets, dir, DocSnippets::assertPrintsItsComments);
    }
}
