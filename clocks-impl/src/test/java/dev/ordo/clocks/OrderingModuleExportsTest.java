package dev.ordo.clocks;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The ordering packages are exported to users on the module path. */
class OrderingModuleExportsTest
{
    @Test
    void shouldExportTheDvvCausalDeliveryAndIntervalTreeClockPackages()
    {
        final ModuleDescriptor descriptor = ModuleFinder.of(Path.of("target", "classes"))
            .find("dev.ordo.clocks.impl").orElseThrow().descriptor();
        assertThat(descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
            .contains("dev.ordo.clocks.dvv", "dev.ordo.clocks.causal", "dev.ordo.clocks.itc");
    }
}
