package dev.ordo.clocks.monitor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/clock-monitor.md honest: every {@code ```java} block is a complete program (imports, a public
 * class, {@code main}); each is compiled against the real API and run, and the lines it prints must contain,
 * in order, the comment at the end of each of its {@code System.out.println} lines.
 */
class ClockMonitorDocExamplesTest
{
    private static final Pattern CLASS_NAME = Pattern.compile("public final class (\\w+)");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyProgramInTheGuideShouldCompileRunAndPrintWhatItsCommentsSay() throws Exception
    {
        final List<String> programs = javaBlocks(Files.readString(guide(), StandardCharsets.UTF_8));
        assertThat(programs).hasSizeGreaterThanOrEqualTo(4);
        final Path dir = Files.createTempDirectory("ordo-clock-monitor-examples");
        final List<String> sources = new ArrayList<>();
        final List<String> classes = new ArrayList<>();
        for (final String program : programs)
        {
            final Matcher name = CLASS_NAME.matcher(program);
            assertThat(name.find()).as("a complete program with a public final class:%n%s", program).isTrue();
            classes.add(name.group(1));
            final Path source = dir.resolve(name.group(1) + ".java");
            Files.writeString(source, program, StandardCharsets.UTF_8);
            sources.add(source.toString());
        }
        compile(dir, sources);
        try (URLClassLoader loader = new URLClassLoader(new URL[]{dir.toUri().toURL()}, getClass().getClassLoader()))
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
                final String output = captured.toString(StandardCharsets.UTF_8);
                System.out.print(output);
                final List<String> printed = Arrays.asList(output.split("\\R"));
                int at = 0;
                for (final String expected : expectedOutput(programs.get(i)))
                {
                    while (at < printed.size() && !printed.get(at).equals(expected))
                    {
                        at++;
                    }
                    assertThat(at).as("%s printed %s, expected the line '%s' in order", classes.get(i), printed,
                        expected).isLessThan(printed.size());
                    at++;
                }
            }
        }
    }

    private static Path guide()
    {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null)
        {
            final Path candidate = dir.resolve("docs").resolve("clock-monitor.md");
            if (Files.exists(candidate))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/clock-monitor.md not found above " + Paths.get("").toAbsolutePath());
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

    private static List<String> expectedOutput(final String program)
    {
        final List<String> expected = new ArrayList<>();
        for (final String line : program.split("\\R"))
        {
            final int println = line.indexOf("System.out.println(");
            final int comment = line.lastIndexOf("); // ");
            if (println >= 0 && comment > println)
            {
                expected.add(line.substring(comment + 6).trim());
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
