package io.payledger.command.support;

import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import io.payledger.localstack.tokens.DevPersonalDataKeys;
import io.payledger.localstack.tokens.DevTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The command service running for real: real PostgreSQL and a real Kafka broker (embedded, or
 * containers where Docker exists), HTTP on a random port. Subclasses share one application
 * context and one database; each test uses merchants of its own so that tests never see each
 * other's payments.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RealServersIT {

    private static String database;

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void realServers(DynamicPropertyRegistry properties) {
        serviceOn(properties, RealServersIT::database);
    }

    /** The settings of a command-service on real servers with a database of its own (and checkpoint topic). */
    public static void serviceOn(DynamicPropertyRegistry properties, java.util.function.Supplier<String> database) {
        PostgresServer postgres = RealServers.postgres();
        properties.add("spring.datasource.url", () -> postgres.jdbcUrl(database.get()));
        properties.add("spring.datasource.username", postgres::username);
        properties.add("spring.datasource.password", postgres::password);
        properties.add("axon.kafka.bootstrap-servers", () -> RealServers.kafka().bootstrapServers());
        properties.add("management.server.port", () -> "0");
        properties.add("payledger.security.jwt.secret", () -> DevTokens.DEVELOPMENT_SECRET);
        properties.add("payledger.security.jwt.issuer", () -> DevTokens.ISSUER);
        DevPersonalDataKeys.settings().forEach((name, value) -> properties.add(name, () -> value));
        DevCheckpointKeys.settings().forEach((name, value) -> properties.add(name, () -> value));
        properties.add("payledger.checkpoints.topic", () -> "payledger.log-checkpoints." + database.get()); // the database's own
        // a merchant allowed currencies with three decimals, which Fiuu's two-decimal amounts cannot carry
        properties.add("payledger.merchants.currencies." + THREE_DECIMAL_MERCHANT, () -> "KWD,BHD,MYR");
    }

    /** The one merchant whose allowed currencies include some the gateway cannot take. */
    public static final String THREE_DECIMAL_MERCHANT = "m-three-decimals";

    protected static synchronized String database() {
        if (database == null) {
            database = RealServers.postgres().createDatabase("command_it");
        }
        return database;
    }

    protected Api api() {
        return new Api(port);
    }
}
