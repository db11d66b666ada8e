package io.payledger.query.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

/**
 * The hot copy of each payment's view in Redis, read first. A write never replaces a newer version
 * with an older one (a Lua compare-and-set on the version), and Redis being away only costs speed:
 * readers fall back to PostgreSQL. Hits and misses are counted, for the hit ratio.
 */
@Component
public class PaymentStatusCache {

    private static final Logger log = LoggerFactory.getLogger(PaymentStatusCache.class);
    private static final Duration TIME_TO_LIVE = Duration.ofDays(7);
    private static final DefaultRedisScript<Long> PUT_IF_NEWER = new DefaultRedisScript<>("""
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'document', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""", Long.class);

    private final StringRedisTemplate redis;
    private final Counter hits;
    private final Counter misses;

    PaymentStatusCache(StringRedisTemplate redis, MeterRegistry meters) {
        this.redis = redis;
        this.hits = Counter.builder("payledger.payment.cache").tag("result", "hit").register(meters);
        this.misses = Counter.builder("payledger.payment.cache").tag("result", "miss").register(meters);
    }

    /** Puts the views in one round trip (a pipeline); each still only replaces an older version. */
    public void putAll(List<PaymentView> views) {
        if (views.isEmpty()) {
            return;
        }
        byte[] script = PUT_IF_NEWER.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        byte[] timeToLive = Long.toString(TIME_TO_LIVE.toMillis()).getBytes(StandardCharsets.UTF_8);
        try {
            redis.executePipelined((RedisCallback<Object>) connection -> {
                for (PaymentView view : views) {
                    connection.scriptingCommands().eval(script, ReturnType.INTEGER, 1,
                            key(view.paymentId()).getBytes(StandardCharsets.UTF_8),
                            Long.toString(view.version()).getBytes(StandardCharsets.UTF_8),
                            view.document().getBytes(StandardCharsets.UTF_8), timeToLive);
                }
                return null;
            });
        } catch (RuntimeException unavailable) {
            log.warn("Redis did not take {} payment views: {}", views.size(), unavailable.getMessage());
        }
    }

    Optional<String> get(String paymentId) {
        try {
            Object document = redis.opsForHash().get(key(paymentId), "document");
            (document == null ? misses : hits).increment();
            return Optional.ofNullable((String) document);
        } catch (RuntimeException unavailable) {
            misses.increment();
            return Optional.empty();
        }
    }

    private static String key(String paymentId) {
        return "payledger:payment:" + paymentId;
    }
}
