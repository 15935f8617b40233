package dev.ordo.benchmarks.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest
{
    @Test
    void shouldParseEveryKindOfValue()
    {
        final Object value = Json.parse(
            " {\"a\" : [1, -2.5e3, true, false, null, \"x\\\"y\\\\z\\u00e9\\n\"], \"b\" : {}, \"c\" : []} ");

        assertThat(value).isEqualTo(Map.of(
            "a", java.util.Arrays.asList(1.0, -2500.0, true, false, null, "x\"y\\zé\n"),
            "b", Map.of(),
            "c", List.of()));
    }

    @Test
    void shouldKeepObjectKeyOrder()
    {
        final Map<?, ?> map = (Map<?, ?>)Json.parse("{\"z\":1,\"a\":2,\"m\":3}");

        assertThat(List.<Object>copyOf(map.keySet())).containsExactly("z", "a", "m");
    }

    @Test
    void shouldReadJmhNaNStringsAsNaN()
    {
        assertThat(Json.number("NaN")).isNaN();
        assertThat(Json.number("12.5")).isEqualTo(12.5);
        assertThat(Json.number(null)).isNaN();
    }

    @Test
    void shouldNameTheOffsetOfMalformedInput()
    {
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset 5").hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> Json.parse("[1, 2"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offset 5");
        assertThatThrownBy(() -> Json.parse("[1] x"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected end of input");
        assertThatThrownBy(() -> Json.parse("\"abc"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closing");
        assertThatThrownBy(() -> Json.parse("\"\\q\""))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("valid escape");
    }
}
