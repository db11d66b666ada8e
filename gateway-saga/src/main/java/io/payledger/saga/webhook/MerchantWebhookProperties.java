package io.payledger.saga.webhook;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where each merchant wants its payment events, and the secret it checks our signature with.
 * Secrets come from the environment. A merchant with no endpoint gets no webhooks.
 *
 * @param merchants   per merchant id, its endpoint
 * @param maxAttempts deliveries tried before one is given up (and left in the log for an operator)
 * @param backoff     wait before the first retry, doubled each time up to one hour
 */
@ConfigurationProperties("payledger.webhooks")
public record MerchantWebhookProperties(Map<String, Endpoint> merchants, int maxAttempts, Duration backoff) {

    public record Endpoint(String url, String secret) {
        @Override
        public String toString() {
            return "Endpoint[url=" + url + "]";
        }
    }

    public MerchantWebhookProperties {
        merchants = merchants == null ? Map.of() : Map.copyOf(merchants);
        maxAttempts = maxAttempts <= 0 ? 12 : maxAttempts;
        backoff = backoff == null ? Duration.ofSeconds(10) : backoff;
    }
}
