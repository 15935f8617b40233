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

    @Test
    void aNameWithSeveralColonsThatIsNoIpv6AddressShouldBeRefusedAtParse()
    {
        for (final String bad : new String[]{"bad:port:x", "host:123:4", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1",
            "::g", "1:2:3:4:5:6:7", "[bad:port]:123", "[host]:123", "fe80::1%", "::1.2.3.999"})
        {
            assertThatThrownBy(() -> ServerSpec.parse(bad)).as(bad)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + bad + "\"");
        }
        assertThatThrownBy(() -> ServerSpec.parse("bad:port:x")).hasMessage(
            "not a host, host:port or IPv6 address: \"bad:port:x\" (write an IPv6 address as [ADDRESS] or " +
                "[ADDRESS]:PORT)");
        for (final String good : new String[]{"::", "::1", "1::", "2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1",
            "fe80::1%eth0", "1:2:3:4:5:6::", "64:ff9b::10.0.0.1", "ABCD:ef01::"})
        {
            assertThat(ServerSpec.parse(good)).as(good).isEqualTo(new ServerSpec(good, 123));
            assertThat(ServerSpec.parse("[" + good + "]:9")).as(good).isEqualTo(new ServerSpec(good, 9));
        }
    }

    @Test
    void resolvedAddressesShouldPrintInTheShortBracketedFormThatParsesBack() throws Exception
    {
        final String[][] cases = {
            {"::1", "[::1]:9"}, {"2001:db8:0:0:1:0:0:1", "[2001:db8::1:0:0:1]:9"}, {"2001:db8::", "[2001:db8::]:9"},
            {"1:0:2:0:3:0:4:0", "[1:0:2:0:3:0:4:0]:9"}, {"0:0:1:0:0:0:1:0", "[0:0:1::1:0]:9"}, {"::", "[::]:9"},
            {"127.0.0.1", "127.0.0.1:9"},
        };
        for (final String[] c : cases)
        {
            final java.net.InetSocketAddress address = new java.net.InetSocketAddress(
                java.net.InetAddress.getByName(c[0]), 9);
            assertThat(AddressText.of(address)).as(c[0]).isEqualTo(c[1]);
            assertThat(java.net.InetAddress.getByName(ServerSpec.parse(c[1]).host())).isEqualTo(address.getAddress());
        }
    }
}
