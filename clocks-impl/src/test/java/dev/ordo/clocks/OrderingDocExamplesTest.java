package dev.ordo.clocks;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the ordering guides honest (docs/dvv.md, docs/causal-delivery.md, docs/itc.md): every {@code ```java} block is a
 * complete program (imports, a public class with {@code main}); it is compiled against the real API and run, and
 * what it prints must equal the {@code ```text} block that follows it.
 */
class OrderingDocExamplesTest
{
    private static final Pattern CLASS_NAME = Pattern.compile("public (?:final )?class (\\w+)");

    @Test
    void everyProgramInTheDvvGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("dvv.md", 3);
    }

    @Test
    void everyProgramInTheCausalDeliveryGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("causal-delivery.md", 1);
    }

    @Test
    void everyProgramInTheIntervalTreeClockGuideShouldCompileRunAndPrintItsDocumentedOutput() throws Exception
    {
        checkGuide("itc.md", 1);
    }

    private void checkGuide(final String name, final int minimumPrograms) throws Exception
    {
        final List<String[]> programs = programs(Files.readString(guide(name), StandardCharsets.UTF_8));
        assertThat(programs).hasSizeGreaterThanOrEqualTo(minimumPrograms);
        final Path dir = Files.createTempDirectory("ordo-ordering-docs");
        final List<String> sources = new ArrayList<>();
        final List<String> classes = new ArrayList<>();
        for (final String[] program : programs)
        {
            final Matcher m = CLASS_NAME.matcher(program[0]);
            assertThat(m.find()).as("a public class in:%n%s", program[0]).isTrue();
            final Path source = dir.resolve(m.group(1) + ".java");
            Files.writeString(source, program[0], StandardCharsets.UTF_8);
            sources.add(source.toString());
            classes.add(m.group(1));
        }
        compile(dir, sources);
        try (URLClassLoader loader = new URLClassLoader(new URL[] { dir.toUri().toURL() }, getClass().getClassLoader()))
        {
            for (int i = 0; i < programs.size(); i++)
            {
                final Method main = loader.loadClass(classes.get(i)).getMethod("main", String[].class);
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
                assertThat(captured.toString(StandardCharsets.UTF_8).strip())
                    .as("output of %s in %s", classes.get(i), name).isEqualTo(programs.get(i)[1].strip());
            }
        }
    }

    /** Pairs of (java block, the text block right after it). */
    private static List<String[]> programs(final String markdown)
    {
        final List<String[]> result = new ArrayList<>();
        final List<String> blocks = new ArrayList<>();
        final List<String> kinds = new ArrayList<>();
        StringBuilder current = null;
        for (final String line : markdown.split("\\R"))
        {
            if (current == null && line.startsWith("```") && line.length() > 3)
            {
                current = new StringBuilder();
                kinds.add(line.substring(3).trim());
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
        for (int i = 0; i < blocks.size(); i++)
        {
            if (kinds.get(i).equals("java"))
            {
                assertThat(i + 1 < blocks.size() && kinds.get(i + 1).equals("text"))
                    .as("a ```text block with the output must follow:%n%s", blocks.get(i)).isTrue();
                result.add(new String[] { blocks.get(i), blocks.get(i + 1) });
            }
        }
        return result;
    }

    private static Path guide(final String name)
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("docs").resolve(name);
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/" + name + " not found above " + Paths.get("").toAbsolutePath());
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
