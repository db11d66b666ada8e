package io.payledger.localstack;

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

    private static SharedSystem running;

    final WebhookReceiver receiver;
    final SystemUnderTest system;

    private SharedSystem() {
        receiver = new WebhookReceiver();
        system = new SystemUnderTest(Map.of(
                "payledger.webhooks.merchants." + WEBHOOK_MERCHANT + ".url", receiver.url(),
                "payledger.webhooks.merchants." + WEBHOOK_MERCHANT + ".secret", WEBHOOK_SECRET,
                "payledger.webhooks.backoff", "300ms",
                "payledger.saga.checkout-requery-after", "3s",
                "payledger.saga.retry-backoff", "300ms",
                "payledger.saga.max-backoff", "2s",
                "resilience4j.circuitbreaker.instances.fiuu.wait-duration-in-open-state", "2s",
                "sandbox.resend-interval", "1s",
                "payledger.security.http.allowed-origins", ALLOWED_ORIGIN));
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
