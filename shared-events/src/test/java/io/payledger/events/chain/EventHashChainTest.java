package io.payledger.events.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHashChainTest {

    private static final String TYPE = "io.payledger.events.payment.PaymentInitiated";

    @Test
    void theHashIsTheSha256OfTheDocumentedCanonicalForm() {
        // computed by hand: printf '%s' "$(printf '0%.0s' {1..64})\npay-1\n0\nT\n1\n{\"a\":1,\"b\":\"x\"}" | sha256sum
        String hash = EventHashChain.hash(EventHashChain.GENESIS, "pay-1", 0, "T", "1",
                "{ \"b\": \"x\", \"a\": 1 }".getBytes(StandardCharsets.UTF_8));

        assertThat(hash).isEqualTo("18547b05951c23ae2a598d0180501e2568c91d9bedc3b535b1494e0b1a756a68");
    }

    @Test
    void keyOrderAndSpacingDoNotChangeTheHashButContentDoes() {
        String one = EventHashChain.hash("p", "a", 1, TYPE, "1", bytes("{\"x\":{\"b\":2,\"a\":1},\"y\":[1,2]}"));
        String reordered = EventHashChain.hash("p", "a", 1, TYPE, "1", bytes("{ \"y\" : [1, 2], \"x\" : {\"a\":1, \"b\":2} }"));
        String changed = EventHashChain.hash("p", "a", 1, TYPE, "1", bytes("{\"x\":{\"b\":2,\"a\":1},\"y\":[2,1]}"));

        assertThat(reordered).isEqualTo(one);
        assertThat(changed).isNotEqualTo(one);
    }

    @Test
    void anUntouchedHistoryVerifies() {
        ChainCheck check = EventHashChain.verify(chainOf("{\"amount\":1050}", "{\"step\":2}", "{\"step\":3}"));

        assertThat(check.intact()).isTrue();
        assertThat(check.eventsChecked()).isEqualTo(3);
    }

    @Test
    void anAlteredPayloadIsReportedAtTheEventThatWasAltered() {
        List<ChainedEvent> history = chainOf("{\"amount\":1050}", "{\"step\":2}", "{\"step\":3}");
        ChainedEvent original = history.get(1);
        history.set(1, new ChainedEvent(original.aggregateId(), 1, original.payloadType(), original.payloadRevision(),
                bytes("{\"step\":9}"), original.recordedPreviousHash(), original.recordedHash()));

        ChainCheck check = EventHashChain.verify(history);

        assertThat(check.intact()).isFalse();
        assertThat(check.brokenSequenceNumber()).isEqualTo(1);
        assertThat(check.reason()).contains("content");
    }

    @Test
    void aRemovedEventBreaksTheChain() {
        List<ChainedEvent> history = chainOf("{\"amount\":1050}", "{\"step\":2}", "{\"step\":3}");
        history.remove(1);

        ChainCheck check = EventHashChain.verify(history);

        assertThat(check.intact()).isFalse();
        assertThat(check.brokenSequenceNumber()).isEqualTo(2);
    }

    @Test
    void anEventWhoseHashesWereRecomputedStillBreaksTheLinkToTheNextEvent() {
        List<ChainedEvent> history = chainOf("{\"amount\":1050}", "{\"step\":2}");
        ChainedEvent first = history.get(0);
        byte[] forged = bytes("{\"amount\":1}");
        history.set(0, new ChainedEvent("pay-1", 0, TYPE, "1", forged, EventHashChain.GENESIS,
                EventHashChain.hash(EventHashChain.GENESIS, "pay-1", 0, TYPE, "1", forged)));

        ChainCheck check = EventHashChain.verify(history);

        assertThat(first.recordedHash()).isNotEqualTo(history.get(0).recordedHash());
        assertThat(check.intact()).isFalse();
        assertThat(check.brokenSequenceNumber()).isEqualTo(1);
    }

    private static List<ChainedEvent> chainOf(String... payloads) {
        List<ChainedEvent> chain = new ArrayList<>();
        String previous = EventHashChain.GENESIS;
        for (int sequence = 0; sequence < payloads.length; sequence++) {
            byte[] payload = bytes(payloads[sequence]);
            String hash = EventHashChain.hash(previous, "pay-1", sequence, TYPE, "1", payload);
            chain.add(new ChainedEvent("pay-1", sequence, TYPE, "1", payload, previous, hash));
            previous = hash;
        }
        return chain;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
