package io.payledger.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomnessTest {

    @Test
    void uuidsAreVersionFourOfTheIetfVariantAndDoNotRepeat() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            UUID uuid = Randomness.uuid();
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(UUID.fromString(uuid.toString())).isEqualTo(uuid);
            seen.add(uuid);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void bytesDrawnOnTwoThreadsDiffer() throws Exception {
        byte[][] drawn = new byte[2][];
        Thread other = new Thread(() -> drawn[1] = Randomness.bytes(32));
        other.start();
        drawn[0] = Randomness.bytes(32);
        other.join();
        assertThat(drawn[0]).hasSize(32).isNotEqualTo(drawn[1]);
    }
}
