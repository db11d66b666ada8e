package io.payledger.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

class StrictInputTest {

    record Body(String reason, List<String> tags, Map<String, String> metadata) { }

    private final ObjectMapper json = StrictInput.requestBodies(strict());

    private static ObjectMapper strict() {
        Jackson2ObjectMapperBuilder builder = new Jackson2ObjectMapperBuilder();
        new StrictInput().noCoercionIntoText().customize(builder);
        return builder.build();
    }

    @Test
    void whatAServiceStoredBeforeTheRuleStaysReadableWithItsOwnMapper() throws Exception {
        assertThat(strict().readValue("{\"reason\": \"a\\u0000b\"}", Body.class).reason()).isEqualTo("a\u0000b");
    }

    @Test
    void httpRequestBodiesAreReadWithTheRule() {
        var converters = new java.util.ArrayList<org.springframework.http.converter.HttpMessageConverter<?>>(
                java.util.List.of(new org.springframework.http.converter.json.MappingJackson2HttpMessageConverter(strict())));
        new StrictInput().extendMessageConverters(converters);
        ObjectMapper bodies = ((org.springframework.http.converter.json.MappingJackson2HttpMessageConverter) converters.get(0))
                .getObjectMapper();

        assertThatThrownBy(() -> bodies.readValue("{\"reason\": \"a\\u0000b\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    @Test
    void textWithANulCharacterIsRefusedWhereverItIs() {
        assertThatThrownBy(() -> json.readValue("{\"reason\": \"a\\u0000b\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> json.readValue("{\"tags\": [\"ok\", \"a\\u0000\"]}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThatThrownBy(() -> json.readValue("{\"metadata\": {\"k\": \"\\u0000\"}}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    @Test
    void halfASurrogatePairIsRefusedAndAWholeOneIsKept() throws Exception {
        assertThatThrownBy(() -> json.readValue("{\"reason\": \"\\ud800\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThatThrownBy(() -> json.readValue("{\"reason\": \"x\\udc00y\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
        assertThatThrownBy(() -> json.readValue("{\"reason\": \"\\ud83d\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class);

        assertThat(json.readValue("{\"reason\": \"\\ud83d\\ude00 Kota Bharu ü\"}", Body.class).reason())
                .isEqualTo("\ud83d\ude00 Kota Bharu ü");
    }

    @Test
    void aNumberWhereTextIsExpectedIsStillRefused() {
        assertThatThrownBy(() -> json.readValue("{\"reason\": 42}", Body.class))
                .isInstanceOf(MismatchedInputException.class);
    }
}
