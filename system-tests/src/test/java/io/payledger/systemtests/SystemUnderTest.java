package io.payledger.systemtests;

import io.payledger.localstack.LocalStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.json.EventJson;
import io.payledger.events.payment.PaymentEvent;
import io.payledger.events.payment.PaymentHistory;
import io.payledger.events.payment.PaymentState;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.systemtests.drill.RestoreDrill;
import io.payledger.localstack.servers.PostgresServer;
import io.payledger.localstack.servers.RealServers;
import io.payledger.localstack.tokens.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole system on real servers, as a merchant, a customer and Fiuu's test controls see it.
 * A payment's state is read the way an auditor would: its stored events, folded.
 */
final class SystemUnderTest implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper EVENTS = EventJson.newMapper();

    // two command-service replicas behind the balancer, as in production: commands on one payment can meet in the database
    private final LocalStack stack = new LocalStack(LocalStack.Ports.free()).withCommandReplicas(2);
    private final PostgresServer postgres = RealServers.postgres();

    private final String commandDatabase;
    private final String queryDatabase;

    SystemUnderTest(Map<String, String> settings) {
        String command = postgres.createDatabase("e2e_command");
        String gateway = postgres.createDatabase("e2e_gateway");
        String query = postgres.createDatabase("e2e_query");
        commandDatabase = command;
        queryDatabase = query;
        try {
            stack.startServices(postgres, command, gateway, query, RealServers.kafka(), RealServers.redis(), settings);
        } catch (RuntimeException failed) {
            stack.stop(); // the services that did start must not outlive the test run
            throw failed;
        }
    }

    record Reply(int status, JsonNode body, String text, HttpHeaders headers) { }

    /** The public APIs, for calls that name their service. */
    enum Api { COMMANDS, QUERIES, GATEWAY }

    /** Any call on a service's public port, as a client would make it; {@code token} and {@code body} may be null. */
    Reply call(Api api, String method, String path, String token, String body, Map<String, String> headers) {
        int port = switch (api) {
            case COMMANDS -> stack.ports().command();
            case QUERIES -> stack.ports().query();
            case GATEWAY -> stack.ports().gateway();
        };
        return call(port, method, path, token, body, headers);
    }

    /** A call on one command-service replica (1-based), past the balancer. */
    Reply callCommandReplica(int replica, String method, String path, String token, String body, Map<String, String> headers) {
        return call(stack.replicasOf("command-service").get(replica - 1).port(), method, path, token, body, headers);
    }

    private Reply call(int port, String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::setHeader);
        return send(request.build());
    }

    String create(String merchant, long amount, String captureMethod) {
        Reply reply = post(command("/v1/payments"), DevTokens.merchant(merchant), UUID.randomUUID().toString(), """
                {"merchantReference":"ORD-%s","amount":%d,"currency":"MYR","captureMethod":"%s",
                 "returnUrl":"https://shop.example/return"}""".formatted(UUID.randomUUID().toString().substring(0, 12),
                amount, captureMethod), "application/json");
        if (reply.status() != 201) {
            throw new AssertionError("create answered " + reply.status() + " " + reply.text());
        }
        return reply.body().get("id").asText();
    }

    /** A backup and restore drill of this system's event store, its read models rebuilt beside the live ones. */
    RestoreDrill.Report restoreDrill(Path workDirectory) throws Exception {
        return new RestoreDrill(stack, postgres, RealServers.kafka(), RealServers.redis())
                .run(commandDatabase, queryDatabase, workDirectory);
    }

    /** Where the services write their logs. */
    Path logDirectory() {
        return stack.logDirectory();
    }

    /** A GET on the query API with the given bearer token. */
    Reply query(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.ports().query() + path))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    /** A POST without a body on the query API with the given bearer token. */
    Reply queryPost(String path, String token) {
        return post("http://localhost:" + stack.ports().query() + path, token, null, null, "application/json");
    }

    Reply merchantPost(String merchant, String path, String body) {
        return post(command(path), DevTokens.merchant(merchant), null, body, "application/json");
    }

    /** The customer clicks "pay" or "decline" on the hosted page the checkout URL opens. */
    Reply customerChooses(String checkoutUrl, String outcome) {
        URI page = URI.create(checkoutUrl);
        String decide = page.getScheme() + "://" + page.getAuthority() + page.getPath() + "decide";
        return post(decide, null, null, page.getRawQuery() + "&outcome=" + outcome, "application/x-www-form-urlencoded");
    }

    /** A GET of any URL, as a browser would open it (the hosted payment page, say). */
    Reply open(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    Reply postToGateway(String path, String form) {
        return post("http://localhost:" + stack.ports().gateway() + path, null, null, form, "application/x-www-form-urlencoded");
    }

    void sandbox(String path, String json) {
        send(HttpRequest.newBuilder(URI.create(sandboxUrl(path))).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    void resetSandbox() {
        send(HttpRequest.newBuilder(URI.create(sandboxUrl("/sandbox"))).DELETE().build());
    }

    /** Every merchant API call the sandbox received on one path, with what it answered. */
    List<JsonNode> sandboxCalls(String path) {
        Reply reply = send(HttpRequest.newBuilder(URI.create(sandboxUrl("/sandbox/calls?path=" + path))).GET().build());
        List<JsonNode> calls = new ArrayList<>();
        reply.body().forEach(calls::add);
        return calls;
    }

    String gatewayMetrics() {
        return metrics(stack.ports().gatewayManagement());
    }

    /** What Prometheus would scrape from each service replica, by replica name. */
    Map<String, String> allServiceMetrics() {
        Map<String, String> scraped = new java.util.TreeMap<>();
        List<LocalStack.Replica> commands = stack.replicasOf("command-service");
        for (int r = 0; r < commands.size(); r++) {
            scraped.put("command-service-" + (r + 1), metrics(commands.get(r).managementPort()));
        }
        scraped.put("gateway-saga", metrics(stack.ports().gatewayManagement()));
        scraped.put("query-service", metrics(stack.ports().queryManagement()));
        return scraped;
    }

    /** Every transaction the sandbox holds (the payments customers made at "Fiuu"), as it reports them. */
    List<JsonNode> sandboxTransactions() {
        List<JsonNode> transactions = new ArrayList<>();
        send(HttpRequest.newBuilder(URI.create(sandboxUrl("/sandbox/transactions"))).GET().build()).body()
                .forEach(transactions::add);
        return transactions;
    }

    /** A connection to command-service's database as its owner, for what only a person at the database can do. */
    Connection commandDatabase() throws SQLException {
        return DriverManager.getConnection(stack.postgresJdbcUrl(), postgres.username(), postgres.password());
    }

    private String metrics(int managementPort) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/prometheus"))
                .GET().build()).text();
    }

    /** Waits until the stored events say the payment reached {@code status}, and returns its state then. */
    PaymentState awaitStatus(String paymentId, PaymentStatus status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> state(paymentId), state -> state != null && state.status() == status);
    }

    /** A manual payment the customer paid on the hosted page and the merchant captured in full. */
    String capturedPayment(String merchant, long amount) {
        String id = create(merchant, amount, "manual");
        payAndCapture(merchant, id);
        return id;
    }

    /** A manual-capture payment created with this body (which must be accepted), paid, captured, then partly refunded. */
    String partlyRefundedPayment(String merchant, String createBody, long refund) {
        String token = DevTokens.merchant(merchant);
        Reply created = call(Api.COMMANDS, "POST", "/v1/payments", token, createBody,
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.body().get("id").asText();
        payAndCapture(merchant, id);
        call(Api.COMMANDS, "POST", "/v1/payments/" + id + "/refunds", token,
                "{\"amount\":" + refund + ",\"reason\":\"size\"}", Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        awaitStatus(id, PaymentStatus.PARTIALLY_REFUNDED);
        return id;
    }

    /** The customer pays an existing manual payment on the hosted page, and the merchant captures all of it. */
    void payAndCapture(String merchant, String id) {
        customerChooses(awaitStatus(id, PaymentStatus.AWAITING_CUSTOMER).redirectUrl(), "pay");
        awaitStatus(id, PaymentStatus.AUTHORISED);
        merchantPost(merchant, "/v1/payments/" + id + "/captures", "{}");
        awaitStatus(id, PaymentStatus.CAPTURED);
    }

    /** The order id Fiuu knows the payment by, as its checkout URL sends it. */
    static String fiuuOrderOf(PaymentState state) {
        String url = state.redirectUrl();
        java.util.regex.Matcher order = java.util.regex.Pattern.compile("[?&]orderid=([^&]+)").matcher(url);
        if (!order.find()) {
            throw new IllegalStateException("no orderid in " + url);
        }
        return order.group(1);
    }

    /** The payment as its stored events say it stands. */
    PaymentState state(String paymentId) {
        List<PaymentEvent> history = history(paymentId);
        return history.isEmpty() ? null : PaymentHistory.replay(history);
    }

    /** The payment's events as the command side stored them. */
    List<PaymentEvent> history(String paymentId) {
        List<PaymentEvent> history = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(stack.postgresJdbcUrl(), postgres.username(), postgres.password());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT payload_type, payload FROM domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number")) {
            query.setString(1, paymentId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    history.add((PaymentEvent) EVENTS.readValue(rows.getBytes(2), Class.forName(rows.getString(1))));
                }
            }
        } catch (SQLException | IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return history;
    }

    /** The service databases, for tests that look at what is stored. */
    enum Database { COMMAND, GATEWAY, QUERY }

    /** Every row of every table of a service's database, as PostgreSQL prints it (bytea in hex). */
    String everythingStoredIn(Database database) {
        String jdbcUrl = switch (database) {
            case COMMAND -> stack.postgresJdbcUrl();
            case GATEWAY -> stack.gatewayJdbcUrl();
            case QUERY -> stack.queryJdbcUrl();
        };
        StringBuilder dump = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
             ResultSet tables = connection.createStatement().executeQuery(
                     "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String table : names) {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT t::text FROM \"" + table + "\" t")) {
                    while (rows.next()) {
                        dump.append(table).append(": ").append(rows.getString(1)).append('\n');
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump.toString();
    }

    String kafkaBootstrapServers() {
        return RealServers.kafka().bootstrapServers();
    }

    long countInGatewayDatabase(String sql) {
        return count(stack.gatewayJdbcUrl(), sql);
    }

    long countInQueryDatabase(String sql) {
        return count(stack.queryJdbcUrl(), sql);
    }

    long countInCommandDatabase(String sql) {
        return count(stack.postgresJdbcUrl(), sql);
    }

    private long count(String jdbcUrl, String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, postgres.username(), postgres.password());
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String command(String path) {
        return "http://localhost:" + stack.ports().command() + path;
    }

    private String sandboxUrl(String path) {
        return "http://localhost:" + stack.ports().sandbox() + path;
    }

    private Reply post(String url, String token, String idempotencyKey, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                json = JSON.nullNode();
            }
            return new Reply(response.statusCode(), json, response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stack.stop();
    }
}
