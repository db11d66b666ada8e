package io.payledger.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.audit.Checkpoint;
import io.payledger.events.audit.CheckpointKeys;
import io.payledger.events.audit.ExportLines;
import io.payledger.events.audit.Finding;
import io.payledger.events.audit.LogVerification;
import io.payledger.events.audit.StoredEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The auditors' verifier, for an export taken from {@code POST /v1/audit/exports}:
 * <pre>
 * java -jar audit-verifier-standalone.jar EXPORT.jsonl --public-key checkpoint-key.pem
 *      [--ledger-balances balances.json] [--ledger-trial-balance trial-balance.json] [--newest-checkpoint N:HASH]
 * </pre>
 * It checks every checkpoint's signature and chain, matches every event to what the checkpoints sealed and every
 * later event to its payment's chain, replays each payment with the services' fold, recomputes the journal and the
 * trial balance, and prints them beside what the ledger reported (the JSON of {@code GET /v1/balances} and
 * {@code GET /v1/reports/trial-balance} at the export's {@code requestedAt}), with every difference.
 * {@code --newest-checkpoint} names a checkpoint the auditor took independently (from the operator's retention-locked
 * copy or the topic: its number and {@code hash}); an export that does not hold exactly that checkpoint, such as one
 * cut short, is a difference, since an export's header is not signed and a shorter log verifies on its own.
 * Exit status: 0 when everything verifies and agrees, 1 when anything does not, 2 when it cannot run.
 */
public final class OfflineVerifier {

    /** What one run found. */
    public record Outcome(LogVerification.Report log, Replay replay, List<String> differences, boolean keysFromExport,
                   JsonNode header) {

        public boolean clean() {
            return log.intact() && replay.failures().isEmpty() && differences.isEmpty() && trialBalanceBalances(replay);
        }
    }

    /** A checkpoint the auditor holds from elsewhere, which the export must contain. */
    public record Expected(long number, String hash) {

        static Expected parse(String option) {
            int colon = option == null ? -1 : option.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--newest-checkpoint is NUMBER:HASH");
            }
            try {
                return new Expected(Long.parseLong(option.substring(0, colon)), option.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--newest-checkpoint is NUMBER:HASH");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private OfflineVerifier() {
    }

    public static void main(String[] args) {
        try {
            Map<String, String> options = options(args);
            Outcome outcome = verify(Path.of(options.get("export")), key(options.get("--public-key")),
                    path(options.get("--ledger-balances")), path(options.get("--ledger-trial-balance")),
                    options.containsKey("--newest-checkpoint") ? Expected.parse(options.get("--newest-checkpoint")) : null);
            print(outcome, System.out);
            System.exit(outcome.clean() ? 0 : 1);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("audit-verifier: " + e.getMessage());
            System.err.println("usage: java -jar audit-verifier-standalone.jar EXPORT.jsonl --public-key KEY.pem"
                    + " [--ledger-balances balances.json] [--ledger-trial-balance trial-balance.json]"
                    + " [--newest-checkpoint N:HASH]");
            System.exit(2);
        }
    }

    /** Verifies an export; {@code publicKey} null trusts the keys the export itself carries (and says so). */
    public static Outcome verify(Path export, PublicKey publicKey, Path ledgerBalances, Path ledgerTrialBalance) throws IOException {
        return verify(export, publicKey, ledgerBalances, ledgerTrialBalance, null);
    }

    /** As above, and the export must hold {@code expected} (null: no such check). */
    public static Outcome verify(Path export, PublicKey publicKey, Path ledgerBalances, Path ledgerTrialBalance,
                                 Expected expected) throws IOException {
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            String first = lines.readLine();
            JsonNode header = first == null ? null : JSON.readTree(first);
            if (!ExportLines.isHeader(header)) {
                throw new IllegalArgumentException(export + " is not a PayLedger log export (" + ExportLines.FORMAT + ")");
            }
            List<PublicKey> keys = new ArrayList<>();
            if (publicKey != null) {
                keys.add(publicKey);
            } else {
                header.path("publicKeys").forEach(pem -> keys.add(CheckpointKeys.publicKey(pem.asText())));
            }
            LogVerification verification = new LogVerification(keys, exported(header), ExportLines.scopeOf(header));
            boolean expectedFound = false;
            boolean expectedDiffers = false;
            Replay replay = new Replay();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                switch (node.path("kind").asText()) {
                    case "checkpoint" -> {
                        Checkpoint checkpoint = Checkpoint.fromJson(node.get("checkpoint"));
                        verification.checkpoint(checkpoint);
                        if (expected != null && checkpoint.number() == expected.number()) {
                            expectedFound = expectedFound || checkpoint.hash().equals(expected.hash());
                            expectedDiffers = expectedDiffers || !checkpoint.hash().equals(expected.hash());
                        }
                    }
                    case "event" -> {
                        StoredEvent event = ExportLines.eventOf(node);
                        verification.event(event);
                        replay.apply(event);
                    }
                    default -> throw new IllegalArgumentException("a line of unknown kind: " + node.path("kind").asText());
                }
            }
            List<String> differences = new ArrayList<>();
            if (expected != null && expectedDiffers) {
                differences.add("checkpoint " + expected.number() + " in the export is not the one you hold (hash "
                        + expected.hash() + ")");
            } else if (expected != null && !expectedFound) {
                differences.add("the export does not reach checkpoint " + expected.number() + " that you hold: it was cut"
                        + " short, or asked for before that checkpoint was sealed");
            }
            if (ledgerBalances != null) {
                compareBalances(replay, JSON.readTree(ledgerBalances.toFile()), differences);
            }
            if (ledgerTrialBalance != null) {
                compareTrialBalance(replay, JSON.readTree(ledgerTrialBalance.toFile()), differences);
            }
            return new Outcome(verification.finish(), replay, differences, publicKey == null, header);
        }
    }

    private static Predicate<String> exported(JsonNode header) {
        if ("all".equals(header.path("scope").asText())) {
            return payment -> true;
        }
        Set<String> payments = new HashSet<>();
        header.path("payments").forEach(payment -> payments.add(payment.asText()));
        return payments::contains;
    }

    private static void compareBalances(Replay replay, JsonNode ledger, List<String> differences) {
        Map<String, Long> reported = new TreeMap<>();
        ledger.path("balances").forEach(balance -> reported.put(balance.path("account").asText() + " "
                + balance.path("currency").asText(), balance.path("net").asLong()));
        Set<String> accounts = new java.util.TreeSet<>(reported.keySet());
        accounts.addAll(replay.balances().keySet());
        for (String account : accounts) {
            long recomputed = replay.balances().containsKey(account) ? replay.balances().get(account).net() : 0;
            long theirs = reported.getOrDefault(account, 0L);
            if (recomputed != theirs) {
                differences.add("balance " + account + ": recomputed " + recomputed + ", the ledger reported " + theirs);
            }
        }
    }

    private static void compareTrialBalance(Replay replay, JsonNode ledger, List<String> differences) {
        Map<String, Replay.Totals> recomputed = replay.trialBalance();
        Set<String> currencies = new java.util.TreeSet<>(recomputed.keySet());
        ledger.path("currencies").forEach(currency -> currencies.add(currency.path("currency").asText()));
        for (String currency : currencies) {
            Replay.Totals ours = recomputed.getOrDefault(currency, new Replay.Totals(0, 0));
            JsonNode theirs = null;
            for (JsonNode row : ledger.path("currencies")) {
                if (row.path("currency").asText().equals(currency)) {
                    theirs = row;
                }
            }
            long debits = theirs == null ? 0 : theirs.path("debits").asLong();
            long credits = theirs == null ? 0 : theirs.path("credits").asLong();
            if (ours.debits() != debits || ours.credits() != credits) {
                differences.add("trial balance " + currency + ": recomputed debits " + ours.debits() + " credits "
                        + ours.credits() + ", the ledger reported debits " + debits + " credits " + credits);
            }
        }
    }

    static void print(Outcome outcome, PrintStream out) {
        LogVerification.Report log = outcome.log();
        JsonNode header = outcome.header();
        out.println("PayLedger offline verifier");
        out.println("export: scope " + header.path("scope").asText() + scopeDetail(header) + ", up to position "
                + header.path("upToPosition").asLong() + ", requested at " + header.path("requestedAt").asText());
        if (outcome.keysFromExport()) {
            out.println("WARNING: no --public-key given; the keys the export carries were used, which proves the export"
                    + " consistent, not that the checkpoints are the ledger's. Pass the key published by the operator.");
        }
        out.println("checkpoints: " + log.checkpointsVerified() + " read" + (log.newestCheckpoint() == null ? ", none sealed"
                : ", newest #" + log.newestCheckpoint().number() + " up to position " + log.newestCheckpoint().position()
                        + " sealed " + log.newestCheckpoint().sealedAt()));
        out.println("events: " + log.eventsChecked() + " checked (" + log.sealedEventsChecked() + " against checkpoints, "
                + log.unsealedEventsChecked() + " after the newest, by their chains), " + log.paymentsChecked() + " payments");
        if (log.unsealedEventsChecked() > 0) {
            out.println("NOTE: " + log.unsealedEventsChecked() + " events after the newest checkpoint are vouched for only by"
                    + " their own chains (a rewrite of all of them would not show); export again once a checkpoint covers"
                    + " position " + header.path("requestedUpToPosition").asLong(header.path("upToPosition").asLong()));
        }
        if (log.intact()) {
            out.println("log: INTACT");
        } else {
            out.println("log: NOT INTACT " + log.counts());
            for (Finding finding : log.findings()) {
                out.println("  " + finding.kind() + " payment " + finding.paymentId() + " #" + finding.sequenceNumber()
                        + " at " + finding.globalIndex() + ": " + finding.detail());
            }
            if (log.findingsTruncated()) {
                out.println("  ... (the first " + log.findings().size() + " are listed)");
            }
        }
        Map<String, Long> statuses = outcome.replay().payments().values().stream()
                .collect(Collectors.groupingBy(state -> state.status().code(), TreeMap::new, Collectors.counting()));
        out.println("replay: " + outcome.replay().payments().size() + " payments folded " + statuses);
        outcome.replay().failures().forEach(failure -> out.println("  " + failure));
        out.println("journal: " + outcome.replay().entries() + " entries, " + outcome.replay().lines() + " lines");
        out.println("balances (account currency: debits credits net):");
        outcome.replay().balances().forEach((account, totals) -> out.println("  " + account + ": " + totals.debits() + " "
                + totals.credits() + " " + totals.net()));
        out.println("trial balance (currency: debits credits):");
        outcome.replay().trialBalance().forEach((currency, totals) -> out.println("  " + currency + ": " + totals.debits()
                + " " + totals.credits() + (totals.debits() == totals.credits() ? " balanced" : " NOT BALANCED")));
        if (outcome.differences().isEmpty()) {
            out.println("against the ledger: no difference in what was compared");
        } else {
            out.println("against the ledger: " + outcome.differences().size() + " differences");
            outcome.differences().forEach(difference -> out.println("  " + difference));
        }
        out.println(outcome.clean() ? "RESULT: VERIFIED" : "RESULT: NOT VERIFIED");
    }

    private static String scopeDetail(JsonNode header) {
        return switch (header.path("scope").asText()) {
            case "merchant" -> " " + header.path("merchantId").asText() + " (" + header.path("payments").size() + " payments)";
            case "period" -> " [" + header.path("from").asText("-") + ", " + header.path("to").asText("-") + ") ("
                    + header.path("payments").size() + " payments)";
            default -> "";
        };
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                options.put(args[i], args[++i]);
            } else if (!options.containsKey("export")) {
                options.put("export", args[i]);
            } else {
                throw new IllegalArgumentException("one export at a time: " + args[i]);
            }
        }
        if (!options.containsKey("export")) {
            throw new IllegalArgumentException("name the export to verify");
        }
        return options;
    }

    private static PublicKey key(String file) throws IOException {
        return file == null ? null : CheckpointKeys.publicKey(Files.readString(Path.of(file)));
    }

    private static Path path(String file) {
        return file == null ? null : Path.of(file);
    }

    static boolean trialBalanceBalances(Replay replay) {
        return replay.trialBalance().values().stream().allMatch(totals -> totals.debits() == totals.credits());
    }
}
