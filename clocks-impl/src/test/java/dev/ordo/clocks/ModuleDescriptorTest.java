package dev.ordo.clocks;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests run on the class path; this checks the compiled JPMS descriptor users get on the module path.
 */
class ModuleDescriptorTest
{
    @Test
    void shouldBeANamedModuleExportingEveryClockPackageAndRequiringTheApiTransitively()
    {
        final ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes"))
            .find("dev.ordo.clocks.impl").orElseThrow().descriptor();
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
            .contains("dev.ordo.clocks.lamport", "dev.ordo.clocks.hlc");
        assertThat(descriptor.requires().stream()
            .filter(r -> r.name().equals("dev.ordo.clocks.api"))
            .anyMatch(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))).isTrue();
    }
}
