package dev.ordo.clocks.jcstress;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Runs the jcstress tests and turns their verdict into an exit code a build can trust.
 *
 * <p>jcstress 0.16 reports forbidden outcomes and test errors by throwing from its report step, but returns
 * normally (exit code 0) when no test matched the filter, when no JVM configuration could run, or when a
 * test could not be scheduled on the machine's CPUs. This runner therefore also checks that every selected
 * test produced results, that every result has a normal status, and that every observed outcome is allowed.
 * It ends with a {@code jcstress: N passed, M failed} line and exits 0 only when M is 0 and N is positive.
 *
 * <p>Arguments are jcstress's own ({@code -m quick}, {@code -t regexp}, {@code -r dir}, ...).
 */
public final class StressTestRunner
{
    private StressTestRunner()
    {
    }

    /**
     * @param args jcstress command-line options.
     * @throws Exception when jcstress cannot start or its result file cannot be read.
     */
    public static void main(final String[] args) throws Exception
    {
        final Options options = new Options(args);
        if (!options.parse())
        {
            System.exit(2);
        }
        final JCStress jcstress = new JCStress(options);
        final SortedSet<String> selected = jcstress.getTests();
        if (selected.isEmpty())
        {
            System.out.println("jcstress: no test matches '" + options.getTestFilter() +
                "': did the jcstress annotation processor run?");
            System.out.println("jcstress: 0 passed, 1 failed");
            System.exit(1);
        }

        final List<String> failures = new ArrayList<>();
        try
        {
            jcstress.run();
        }
        catch (final AssertionError ex)
        {
            // jcstress's own verdict on forbidden outcomes and errors; checked again in detail below.
            failures.add(String.valueOf(ex.getMessage()).trim());
        }

        final Map<String, Verdict> verdicts = new TreeMap<>();
        for (final String test : selected)
        {
            verdicts.put(test, new Verdict());
        }
        final File resultFile = new File(options.getResultFile());
        if (resultFile.exists())
        {
            final InProcessCollector collector = new InProcessCollector();
            final DiskReadCollector reader = new DiskReadCollector(resultFile.getPath(), collector);
            try
            {
                reader.dump();
            }
            finally
            {
                reader.close();
            }
            for (final TestResult result : collector.getTestResults())
            {
                final Verdict verdict = verdicts.computeIfAbsent(result.getName(), name -> new Verdict());
                verdict.runs++;
                verdict.samples += result.getTotalCount();
                if (result.status() != Status.NORMAL)
                {
                    verdict.problems.add(result.status() + " " + result.getConfig().jvmArgs + " " +
                        result.getMessages());
                }
                else if (!result.grading().isPassed)
                {
                    verdict.problems.add("forbidden outcome " + result.getConfig().jvmArgs + " " +
                        result.grading().failureMessages);
                }
            }
        }
        else
        {
            failures.add("no result file " + resultFile + ": jcstress ran nothing");
        }

        int passed = 0;
        int failed = 0;
        System.out.println();
        System.out.println("jcstress verdicts:");
        for (final Map.Entry<String, Verdict> entry : verdicts.entrySet())
        {
            final Verdict verdict = entry.getValue();
            if (verdict.runs == 0 || verdict.samples == 0)
            {
                verdict.problems.add(
                    "produced no samples (not scheduled on " + options.getCPUCount() + " CPUs, or skipped)");
            }
            final boolean ok = verdict.problems.isEmpty();
            System.out.printf("  [%s] %s: %d runs, %,d samples%n", ok ? "OK" : "FAILED", entry.getKey(),
                verdict.runs, verdict.samples);
            for (final String problem : verdict.problems)
            {
                System.out.println("      " + problem);
            }
            if (ok)
            {
                passed++;
            }
            else
            {
                failed++;
            }
        }
        if (failed == 0 && !failures.isEmpty())
        {
            failed = 1; // jcstress complained about something the per-test check did not attribute
            failures.forEach(System.out::println);
        }
        System.out.println("Full report: " + new File(options.getResultDest()).getAbsolutePath());
        System.out.println("jcstress: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 && passed > 0 ? 0 : 1);
    }

    private static final class Verdict
    {
        int runs;
        long samples;
        final List<String> problems = new ArrayList<>();
    }
}
