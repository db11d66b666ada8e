package io.payledger.query.ledger;

import io.payledger.query.security.Reader;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Balances per account and currency, and the trial balance, at any instant: sums of the journal
 * lines that happened up to it. Finance sees every merchant's; a merchant only its own.
 */
@RestController
class LedgerQueryController {

    record Balance(String account, String currency, long debits, long credits, long net) { }

    record CurrencyTotals(String currency, long debits, long credits, boolean balanced) { }

    record TrialBalance(Instant asOf, List<CurrencyTotals> currencies, boolean balanced) { }

    private final JdbcTemplate jdbc;

    LedgerQueryController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/v1/balances")
    Map<String, Object> balances(@AuthenticationPrincipal Jwt token,
                                 @RequestParam(value = "asOf", required = false) Instant asOf) {
        Reader reader = Reader.of(token);
        Instant at = asOf == null ? Instant.now() : asOf;
        List<Balance> balances = jdbc.query("""
                SELECT account, currency,
                       COALESCE(SUM(amount) FILTER (WHERE side = 'debit'), 0) AS debits,
                       COALESCE(SUM(amount) FILTER (WHERE side = 'credit'), 0) AS credits
                FROM journal_line WHERE occurred_at <= ? AND (?::text IS NULL OR merchant_id = ?::text)
                GROUP BY account, currency ORDER BY account, currency""",
                (row, n) -> new Balance(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4),
                        row.getLong(3) - row.getLong(4)),
                Timestamp.from(at), reader.merchantScope(), reader.merchantScope());
        return Map.of("asOf", at, "balances", balances);
    }

    @GetMapping("/v1/reports/trial-balance")
    TrialBalance trialBalance(@RequestParam(value = "asOf", required = false) Instant asOf) {
        Instant at = asOf == null ? Instant.now() : asOf;
        List<CurrencyTotals> totals = jdbc.query("""
                SELECT currency, COALESCE(SUM(amount) FILTER (WHERE side = 'debit'), 0),
                       COALESCE(SUM(amount) FILTER (WHERE side = 'credit'), 0)
                FROM journal_line WHERE occurred_at <= ? GROUP BY currency ORDER BY currency""",
                (row, n) -> new CurrencyTotals(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(2) == row.getLong(3)),
                Timestamp.from(at));
        return new TrialBalance(at, totals, totals.stream().allMatch(CurrencyTotals::balanced));
    }
}
