package io.payledger.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.audit.Finding;
import io.payledger.events.audit.Finding.Kind;
import io.payledger.events.chain.EventHashChain;
import io.payledger.localstack.events.SyntheticExport;
import io.payledger.localstack.events.SyntheticExport.Line;
import io.payledger.localstack.tokens.DevCheckpointKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline verifier on exports changed the ways a tamperer with the database could change the log. */
class OfflineVerifierTest {

    private static final PublicKey KEY = CheckpointKeys.publicKey(DevCheckpointKeys.PUBLIC_KEY);

    @TempDir
    Path directory;

    private final List<Line> log = SyntheticExport.lines(3_000, 40, 7);

    @Test
    void anUntouchedExportVerifiesReplaysEveryPaymentAndItsTrialBalanceBalances() throws IOException {
        OfflineVerifier.Outcome outcome = verify(log);

        assertThat(outcome.log().intact()).isTrue();
        assertThat(outcome.log().eventsChecked()).isEqualTo(log.size());
        assertThat(outcome.log().checkpointsVerified()).isEqualTo(6);
        assertThat(outcome.replay().failures()).isEmpty();
        assertThat(outcome.replay().payments()).hasSize((int) log.stream().map(Line::paymentId).distinct().count());
        assertThat(OfflineVerifier.trialBalanceBalances(outcome.replay())).isTrue();
        assertThat(outcome.clean()).isTrue();
        assertThat(printed(outcome)).contains("log: INTACT", "RESULT: VERIFIED");
    }

    @Test
    void anAmountChangedInAStoredEventIsNamedModified() throws IOException {
        Line captured = first(line -> line.payloadType().endsWith("PaymentCaptured"));

        OfflineVerifier.Outcome outcome = verify(replace(captured, line -> with(line, line.payload().replaceFirst(
                "\"amount\":(\\d+)", "\"amount\":1"), line.previousHash(), line.hash())));

        assertThat(findings(outcome)).extracting(Finding::kind, Finding::paymentId, Finding::sequenceNumber)
                .contains(org.assertj.core.groups.Tuple.tuple(Kind.MODIFIED, captured.paymentId(), captured.sequenceNumber()));
        assertThat(outcome.clean()).isFalse();
    }

    @Test
    void aChangeWhoseChainWasRecomputedIsNamedModifiedAndEveryLaterEventRecomputed() throws IOException {
        String payment = first(line -> line.sequenceNumber() == 4).paymentId();
        List<Line> tampered = new ArrayList<>(log);
        String previous = EventHashChain.GENESIS;
        for (int i = 0; i < tampered.size(); i++) {
            Line line = tampered.get(i);
            if (!line.paymentId().equals(payment)) {
                continue;
            }
            String payload = line.sequenceNumber() == 2 ? line.payload().replaceFirst("\"amount\":(\\d+)", "\"amount\":1")
                    : line.payload();
            String hash = EventHashChain.hash(previous, payment, line.sequenceNumber(), line.payloadType(),
                    line.payloadRevision(), payload.getBytes(StandardCharsets.UTF_8));
            tampered.set(i, with(line, payload, previous, hash));
            previous = hash;
        }

        List<Finding> findings = findings(verify(tampered));

        assertThat(findings).filteredOn(finding -> finding.paymentId().equals(payment))
                .extracting(Finding::kind, Finding::sequenceNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.MODIFIED, 2L),
                        org.assertj.core.groups.Tuple.tuple(Kind.RECOMPUTED, 3L),
                        org.assertj.core.groups.Tuple.tuple(Kind.RECOMPUTED, 4L));
        assertThat(findings.get(0).detail()).contains("recomputed to hide");
    }

    @Test
    void aPaymentsNewestEventsRemovedAreNamedDeleted() throws IOException {
        Line newest = first(line -> line.sequenceNumber() == 4);
        List<Line> tampered = new ArrayList<>(log);
        tampered.removeIf(line -> line.paymentId().equals(newest.paymentId()) && line.sequenceNumber() >= 3);

        assertThat(findings(verify(tampered))).extracting(Finding::kind, Finding::paymentId, Finding::sequenceNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.DELETED, newest.paymentId(), 3L),
                        org.assertj.core.groups.Tuple.tuple(Kind.DELETED, newest.paymentId(), 4L));
    }

    @Test
    void aWholePaymentRemovedIsNamedDeletedEventByEventAndAsAPayment() throws IOException {
        String payment = log.get(10).paymentId();
        List<Line> tampered = new ArrayList<>(log);
        long events = log.stream().filter(line -> line.paymentId().equals(payment)).count();
        tampered.removeIf(line -> line.paymentId().equals(payment));

        List<Finding> findings = findings(verify(tampered));

        assertThat(findings).filteredOn(finding -> finding.kind() == Kind.DELETED).hasSize((int) events);
        assertThat(findings).filteredOn(finding -> finding.kind() == Kind.PAYMENT_DELETED)
                .extracting(Finding::paymentId).containsExactly(payment);
    }

    @Test
    void anEventSlippedIntoAGapOfTheSealedLogIsNamedInserted() throws IOException {
        Line before = first(line -> log.indexOf(line) + 1 < log.size()
                && log.get(log.indexOf(line) + 1).globalIndex() == line.globalIndex() + 2);
        Line forged = new Line(before.globalIndex() + 1, "forged-event", "forged-payment", 0, before.timeStamp(),
                before.payloadType(), before.payloadRevision(), before.payload(), EventHashChain.GENESIS, before.hash());
        List<Line> tampered = new ArrayList<>(log);
        tampered.add(log.indexOf(before) + 1, forged);

        assertThat(findings(verify(tampered))).extracting(Finding::kind, Finding::paymentId, Finding::globalIndex)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.INSERTED, "forged-payment", before.globalIndex() + 1));
    }

    @Test
    void twoEventsOfAPaymentSwappedInTheLogAreNamedReordered() throws IOException {
        Line second = first(line -> line.sequenceNumber() == 1);
        Line third = log.stream().filter(line -> line.paymentId().equals(second.paymentId()) && line.sequenceNumber() == 2)
                .findFirst().orElseThrow();
        List<Line> tampered = new ArrayList<>(log);
        tampered.set(log.indexOf(second), at(third, second.globalIndex()));
        tampered.set(log.indexOf(third), at(second, third.globalIndex()));

        assertThat(findings(verify(tampered))).extracting(Finding::kind, Finding::sequenceNumber)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Kind.REORDERED, 2L),
                        org.assertj.core.groups.Tuple.tuple(Kind.REORDERED, 1L));
    }

    @Test
    void checkpointsSignedWithAnotherKeyDoNotVerify() throws IOException, NoSuchAlgorithmException {
        PublicKey someoneElses = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        Path export = directory.resolve("export.jsonl");
        SyntheticExport.write(export, log, 500);

        OfflineVerifier.Outcome outcome = OfflineVerifier.verify(export, someoneElses, null, null);

        assertThat(outcome.log().counts()).containsEntry(Kind.CHECKPOINT_INVALID, 6L);
        assertThat(outcome.log().findings().get(0).detail()).contains("unknown key");
    }

    @Test
    void aCheckpointWhoseEventListWasEditedFailsItsSignature() throws IOException {
        Path export = directory.resolve("export.jsonl");
        SyntheticExport.write(export, log, 500);
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        int checkpoint = 0;
        while (!lines.get(checkpoint).contains("\"kind\":\"checkpoint\"")) {
            checkpoint++;
        }
        lines.set(checkpoint, lines.get(checkpoint).replaceFirst("\\[(\\d+),", "[$1$1,"));
        Files.write(export, lines);

        OfflineVerifier.Outcome outcome = OfflineVerifier.verify(export, KEY, null, null);

        assertThat(outcome.log().findings()).filteredOn(finding -> finding.kind() == Kind.CHECKPOINT_INVALID)
                .first().extracting(Finding::detail).asString().contains("checkpoint 1", "signature does not verify");
    }

    @Test
    void anExportCutShortOfTheCheckpointTheAuditorHoldsIsADifference() throws IOException {
        Path export = directory.resolve("whole.jsonl");
        SyntheticExport.write(export, log, 500);
        List<String> lines = Files.readAllLines(export);
        int lastCheckpoint = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"kind\":\"checkpoint\"")) {
                lastCheckpoint = i;
            }
        }
        io.payledger.events.audit.Checkpoint newest = io.payledger.events.audit.Checkpoint.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(lastCheckpoint)).get("checkpoint"));
        OfflineVerifier.Expected held = new OfflineVerifier.Expected(newest.number(), newest.hash());
        Path cut = Files.write(directory.resolve("cut.jsonl"), lines.subList(0, lastCheckpoint));

        assertThat(OfflineVerifier.verify(export, KEY, null, null, held).clean()).isTrue();
        OfflineVerifier.Outcome shortened = OfflineVerifier.verify(cut, KEY, null, null, held);
        assertThat(shortened.log().intact()).as("a shorter log verifies on its own").isTrue();
        assertThat(shortened.differences()).singleElement().asString().contains("does not reach checkpoint " + newest.number());
        assertThat(shortened.clean()).isFalse();
        assertThat(OfflineVerifier.verify(export, KEY, null, null, new OfflineVerifier.Expected(newest.number(), "0".repeat(64)))
                .differences()).singleElement().asString().contains("not the one you hold");
    }

    @Test
    void balancesTheLedgerReportsAreComparedAccountByAccountAndADifferenceIsNamed() throws IOException {
        OfflineVerifier.Outcome clean = verify(log);
        StringBuilder balances = new StringBuilder("{\"balances\":[");
        clean.replay().balances().forEach((account, totals) -> balances.append("{\"account\":\"").append(account.split(" ")[0])
                .append("\",\"currency\":\"").append(account.split(" ")[1]).append("\",\"net\":").append(totals.net()).append("},"));
        String matching = balances.substring(0, balances.length() - 1) + "]}";
        Path reported = Files.writeString(directory.resolve("balances.json"), matching);
        Path export = directory.resolve("export.jsonl");
        SyntheticExport.write(export, log, 500);

        assertThat(OfflineVerifier.verify(export, KEY, reported, null).differences()).isEmpty();

        String account = clean.replay().balances().keySet().iterator().next();
        long net = clean.replay().balances().get(account).net();
        Files.writeString(reported, matching.replace("\"net\":" + net + "}", "\"net\":" + (net + 1) + "}"));
        assertThat(OfflineVerifier.verify(export, KEY, reported, null).differences())
                .anyMatch(difference -> difference.startsWith("balance " + account));
    }

    private OfflineVerifier.Outcome verify(List<Line> lines) throws IOException {
        Path export = directory.resolve("export-" + System.nanoTime() + ".jsonl");
        SyntheticExport.write(export, log, 500); // the checkpoints seal the untouched log...
        List<String> written = Files.readAllLines(export);
        List<String> tampered = new ArrayList<>();
        int event = 0;
        for (String line : written) { // ...and the events are what the tamperer left
            if (line.contains("\"kind\":\"event\"")) {
                continue;
            }
            tampered.add(line);
            if (line.contains("\"kind\":\"checkpoint\"")) {
                long position = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(line)
                        .path("checkpoint").path("position").asLong();
                while (event < lines.size() && lines.get(event).globalIndex() <= position) {
                    tampered.add(SyntheticExport.eventLine(lines.get(event++)));
                }
            }
        }
        while (event < lines.size()) {
            tampered.add(SyntheticExport.eventLine(lines.get(event++)));
        }
        Files.write(export, tampered);
        return OfflineVerifier.verify(export, KEY, null, null);
    }

    private List<Finding> findings(OfflineVerifier.Outcome outcome) {
        assertThat(outcome.log().intact()).isFalse();
        return outcome.log().findings();
    }

    private Line first(java.util.function.Predicate<Line> which) {
        return log.stream().filter(which).findFirst().orElseThrow();
    }

    private List<Line> replace(Line line, UnaryOperator<Line> change) {
        List<Line> tampered = new ArrayList<>(log);
        tampered.set(log.indexOf(line), change.apply(line));
        return tampered;
    }

    private static Line with(Line line, String payload, String previousHash, String hash) {
        return new Line(line.globalIndex(), line.eventId(), line.paymentId(), line.sequenceNumber(), line.timeStamp(),
                line.payloadType(), line.payloadRevision(), payload, previousHash, hash);
    }

    private static Line at(Line line, long globalIndex) {
        return new Line(globalIndex, line.eventId(), line.paymentId(), line.sequenceNumber(), line.timeStamp(),
                line.payloadType(), line.payloadRevision(), line.payload(), line.previousHash(), line.hash());
    }

    private static String printed(OfflineVerifier.Outcome outcome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OfflineVerifier.print(outcome, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
