package io.payledger.command.eventstore;

import io.payledger.events.json.EventJson;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The event store on PostgreSQL through Axon's JDBC engine. Flyway owns the schema
 * (db/migration): bytea payloads, a dedicated global-index sequence, the unique indexes, and the
 * append-only trigger. The names here only tell Axon how that schema spells its columns.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    TokenSchema tokenSchema() {
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

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeys();
    }

    /** Jackson everywhere (no XStream), with the one event JSON configuration the contract tests pin. */
    @Bean
    @Primary
    Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return jackson();
    }

    private static Serializer jackson() {
        return JacksonSerializer.builder()
                .objectMapper(EventJson.newMapper())
                .revisionResolver(new AnnotationRevisionResolver())
                .build();
    }
}
