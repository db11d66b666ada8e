package io.payledger.axon.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * In the {@code production} profile a service refuses to start while any of its connections to
 * PostgreSQL, Kafka or Redis would travel in plain text: the JDBC URL must say
 * {@code sslmode=verify-full} (or {@code verify-ca}), Kafka's security protocol must be SSL or SASL_SSL,
 * and Redis must be {@code rediss://} or have SSL enabled. Development and tests run without the profile.
 */
@AutoConfiguration
@Profile("production")
public class TlsRequired {

    @Bean
    SmartInitializingSingleton refusePlaintextConnections(Environment environment) {
        return () -> {
            List<String> plaintext = plaintextConnections(environment);
            if (!plaintext.isEmpty()) {
                throw new IllegalStateException("the production profile requires TLS on every connection: " + plaintext);
            }
        };
    }

    static List<String> plaintextConnections(Environment environment) {
        List<String> plaintext = new ArrayList<>();
        String jdbc = environment.getProperty("spring.datasource.url", "");
        if (!jdbc.isEmpty() && !jdbc.matches(".*[?&]sslmode=verify-(full|ca)(&.*)?")) {
            plaintext.add("PostgreSQL (spring.datasource.url needs sslmode=verify-full)");
        }
        String kafka = environment.getProperty("axon.kafka.properties.security.protocol",
                environment.getProperty("axon.kafka.security-protocol", "PLAINTEXT")).toUpperCase(Locale.ROOT);
        if (!environment.getProperty("axon.kafka.bootstrap-servers", "").isEmpty() && !kafka.endsWith("SSL")) {
            plaintext.add("Kafka (security.protocol " + kafka + ")");
        }
        if (!environment.getProperty("spring.data.redis.host", "").isEmpty()
                && !environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false)) {
            plaintext.add("Redis (spring.data.redis.ssl.enabled is false)");
        }
        String rateLimits = environment.getProperty("payledger.rate-limits.redis-uri", "");
        if (environment.getProperty("payledger.rate-limits.enabled", Boolean.class, false) && !rateLimits.startsWith("rediss://")) {
            plaintext.add("Redis for rate limits (payledger.rate-limits.redis-uri needs rediss://)");
        }
        return plaintext;
    }
}
