package dev.ordo.ntp;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default test run is the proof that nothing the probe does needs a JVM flag: it must run without
 * Agrona's {@code --add-exports java.base/jdk.internal.misc}. Only {@code *AgronaTest} classes get it.
 */
class NoJvmFlagTest
{
    @Test
    void theDefaultTestRunShouldHaveNoAddExportsFlag()
    {
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments())
            .as("JVM arguments of the default Surefire run")
            .noneMatch(arg -> arg.contains("jdk.internal.misc") || arg.startsWith("--add-exports"));
    }
}
