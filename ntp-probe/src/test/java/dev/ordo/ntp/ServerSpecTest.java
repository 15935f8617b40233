package dev.ordo.ntp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSpecTest
{
    @Test
    void shouldParseEveryWayOfNamingAServerAndPrintItBack()
    {
        assertThat(ServerSpec.parse("time.example")).isEqualTo(new ServerSpec("time.example", 123));
        assertThat(ServerSpec.parse("127.0.0.1:1123")).isEqualTo(new ServerSpec("127.0.0.1", 1123));
        assertThat(ServerSpec.parse("[::1]:5123")).isEqualTo(new ServerSpec("::1", 5123));
        assertThat(ServerSpec.parse("[::1]")).isEqualTo(new ServerSpec("::1", 123));
        assertThat(ServerSpec.parse("2001:db8::1")).isEqualTo(new ServerSpec("2001:db8::1", 123));
        for (final String text : new String[]{"a.example:7", "[::1]:9", "h:123"})
        {
            assertThat(ServerSpec.parse(text).toString()).isEqualTo(text);
            assertThat(ServerSpec.parse(ServerSpec.parse(text).toString())).isEqualTo(ServerSpec.parse(text));
        }
    }

    @Test
    void shouldRejectBadServersNamingThem()
    {
        assertThatThrownBy(() -> ServerSpec.parse("host:abc")).hasMessage("bad port in server \"host:abc\": \"abc\"");
        assertThatThrownBy(() -> ServerSpec.parse("host:0")).hasMessageContaining("\"host:0\"");
        assertThatThrownBy(() -> ServerSpec.parse("host:70000")).hasMessageContaining("70000");
        assertThatThrownBy(() -> ServerSpec.parse(":123")).hasMessageContaining("missing host");
        assertThatThrownBy(() -> ServerSpec.parse("[::1")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> ServerSpec.parse("")).hasMessageContaining("empty");
    }
}
