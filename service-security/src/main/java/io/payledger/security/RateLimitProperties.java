package io.payledger.security;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-merchant request limits, shared by every replica through Redis.
 *
 * @param enabled   off unless set: every replica must reach the same Redis for the limit to mean anything
 * @param redisUri  e.g. {@code redis://redis:6379} or {@code rediss://:password@redis:6380}
 * @param defaults  the limit of a merchant without its own
 * @param merchants merchant id to its own limit
 */
@ConfigurationProperties("payledger.rate-limits")
public record RateLimitProperties(boolean enabled, String redisUri, Limit defaults, Map<String, Limit> merchants) {

    /**
     * A token bucket: {@code burst} requests at once, refilled at {@code perSecond}.
     */
    public record Limit(int perSecond, int burst) {
        public Limit {
            if (perSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs perSecond >= 1 and burst >= 1");
            }
        }
    }

    public RateLimitProperties {
        defaults = defaults == null ? new Limit(50, 100) : defaults;
        merchants = merchants == null ? Map.of() : Map.copyOf(merchants);
        if (enabled && (redisUri == null || redisUri.isBlank())) {
            throw new IllegalArgumentException("payledger.rate-limits.redis-uri is required when rate limits are enabled");
        }
    }

    public Limit limitOf(String merchantId) {
        return merchants.getOrDefault(merchantId, defaults);
    }

    @Override
    public String toString() {
        return "RateLimitProperties[enabled=" + enabled + ", defaults=" + defaults + ", merchants=" + merchants.keySet() + "]";
    }
}
