package io.payledger.query;

import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevTokens;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a query-service test context at the real PostgreSQL, Kafka and Redis, with a database of its own. */
public final class QueryServiceOnRealServers {

    private static final Map<String, String> DATABASES = new ConcurrentHashMap<>();

    private QueryServiceOnRealServers() {
    }

    /** @param database a name for the test's database; it is created, with a unique suffix, on first use */
    public static void register(DynamicPropertyRegistry properties, String database) {
        PostgresServer postgres = RealServers.postgres();
        properties.add("spring.datasource.url", () -> postgres.jdbcUrl(
                DATABASES.computeIfAbsent(database, name -> RealServers.postgres().createDatabase(name))));
        properties.add("spring.datasource.username", postgres::username);
        properties.add("spring.datasource.password", postgres::password);
        properties.add("spring.data.redis.host", () -> RealServers.redis().host());
        properties.add("spring.data.redis.port", () -> RealServers.redis().port());
        properties.add("axon.kafka.bootstrap-servers", () -> RealServers.kafka().bootstrapServers());
        properties.add("payledger.security.jwt.secret", () -> DevTokens.DEVELOPMENT_SECRET);
        properties.add("management.server.port", () -> "0");
    }
}
