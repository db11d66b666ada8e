package io.payledger.systemtests;

import java.util.Map;

/**
 * One running system for every end-to-end test class in the JVM: starting the three services, the
 * sandbox and the servers takes longer than most tests. Timings are shortened so that retries,
 * re-queries and webhook redeliveries happen within a test's patience. Stopped when the JVM exits.
 */
final class SharedSystem {

    static final String WEBHOOK_MERCHANT = "webhook-merchant";
    static final String WEBHOOK_SECRET = "merchant-webhook-secret-for-tests";
    /** The one origin whose browser scripts may call the APIs in these tests. */
    static final String ALLOWED_ORIGIN = "https://dashboard.payledger.example";

    /** The one merchant with a tight rate limit: 3 at once, then 1 a second, on each API. */
    static final String THROTTLED_MERCHANT = "m-throttled";

    private static SharedSystem running;

    final WebhookReceiver receiver;
    final SystemUnderTest system;

    private SharedSystem() {
        receiver = new WebhookReceiver();
        system = new SystemUnderTest(Map.ofEntries(
                Map.entry("payledger.webhooks.merchants." + WEBHOOK_MERCHANT + ".url", receiver.url()),
                Map.entry("payledger.webhooks.merchants." + WEBHOOK_MERCHANT + ".secret", WEBHOOK_SECRET),
                Map.entry("payledger.webhooks.backoff", "300ms"),
                Map.entry("payledger.saga.checkout-requery-after", "3s"),
                Map.entry("payledger.saga.checkout-requeries", "2"),
                Map.entry("payledger.saga.retry-backoff", "300ms"),
                Map.entry("payledger.fiuu.timeout", "15s"), // a Fiuu that answers in 10 s is slow, not down
                Map.entry("payledger.saga.max-backoff", "2s"),
                Map.entry("resilience4j.circuitbreaker.instances.fiuu.wait-duration-in-open-state", "2s"),
                Map.entry("sandbox.resend-interval", "1s"),
                Map.entry("payledger.reconciliation.quiet-period", "0s"),
                Map.entry("payledger.security.http.allowed-origins", ALLOWED_ORIGIN),
                Map.entry("payledger.rate-limits.merchants." + THROTTLED_MERCHANT + ".per-second", "1"),
                Map.entry("payledger.rate-limits.merchants." + THROTTLED_MERCHANT + ".burst", "3")));
    }

    static synchronized SharedSystem get() {
        if (running == null) {
            running = new SharedSystem();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running.system.close();
                running.receiver.close();
            }, "stop-shared-system"));
        }
        return running;
    }
}
