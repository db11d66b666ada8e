package io.payledger.command.customer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Moves customers' data keys onto the current master key, a batch at a time, so that a master key can be
 * retired: once {@code payledger_personal_data_keys_rewrapped_total} stops rising after a rotation, no
 * key needs the old master key any more. The sealed data in the events is never touched.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MasterKeyRotation {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyRotation.class);
    private static final int BATCH = 500;

    private final CustomerKeys keys;
    private final Counter rewrapped;

    MasterKeyRotation(CustomerKeys keys, MeterRegistry meters) {
        this.keys = keys;
        this.rewrapped = Counter.builder("payledger.personal.data.keys.rewrapped")
                .description("Customer data keys moved onto the current master key").register(meters);
    }

    @Scheduled(initialDelayString = "${payledger.personal-data.rewrap-every:60s}",
            fixedDelayString = "${payledger.personal-data.rewrap-every:60s}")
    void rewrapStaleKeys() {
        int moved;
        do {
            moved = keys.rewrapOntoCurrentMasterKey(BATCH);
            rewrapped.increment(moved);
            if (moved > 0) {
                log.info("Re-wrapped {} customer data key(s) onto the current master key", moved);
            }
        } while (moved == BATCH);
    }
}
