package io.payledger.query.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import io.payledger.axon.EventsTopicReaderConfiguration;
import io.payledger.axon.PayLedgerAxonConfiguration;
import io.payledger.query.projection.ReadModelProjection;
import java.time.Clock;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The projections read the events topic, not an event store (a plain event bus stands in); their
 * position lives in this service's PostgreSQL. A projection that fails is retried, never skipped.
 */
@Configuration(proxyBeanMethods = false)
@Import({PayLedgerAxonConfiguration.class, EventsTopicReaderConfiguration.class})
class QueryServiceConfiguration {


    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * PostgreSQL's jsonb cannot hold U+0000, and a document with one would fail its batch for ever (a projection that
     * fails is retried, never skipped): the read models write it as U+FFFD, the replacement character. The event itself
     * keeps it, in the audit trail's stored bytes.
     */
    @Bean
    Module textJsonbCanHold() {
        return new SimpleModule("text-jsonb-can-hold")
                .addSerializer(String.class, new JsonbText());
    }

    static final class JsonbText extends StdScalarSerializer<String> {
        JsonbText() {
            super(String.class);
        }

        @Override
        public void serialize(String value, JsonGenerator generator,
                              SerializerProvider provider) throws IOException {
            generator.writeString(value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD'));
        }
    }

    @Bean
    ConfigurerModule projectionFailuresAreRetried() {
        return configurer -> configurer.eventProcessing(processing -> processing.registerListenerInvocationErrorHandler(
                ReadModelProjection.PROCESSING_GROUP, configuration -> PropagatingErrorHandler.instance()));
    }
}
