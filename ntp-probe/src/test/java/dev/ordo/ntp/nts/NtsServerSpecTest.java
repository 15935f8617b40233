package dev.ordo.ntp.nts;

import dev.ordo.ntp.ServerSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --nts HOST[:KE_PORT]}: port 4460 unless one is given, IPv6 literals with or without brackets, and the
 * same one-line errors as plain servers.
 */
class NtsServerSpecTest
{
    @Test
    void anNtsServerShouldDefaultToTheKeyExchangePortAndKeepAGivenOne()
    {
        assertThat(ServerSpec.parseNts("time.cloudflare.com")).isEqualTo(ServerSpec.nts("time.cloudflare.com", 4460));
        assertThat(ServerSpec.parseNts("ntp.example:1234")).isEqualTo(ServerSpec.nts("ntp.example", 1234));
        assertThat(ServerSpec.parseNts("[2001:db8::1]:4461")).isEqualTo(ServerSpec.nts("2001:db8::1", 4461));
        assertThat(ServerSpec.parseNts("[2001:db8::1]")).isEqualTo(ServerSpec.nts("2001:db8::1", 4460));
        assertThat(ServerSpec.parseNts("2001:db8::1")).isEqualTo(ServerSpec.nts("2001:db8::1", 4460));
        assertThat(ServerSpec.parseNts("ntp.example").nts()).isTrue();
        assertThat(ServerSpec.parse("ntp.example").nts()).isFalse();
    }

    @Test
    void aBadNtsServerShouldBeNamedInTheError()
    {
        assertThatThrownBy(() -> ServerSpec.parseNts("ntp.example:99999")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ntp.example:99999");
        assertThatThrownBy(() -> ServerSpec.parseNts(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
