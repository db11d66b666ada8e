package io.payledger.security;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Input is read as written, never guessed: a number where text is expected ({@code "merchantReference": 42})
 * is refused rather than turned into "42", and a time in a query parameter is an RFC 3339 instant
 * ({@code 2026-11-22T08:00:00Z}), never a bare number read as an epoch; a field the API does not know
 * is an error, not silently ignored; and text holding U+0000 or half of a surrogate pair, which PostgreSQL
 * cannot store as text or jsonb, is refused at the edge instead of failing (or being mangled) later.
 */
@Configuration(proxyBeanMethods = false)
public class StrictInput implements WebMvcConfigurer {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer noCoercionIntoText() {
        return builder -> builder.failOnUnknownProperties(true)
                .deserializerByType(Instant.class, new Rfc3339InstantJson())
                .postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /**
     * Only what arrives over HTTP is held to {@link StorableText}: the services' own mapper also reads what they
     * stored (an idempotent answer to replay, say), and text stored before the rule must stay readable.
     */
    @Override
    public void extendMessageConverters(java.util.List<org.springframework.http.converter.HttpMessageConverter<?>> converters) {
        for (org.springframework.http.converter.HttpMessageConverter<?> converter : converters) {
            if (converter instanceof org.springframework.http.converter.json.MappingJackson2HttpMessageConverter json) {
                json.setObjectMapper(requestBodies(json.getObjectMapper()));
            }
        }
    }

    /** A copy of the services' mapper that also refuses text PostgreSQL cannot store. */
    static com.fasterxml.jackson.databind.ObjectMapper requestBodies(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        return mapper.copy().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("storable-text")
                .addDeserializer(String.class, new StorableText()));
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Instant.class, new Rfc3339Instant());
    }

    /** Text in a JSON body that PostgreSQL can keep as it is: no U+0000, no unpaired surrogate. */
    static final class StorableText extends StdScalarDeserializer<String> {
        private static final StringDeserializer TEXT = StringDeserializer.instance;

        StorableText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = TEXT.deserialize(parser, context);
            if (value != null && !storable(value)) {
                return (String) context.handleWeirdStringValue(String.class, value,
                        "text may not hold U+0000 or an unpaired surrogate");
            }
            return value;
        }

        static boolean storable(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\u0000') {
                    return false;
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An instant in a JSON body: an RFC 3339 string, not a number of seconds or milliseconds. */
    static final class Rfc3339InstantJson extends StdDeserializer<Instant> {
        Rfc3339InstantJson() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            try {
                return Instant.parse(parser.getText().trim());
            } catch (DateTimeParseException notAnInstant) {
                return (Instant) context.handleWeirdStringValue(Instant.class, parser.getText(),
                        "not an RFC 3339 instant such as 2026-11-22T08:00:00Z");
            }
        }
    }

    /** {@code Instant.parse}, and only that. */
    static final class Rfc3339Instant implements Converter<String, Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException notAnInstant) {
                throw new IllegalArgumentException("not an RFC 3339 instant such as 2026-11-22T08:00:00Z: " + text);
            }
        }
    }
}
