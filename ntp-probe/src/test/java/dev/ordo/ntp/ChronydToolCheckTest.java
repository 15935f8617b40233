package dev.ordo.ntp;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChronydToolCheckTest
{
    @Test
    void aMissingToolShouldSkipLoudlyOnADeveloperMachineAndFailOnCi()
    {
        final boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        assertThatThrownBy(() -> Chronyd.requireTool(false, "[self-test of this warning, ignore] an imaginary tool"))
            .isInstanceOf(ci ? AssertionFailedError.class : TestAbortedException.class)
            .hasMessageContaining("an imaginary tool is not installed");
        assertThatCode(() -> Chronyd.requireTool(true, "present")).doesNotThrowAnyException();
    }
}
