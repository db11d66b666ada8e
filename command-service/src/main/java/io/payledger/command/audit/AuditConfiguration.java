package io.payledger.command.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payledger.axon.EventsTopicProperties;
import io.payledger.events.audit.CheckpointKeys;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.axonframework.extensions.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The log's checkpoints and the auditors' side of command-service (docs/audit.md). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CheckpointProperties.class)
class AuditConfiguration {

    @Bean(destroyMethod = "close")
    CheckpointTopic checkpointTopic(CheckpointProperties checkpoints, KafkaProperties kafka, EventsTopicProperties events) {
        Map<String, Object> admin = new java.util.HashMap<>(kafka.getProperties()); // the security settings, if any
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", kafka.getBootstrapServers()));
        return new CheckpointTopic(checkpoints.topic(), kafka.buildProducerProperties(), kafka.buildConsumerProperties(),
                admin, events.replicationFactor());
    }

    @Bean
    EventStoreRows eventStoreRows(DataSource dataSource) {
        return new EventStoreRows(streaming(dataSource));
    }

    @Bean
    CheckpointStore checkpointStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new CheckpointStore(jdbc, ownTransaction(transactions));
    }

    @Bean
    AuditJobs auditJobs(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json) {
        return new AuditJobs(jdbc, ownTransaction(transactions), json);
    }

    @Bean
    CheckpointSealer checkpointSealer(CheckpointProperties checkpoints, CheckpointTopic topic, CheckpointStore store,
                                      EventStoreRows rows, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                      MeterRegistry meters) {
        TransactionTemplate round = new TransactionTemplate(transactions);
        round.setIsolationLevel(TransactionTemplate.ISOLATION_READ_COMMITTED); // each statement sees the newest commits
        return new CheckpointSealer(checkpoints, topic, store, rows, jdbc, round, Clock.systemUTC(), meters,
                publicKeys(checkpoints));
    }

    @Bean(destroyMethod = "close")
    StoreVerifications storeVerifications(CheckpointTopic topic, EventStoreRows rows, AuditJobs jobs,
                                          CheckpointProperties checkpoints, PlatformTransactionManager transactions,
                                          MeterRegistry meters) {
        return new StoreVerifications(topic, rows, jobs, publicKeys(checkpoints), snapshot(transactions), meters);
    }

    @Bean
    LogExports logExports(DataSource dataSource, EventStoreRows rows, CheckpointTopic topic, AuditJobs jobs,
                          CheckpointProperties checkpoints, PlatformTransactionManager transactions, ObjectMapper json) {
        return new LogExports(streaming(dataSource), rows, topic, jobs, snapshot(transactions),
                publicKeys(checkpoints).stream().map(CheckpointKeys::pem).toList(), json);
    }

    /** A transaction of its own, committed whatever the caller's does. */
    private static TransactionTemplate ownTransaction(PlatformTransactionManager transactions) {
        TransactionTemplate own = new TransactionTemplate(transactions);
        own.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        return own;
    }

    /** One read-only snapshot of the store for a whole verification or download. */
    private static TransactionTemplate snapshot(PlatformTransactionManager transactions) {
        TransactionTemplate readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionTemplate.ISOLATION_REPEATABLE_READ);
        return readOnly;
    }

    /** Reads rows a batch at a time inside a transaction (PostgreSQL's driver otherwise loads a whole result). */
    private static JdbcTemplate streaming(DataSource dataSource) {
        JdbcTemplate streaming = new JdbcTemplate(dataSource);
        streaming.setFetchSize(1_000);
        return streaming;
    }

    private static List<PublicKey> publicKeys(CheckpointProperties checkpoints) {
        List<PublicKey> keys = new ArrayList<>();
        keys.add(CheckpointKeys.publicKey(checkpoints.publicKey()));
        checkpoints.previousPublicKeys().forEach(pem -> keys.add(CheckpointKeys.publicKey(pem)));
        return keys;
    }
}
