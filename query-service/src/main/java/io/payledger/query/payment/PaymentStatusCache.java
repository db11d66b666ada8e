package io.payledger.query.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Scheduler;
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
 * the last seconds, as response bytes; for reads that ask for a version, since another replica may have projected a
 * newer one after a segment moved), Redis (shared by the replicas), then PostgreSQL, which is the read model
 * itself. A tier is used only when it holds at least the version asked for; otherwise the next one is asked, so
 * {@code consistentWith} is never answered from an older copy when PostgreSQL has the version. Redis entries live
 * an hour: a write Redis lost for good (a restart during an outage, a failover) heals by then.
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
    /** Short, so that a write Redis lost for good (a restart during an outage, a failover) heals by expiry. */
    private static final Duration TIME_TO_LIVE = Duration.ofHours(1);
    private static final DefaultRedisScript<Long> PUT_IF_NEWER = new DefaultRedisScript<>("""
            local current = redis.call('HGET', KEYS[1], 'version')
            if current and redis.call('HEXISTS', KEYS[1], 'merchant') == 1
               and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
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
        // the scheduler removes what expired even when no read or write comes to clean up: after a burst (a catch-up,
        // a rebuild's neighbour) a quiet replica would otherwise hold up to `entries` answers nobody may be served
        this.recent = Caffeine.newBuilder().maximumSize(entries).expireAfterWrite(keepFor)
                .scheduler(Scheduler.systemScheduler()).build();
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
        // memory only for a version asked for: another replica may have projected a newer one since (a segment moved),
        // and a plain read must not go back behind what Redis already answers
        Status memory = atLeast < 0 ? null : recent.getIfPresent(paymentId);
        if (memory != null && memory.version() >= atLeast) {
            fromMemory.increment();
            hits.increment();
            return Optional.of(memory);
        }
        boolean[] redisAnswered = {true};
        Status cached = fromRedis(paymentId, redisAnswered);
        if (cached != null && cached.version() >= atLeast) {
            fromRedis.increment();
            hits.increment();
            return Optional.of(cached);
        }
        misses.increment();
        fromDatabase.increment();
        Optional<PaymentView> stored = fromDatabase(paymentId);
        stored.filter(view -> redisAnswered[0] && (cached == null || cached.version() < view.version())).ifPresent(view -> {
            repaired.increment();
            writeToRedis(List.of(view));
        });
        return stored.map(view -> new Status(view.merchantId(), view.version(), view.document().getBytes(StandardCharsets.UTF_8)));
    }

    private Status fromRedis(String paymentId, boolean[] answered) {
        try {
            List<Object> fields = redis.opsForHash().multiGet(key(paymentId), List.of("version", "merchant", "document"));
            if (fields.get(0) == null || fields.get(1) == null || fields.get(2) == null) {
                return null; // absent, or written before the merchant was kept beside it
            }
            return new Status((String) fields.get(1), Long.parseLong((String) fields.get(0)),
                    ((String) fields.get(2)).getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException unavailable) {
            answered[0] = false; // no repair while Redis is away: the projection's own retries cover its writes
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

    /** Whether Redis took the views; those it did not are kept for {@link #writeUnwritten}. */
    private boolean writeToRedis(List<PaymentView> views) {
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
            return true;
        } catch (RuntimeException unavailable) {
            for (PaymentView view : views) {
                unwritten.merge(view.paymentId(), view, (old, now) -> now.version() >= old.version() ? now : old);
            }
            log.warn("Redis did not take {} payment views ({} waiting to be written again): {}", views.size(),
                    unwritten.size(), unavailable.getMessage());
            return false;
        }
    }

    /** Writes again what Redis refused; an entry leaves the list only once Redis took it (the gauge stays up meanwhile). */
    private void writeUnwritten() {
        List<PaymentView> again = List.copyOf(unwritten.values());
        for (int from = 0; from < again.size(); from += 500) {
            List<PaymentView> part = again.subList(from, Math.min(again.size(), from + 500));
            if (!writeToRedis(part)) {
                return;
            }
            part.forEach(view -> unwritten.remove(view.paymentId(), view));
        }
    }

    /** How many answers this replica holds in memory (tests and tools). */
    long answersInMemory() {
        return recent.asMap().size();
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
