package io.payledger.axon;

import io.payledger.events.json.EventJson;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * What every PayLedger service configures the same way in Axon: Jackson everywhere (no XStream),
 * with the one event JSON configuration that the contract tests pin, so that what one service
 * writes every other reads; and the snake_case names of the token table each service's Flyway
 * schema creates. A service imports this configuration.
 */
@Configuration(proxyBeanMethods = false)
public class PayLedgerAxonConfiguration {

    @Bean
    @Primary
    public Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jackson();
    }

    /**
     * Old revisions read as the current one wherever events are read: Axon puts upcaster beans in the chain of
     * the event store (command-service) and of axon-kafka's converter (every reader of the topic).
     */
    @Bean
    public PaymentInitiatedUpcaster paymentInitiatedUpcaster() {
        return new PaymentInitiatedUpcaster();
    }

    @Bean
    public TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("time_stamp")
                .setOwnerColumn("owner")
                .build();
    }

    /** The serializer every service uses for events, also for tools that write the log's format. */
    public static Serializer jackson() {
        return JacksonSerializer.builder()
                .objectMapper(EventJson.newMapper())
                .revisionResolver(new AnnotationRevisionResolver())
                .build();
    }
}
