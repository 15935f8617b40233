package dev.ordo.clocks.vector;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/vector-clocks.md honest: every {@code ```java} block is compiled against the real API, run,
 * and each line it prints must equal the comment at the end of its {@code System.out.println} line.
 */
class DocExamplesTest
{
    private static final String IMPORTS =
        "import dev.ordo.clocks.api.*;\nimport dev.ordo.clocks.vector.*;\nimport java.nio.ByteBuffer;\n";

    @Test
    void everyJavaSnippetInTheGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        final List<String> snippets = javaBlocks(Files.readString(guide(), StandardCharsets.UTF_8));
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);

        final Path dir = Files.createTempDirectory("ordo-doc-examples");
        final List<String> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++)
        {
            final Path source = dir.resolve("Example" + i + ".java");
            Files.writeString(source, IMPORTS + "public final class Example" + i +
                " {\n public static void main(final String[] args) throws Exception {\n" + snippets.get(i) +
                "\n }\n}\n", StandardCharsets.UTF_8);
            sources.add(source.toString());
        }
        compile(dir, sources);

        try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() }, getClass().getClassLoader()))
        {
            for (int i = 0; i < snippets.size(); i++)
            {
                final List<String> expected = expectedOutput(snippets.get(i));
                final Method main = loader.loadClass("Example" + i).getMethod("main", String[].class);
                final ByteArrayOutputStream captured = new ByteArrayOutputStream();
                final PrintStream original = System.out;
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                try
                {
                    main.invoke(null, (Object)new String[0]);
                }
                finally
                {
                    System.setOut(original);
                }
                final List<String> printed = Arrays.asList(captured.toString(StandardCharsets.UTF_8).split("\\R"));
                assertThat(printed).as("output of snippet %d:%n%s", i, snippets.get(i)).isEqualTo(expected);
            }
        }
    }

    private static Path guide()
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("docs").resolve("vector-clocks.md");
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/vector-clocks.md not found above " + Paths.get("").toAbsolutePath());
    }

    private static List<String> javaBlocks(final String markdown)
    {
        final List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : markdown.split("\\R"))
        {
            if (current == null && line.trim().equals("```java"))
            {
                current = new StringBuilder();
            }
            else if (current != null && line.trim().equals("```"))
            {
                blocks.add(current.toString());
                current = null;
            }
            else if (current != null)
            {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static List<String> expectedOutput(final String snippet)
    {
        final List<String> expected = new ArrayList<>();
        for (final String line : snippet.split("\\R"))
        {
            if (line.contains("System.out.println("))
            {
                final int comment = line.lastIndexOf("// ");
                assertThat(comment).as("println without an output comment: %s", line).isPositive();
                expected.add(line.substring(comment + 3).trim());
            }
        }
        return expected;
    }

    /** javac through reflection: the test module does not read java.compiler at compile time. */
    private static void compile(final Path dir, final List<String> sources) throws Exception
    {
        final Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler")
            .invoke(null);
        assertThat(compiler).as("a JDK with javac").isNotNull();
        final Method run = Class.forName("javax.tools.Tool")
            .getMethod("run", InputStream.class, OutputStream.class, OutputStream.class, String[].class);
        final List<String> args = new ArrayList<>(Arrays.asList(
            "-proc:none", "-nowarn", "-d", dir.toString(), "-cp",
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        args.addAll(sources);
        final ByteArrayOutputStream errors = new ByteArrayOutputStream();
        final int status = (int)run.invoke(compiler, null, errors, errors, (Object)args.toArray(new String[0]));
        assertThat(status).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
