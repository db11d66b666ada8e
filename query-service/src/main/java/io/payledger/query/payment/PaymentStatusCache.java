package io.payledger.query.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Where a payment's status answer is found, fastest first: this replica's memory (what its projection wrote in
 * the last seconds, as response bytes), Redis (shared by the replicas), then PostgreSQL, which is the read
 * model itself. A tier is used only when it holds at least the version asked for; otherwise the next one is
 * asked, so {@code consistentWith} is never answered from an older copy when PostgreSQL has the version.
 * <p>
 * Redis heals on its own: a write to Redis that fails is kept and tried again every second until Redis takes
 * it, and a read that finds Redis older than PostgreSQL (or empty) writes PostgreSQL's version to it. Every
 * Redis write only replaces an older version (a Lua compare-and-set on the version). Redis being away only
 * costs speed.
 */
@Component
public class PaymentStatusCache {

    /** A payment's answer: whose it is, its version, and the response body. */
    public record Status(String merchantId, long version, byte[] body) { }

    private static final Logger log = LoggerFactory.getLogger(PaymentStatusCache.class);
    private static final Duration TIME_TO_LIVE = Duration.ofDays(7);
    private static final DefaultRedisScript<Long> PUT_IF_NEWER = new DefaultRedisScript<>("""
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
            redis.call('HSET', KEYS[1], 'version', ARGV[1], 'merchant', ARGV[2], 'document', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1""", Long.class);

    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Cache<String, Status> recent;
    /** Views Redis did not take, newest per payment, written again until it does. */
    private final Map<String, PaymentView> unwritten = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "payment-cache-retry");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter hits;
    private final Counter misses;
    private final Counter fromMemory;
    private final Counter fromRedis;
    private final Counter fromDatabase;
    private final Counter repaired;

    PaymentStatusCache(StringRedisTemplate redis, JdbcTemplate jdbc, ObjectMapper json, MeterRegistry meters,
                       @Value("${payledger.query.status-memory.entries:100000}") int entries,
                       @Value("${payledger.query.status-memory.keep-for:10s}") Duration keepFor) {
        this.redis = redis;
        this.jdbc = jdbc;
        this.json = json;
        this.recent = Caffeine.newBuilder().maximumSize(entries).expireAfterWrite(keepFor).build();
        this.hits = Counter.builder("payledger.payment.cache").tag("result", "hit").register(meters);
        this.misses = Counter.builder("payledger.payment.cache").tag("result", "miss").register(meters);
        this.fromMemory = reads(meters, "memory");
        this.fromRedis = reads(meters, "redis");
        this.fromDatabase = reads(meters, "database");
        this.repaired = Counter.builder("payledger.payment.cache.repaired")
                .description("Redis entries found older than PostgreSQL (or missing) by a read, and written again").register(meters);
        Gauge.builder("payledger.payment.cache.unwritten", unwritten, Map::size)
                .description("payment views Redis has not taken yet, tried again every second").register(meters);
        retries.scheduleWithFixedDelay(this::writeUnwritten, 1, 1, TimeUnit.SECONDS);
    }

    private static Counter reads(MeterRegistry meters, String tier) {
        return Counter.builder("payledger.payment.status.reads").tag("tier", tier)
                .description("status answers by where they were found").register(meters);
    }

    /** The projection's views, just committed: into this replica's memory, then Redis in one round trip. */
    public void putAll(List<PaymentView> views) {
        if (views.isEmpty()) {
            return;
        }
        for (PaymentView view : views) {
            Status status = new Status(view.merchantId(), view.version(), view.document().getBytes(StandardCharsets.UTF_8));
            recent.asMap().merge(view.paymentId(), status, (old, now) -> now.version() >= old.version() ? now : old);
        }
        writeToRedis(views);
    }

    /** The payment's answer at {@code atLeast} or newer if any tier has it, else the newest there is; empty if none. */
    public Optional<Status> find(String paymentId, long atLeast) {
        Status memory = recent.getIfPresent(paymentId);
        if (memory != null && memory.version() >= atLeast) {
            fromMemory.increment();
            hits.increment();
            return Optional.of(memory);
        }
        Status cached = fromRedis(paymentId);
        if (cached != null && cached.version() >= atLeast) {
            fromRedis.increment();
            hits.increment();
            return Optional.of(cached);
        }
        misses.increment();
        fromDatabase.increment();
        Optional<PaymentView> stored = fromDatabase(paymentId);
        stored.filter(view -> cached == null || cached.version() < view.version()).ifPresent(view -> {
            repaired.increment();
            writeToRedis(List.of(view));
        });
        return stored.map(view -> new Status(view.merchantId(), view.version(), view.document().getBytes(StandardCharsets.UTF_8)));
    }

    private Status fromRedis(String paymentId) {
        try {
            List<Object> fields = redis.opsForHash().multiGet(key(paymentId), List.of("version", "merchant", "document"));
            if (fields.get(0) == null || fields.get(1) == null || fields.get(2) == null) {
                return null; // absent, or written before the merchant was kept beside it
            }
            return new Status((String) fields.get(1), Long.parseLong((String) fields.get(0)),
                    ((String) fields.get(2)).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException unavailable) {
            return null;
        }
    }

    private Optional<PaymentView> fromDatabase(String paymentId) {
        List<PaymentView> rows = jdbc.query("SELECT merchant_id, version, document::text FROM payment_view WHERE payment_id = ?",
                (row, n) -> new PaymentView(paymentId, row.getString(1), canonical(row.getString(3)), row.getLong(2)), paymentId);
        return rows.stream().findFirst();
    }

    /** PostgreSQL's JSONB as the projection writes it (jsonb reorders keys), so every tier answers the same bytes. */
    private String canonical(String document) {
        try {
            return json.writeValueAsString(json.readValue(document, PaymentDocument.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored payment view is unreadable", e);
        }
    }

    private void writeToRedis(List<PaymentView> views) {
        byte[] script = PUT_IF_NEWER.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        byte[] timeToLive = Long.toString(TIME_TO_LIVE.toMillis()).getBytes(StandardCharsets.UTF_8);
        try {
            redis.executePipelined((RedisCallback<Object>) connection -> {
                for (PaymentView view : views) {
                    connection.scriptingCommands().eval(script, ReturnType.INTEGER, 1,
                            key(view.paymentId()).getBytes(StandardCharsets.UTF_8),
                            Long.toString(view.version()).getBytes(StandardCharsets.UTF_8),
                            view.merchantId().getBytes(StandardCharsets.UTF_8),
                            view.document().getBytes(StandardCharsets.UTF_8), timeToLive);
                }
                return null;
            });
        } catch (RuntimeException unavailable) {
            for (PaymentView view : views) {
                unwritten.merge(view.paymentId(), view, (old, now) -> now.version() >= old.version() ? now : old);
            }
            log.warn("Redis did not take {} payment views ({} waiting to be written again): {}", views.size(),
                    unwritten.size(), unavailable.getMessage());
        }
    }

    private void writeUnwritten() {
        if (unwritten.isEmpty()) {
            return;
        }
        List<PaymentView> again = new ArrayList<>();
        for (String paymentId : List.copyOf(unwritten.keySet())) {
            PaymentView view = unwritten.remove(paymentId);
            if (view != null) {
                again.add(view);
            }
        }
        for (int from = 0; from < again.size(); from += 500) {
            writeToRedis(again.subList(from, Math.min(again.size(), from + 500)));
        }
    }

    /** Forgets this replica's memory of the payments (tests and tools): the next reads go to Redis. */
    public void forgetRecent() {
        recent.invalidateAll();
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }

    private static String key(String paymentId) {
        return "payledger:payment:" + paymentId;
    }
}
