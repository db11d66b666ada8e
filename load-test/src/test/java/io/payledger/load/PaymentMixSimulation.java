package io.payledger.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.rampConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.payledger.localstack.LocalStack;
import io.payledger.localstack.tokens.DevTokens;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The merchants' traffic mix against the whole system: 70% complete payments (create, the customer pays
 * on the sandbox's hosted page, capture), 15% status polling through the paginated list, 10% payments
 * voided after authorisation, 5% health checks. Users ramp to {@code load.users} concurrent, then hold.
 * Users behave like people and merchants' backends: a customer takes 2-5 s on the hosted page, and a
 * merchant polls a payment's status once a second.
 * Passes when the 95th percentile stays under 2 s and fewer than 1% of requests fail.
 * <p>
 * With {@code -Dload.target} empty it starts the local stack itself ({@code load.replicas} of each
 * service) and stops it afterwards; otherwise it runs against the stack on the documented ports.
 */
public class PaymentMixSimulation extends Simulation {

    private static final int USERS = Integer.getInteger("load.users", 1000);
    private static final Duration RAMP = Duration.ofSeconds(Integer.getInteger("load.ramp", 60));
    private static final Duration HOLD = Duration.ofSeconds(Integer.getInteger("load.hold", 120));
    private static final int REPLICAS = Integer.getInteger("load.replicas", 1);
    private static final boolean OWN_STACK = System.getProperty("load.target", "").isBlank();

    private static final String COMMANDS = "http://localhost:8080";
    private static final String QUERIES = "http://localhost:8100";
    /** Liveness through the balancer-free management port of the first replica, or of the only one. */
    private static final String HEALTH = "http://localhost:" + (REPLICAS == 1 ? 8101 : LocalStack.replicaPort(8101, 1))
            + "/actuator/health/readiness";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** How often a merchant's backend asks for a payment's status, and how long a customer takes to pay. */
    private static final Duration POLL_EVERY = Duration.ofSeconds(1);
    private static final Duration CUSTOMER_THINKS_MIN = Duration.ofSeconds(2);
    private static final Duration CUSTOMER_THINKS_MAX = Duration.ofSeconds(5);

    /** 100 merchants, so that per-merchant rate limits and lists stay realistic. */
    private static final List<String> TOKENS = IntStream.range(0, 100)
            .mapToObj(i -> DevTokens.merchant("load-merchant-%02d".formatted(i))).toList();

    private LocalStack stack;

    private final HttpProtocolBuilder protocol = http.acceptHeader("application/json").contentTypeHeader("application/json")
            .shareConnections().maxConnectionsPerHost(256).disableCaching();

    private static Session aMerchant(Session session) {
        return session.set("token", TOKENS.get(ThreadLocalRandom.current().nextInt(TOKENS.size())))
                .set("reference", "L-" + UUID.randomUUID().toString().substring(0, 18));
    }

    private static ChainBuilder create(String captureMethod) {
        return exec(PaymentMixSimulation::aMerchant).exec(http("create payment").post(COMMANDS + "/v1/payments")
                .header("Authorization", "Bearer #{token}").header("Idempotency-Key", "#{reference}")
                .body(StringBody("""
                        {"merchantReference":"#{reference}","amount":%d,"currency":"MYR","captureMethod":"%s",
                         "customer":{"name":"Load Tester","email":"#{reference}@example.com"},
                         "returnUrl":"https://shop.example/return"}""".formatted(
                                ThreadLocalRandom.current().nextInt(100, 100_000), captureMethod)))
                .check(status().is(201), jsonPath("$.id").saveAs("id")))
                .exec(session -> session.remove("status"));
    }

    /** Reads the payment until it reaches one of the statuses, as a merchant's backend would poll. */
    private static ChainBuilder awaitStatus(String... wanted) {
        Set<String> statuses = Set.of(wanted);
        String name = "poll until " + String.join("/", wanted);
        return asLongAsDuring(session -> !statuses.contains(String.valueOf(session.getString("status"))), PATIENCE).on(
                exec(http(name).get(QUERIES + "/v1/payments/#{id}").header("Authorization", "Bearer #{token}")
                        .check(status().in(200, 404), jsonPath("$.status").optional().saveAs("status"),
                                jsonPath("$.nextAction.redirectUrl").optional().saveAs("checkout")))
                        .pause(POLL_EVERY))
                .exec(http("confirm " + String.join("/", wanted)).get(QUERIES + "/v1/payments/#{id}")
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200), jsonPath("$.status").in(List.of(wanted))));
    }

    /** The customer clicks "Pay" on the hosted page (the sandbox's form). */
    private static final ChainBuilder CUSTOMER_PAYS = exec(pause(CUSTOMER_THINKS_MIN, CUSTOMER_THINKS_MAX)).exec(session -> {
        URI page = URI.create(session.getString("checkout"));
        return session.set("decide", page.getScheme() + "://" + page.getAuthority() + page.getPath() + "decide")
                .set("form", page.getRawQuery() + "&outcome=pay");
    }).exec(http("customer pays").post("#{decide}").header("Content-Type", "application/x-www-form-urlencoded")
            .body(StringBody("#{form}")).disableFollowRedirect().check(status().in(200, 302, 303)));

    private static final ChainBuilder COMPLETE_PAYMENT = exec(create("manual"))
            .exec(awaitStatus("awaiting_customer"))
            .exec(CUSTOMER_PAYS)
            .exec(awaitStatus("authorised"))
            .exec(http("capture").post(COMMANDS + "/v1/payments/#{id}/captures").header("Authorization", "Bearer #{token}")
                    .body(StringBody("{}")).check(status().is(202)))
            .exec(awaitStatus("captured"));

    private static final ChainBuilder VOIDED_PAYMENT = exec(create("manual"))
            .exec(awaitStatus("awaiting_customer"))
            .exec(CUSTOMER_PAYS)
            .exec(awaitStatus("authorised"))
            .exec(http("void").post(COMMANDS + "/v1/payments/#{id}/void").header("Authorization", "Bearer #{token}")
                    .check(status().is(202)))
            .exec(awaitStatus("voided"));

    private static final ChainBuilder STATUS_POLLING = exec(PaymentMixSimulation::aMerchant)
            .exec(session -> session.set("cursor", "").set("pages", 0))
            .asLongAs(session -> session.getInt("pages") < 3).on(
                    exec(http("list payments").get(session -> QUERIES + "/v1/payments?limit=20"
                                    + (session.getString("cursor").isEmpty() ? "" : "&cursor=" + session.getString("cursor")))
                            .header("Authorization", "Bearer #{token}")
                            .check(status().is(200), jsonPath("$.nextCursor").optional().saveAs("next")))
                            .exec(session -> {
                                String next = session.getString("next");
                                Session read = session.remove("next").set("pages", session.getInt("pages") + 1);
                                return next == null ? read.set("pages", 3) : read.set("cursor", next);
                            }));

    private static final ChainBuilder HEALTH_CHECK = exec(http("health").get(HEALTH).check(status().is(200)));

    private final ScenarioBuilder mix = scenario("merchant traffic mix").exec(randomSwitch().on(
            percent(70.0).then(COMPLETE_PAYMENT),
            percent(15.0).then(STATUS_POLLING),
            percent(10.0).then(VOIDED_PAYMENT),
            percent(5.0).then(HEALTH_CHECK)));

    {
        setUp(mix.injectClosed(rampConcurrentUsers(1).to(USERS).during(RAMP), constantConcurrentUsers(USERS).during(HOLD)))
                .protocols(protocol)
                .assertions(global().responseTime().percentile(95.0).lt(2000), global().failedRequests().percent().lt(1.0));
    }

    @Override
    public void before() {
        if (OWN_STACK) {
            stack = new LocalStack(LocalStack.Ports.standard(), REPLICAS);
            long started = System.nanoTime();
            stack.start();
            System.out.printf("local stack with %d replica(s) of each service up in %d ms%n", REPLICAS,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    @Override
    public void after() {
        if (stack != null) {
            stack.stop();
        }
    }
}
