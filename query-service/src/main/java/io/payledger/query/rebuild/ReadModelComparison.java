package io.payledger.query.rebuild;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Compares a rebuild's tables with the live ones, row by row and column by column, at the rebuild's
 * end position. The live model keeps moving while the rebuild runs, so what it learned later is set
 * aside, not counted as a difference: payments the rebuild never saw, and payments whose live view
 * is at a later version because the rebuild never read the event after its own (a rebuild that read
 * that event and did not fold it is behind, and that is a difference). Everything else must be equal.
 */
final class ReadModelComparison {

    /** One difference, named by the row's key. */
    record Difference(String key, String difference) { }

    /** One table's comparison: rows compared, rows that differ, and the first few of them. */
    record TableComparison(String table, long compared, long differing, List<Difference> examples) { }

    /** Live rows set aside as newer than the rebuild's end position. */
    record LiveAhead(long payments, long paymentsAdvanced) { }

    record Result(boolean equal, List<TableComparison> tables, LiveAhead liveAhead, boolean rebuiltTrialBalanceBalances) { }

    private static final int EXAMPLES = 20;

    private final JdbcTemplate jdbc;
    private final String rebuilt;
    private final String live;

    ReadModelComparison(JdbcTemplate jdbc, String rebuiltSchema, String liveSchema) {
        this.jdbc = jdbc;
        this.rebuilt = rebuiltSchema + ".";
        this.live = liveSchema + ".";
    }

    /** Waits (bounded) until the live projection holds every event the rebuild read. */
    boolean awaitLiveCaughtUp(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        do {
            Long missing = jdbc.queryForObject(sql("""
                    SELECT count(*) FROM {r}audit_event r
                    WHERE NOT EXISTS (SELECT 1 FROM {l}audit_event l WHERE l.event_id = r.event_id)"""), Long.class);
            if (missing == 0) {
                return true;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        return false;
    }

    Result compare() {
        List<TableComparison> tables = List.of(auditTrail(), paymentViews(), journalLines());
        LiveAhead ahead = new LiveAhead(
                count("""
                        SELECT count(*) FROM {l}payment_view l
                        WHERE NOT EXISTS (SELECT 1 FROM {r}audit_event r WHERE r.payment_id = l.payment_id)"""),
                count("""
                        SELECT count(*) FROM {l}payment_view l LEFT JOIN {r}payment_view r USING (payment_id)
                        WHERE EXISTS (SELECT 1 FROM {r}audit_event a WHERE a.payment_id = l.payment_id)
                          AND (r.payment_id IS NULL OR l.version > r.version) AND\s""" + LEARNED_LATER));
        boolean balanced = count("""
                SELECT count(*) FROM (SELECT currency FROM {r}journal_line GROUP BY currency
                HAVING sum(CASE WHEN side = 'debit' THEN amount ELSE -amount END) <> 0) unbalanced""") == 0;
        boolean equal = tables.stream().allMatch(table -> table.differing() == 0) && balanced;
        return new Result(equal, tables, ahead, balanced);
    }

    private TableComparison auditTrail() {
        // live events of the rebuilt payments, up to the last sequence number the rebuild read of each
        return table("audit_event", count("SELECT count(*) FROM {r}audit_event"), """
                WITH known AS (SELECT payment_id, max(sequence_number) AS last FROM {r}audit_event GROUP BY payment_id),
                     l AS (SELECT e.* FROM {l}audit_event e JOIN known k
                           ON k.payment_id = e.payment_id AND e.sequence_number <= k.last)
                SELECT coalesce(r.event_id, l.event_id),
                       CASE WHEN l.event_id IS NULL THEN 'missing from the live model'
                            WHEN r.event_id IS NULL THEN 'missing from the rebuild'
                            ELSE 'differs' END,
                       count(*) OVER ()
                FROM {r}audit_event r FULL JOIN l ON l.event_id = r.event_id
                WHERE l.event_id IS NULL OR r.event_id IS NULL
                   OR (r.payment_id, r.sequence_number, r.payload_type, r.payload_revision, r.payload, r.meta_data,
                       r.previous_hash, r.hash, r.occurred_at)
                      IS DISTINCT FROM
                      (l.payment_id, l.sequence_number, l.payload_type, l.payload_revision, l.payload, l.meta_data,
                       l.previous_hash, l.hash, l.occurred_at)
                ORDER BY 1 LIMIT %d""");
    }

    /**
     * A live view ahead of the rebuild's (or one the rebuild does not have) was learned after the rebuild's end
     * only when the rebuild never read the event that comes next after what it folded.
     */
    private static final String LEARNED_LATER = """
            NOT EXISTS (SELECT 1 FROM {r}audit_event next WHERE next.payment_id = l.payment_id
                        AND next.sequence_number = coalesce(r.version, -1) + 1)""";

    private TableComparison paymentViews() {
        return table("payment_view", count("SELECT count(*) FROM {r}payment_view"), """
                SELECT coalesce(r.payment_id, l.payment_id),
                       CASE WHEN l.payment_id IS NULL THEN 'missing from the live model'
                            WHEN r.payment_id IS NULL THEN 'missing from the rebuild'
                            WHEN l.version < r.version THEN 'behind in the live model'
                            WHEN l.version > r.version THEN 'behind in the rebuild'
                            ELSE 'differs' END,
                       count(*) OVER ()
                FROM {r}payment_view r
                FULL JOIN (SELECT * FROM {l}payment_view v
                           WHERE EXISTS (SELECT 1 FROM {r}audit_event a WHERE a.payment_id = v.payment_id)) l
                       ON l.payment_id = r.payment_id
                WHERE (l.payment_id IS NULL OR r.payment_id IS NULL OR l.version <> r.version
                       OR (r.merchant_id, r.merchant_reference, r.status, r.amount, r.currency, r.document,
                           r.created_at, r.updated_at)
                          IS DISTINCT FROM
                          (l.merchant_id, l.merchant_reference, l.status, l.amount, l.currency, l.document,
                           l.created_at, l.updated_at))
                  AND NOT (l.payment_id IS NOT NULL AND (r.payment_id IS NULL OR l.version > r.version)
                           AND\s""" + LEARNED_LATER + """
                )
                ORDER BY 1 LIMIT %d""");
    }

    private TableComparison journalLines() {
        return table("journal_line", count("SELECT count(*) FROM {r}journal_line"), """
                SELECT coalesce(r.event_id, l.event_id) || '#' || coalesce(r.line_number, l.line_number),
                       CASE WHEN l.event_id IS NULL THEN 'missing from the live model'
                            WHEN r.event_id IS NULL THEN 'missing from the rebuild'
                            ELSE 'differs' END,
                       count(*) OVER ()
                FROM {r}journal_line r
                FULL JOIN (SELECT * FROM {l}journal_line j
                           WHERE EXISTS (SELECT 1 FROM {r}audit_event a WHERE a.event_id = j.event_id)) l
                       ON l.event_id = r.event_id AND l.line_number = r.line_number
                WHERE l.event_id IS NULL OR r.event_id IS NULL
                   OR (r.payment_id, r.merchant_id, r.account, r.side, r.amount, r.currency, r.occurred_at)
                      IS DISTINCT FROM
                      (l.payment_id, l.merchant_id, l.account, l.side, l.amount, l.currency, l.occurred_at)
                ORDER BY 1 LIMIT %d""");
    }

    private TableComparison table(String name, long compared, String differences) {
        List<Difference> examples = new ArrayList<>();
        long[] differing = {0};
        jdbc.query(sql(differences.formatted(EXAMPLES)), row -> {
            examples.add(new Difference(row.getString(1), row.getString(2)));
            differing[0] = row.getLong(3);
        });
        return new TableComparison(name, compared, differing[0], examples);
    }

    private long count(String query) {
        Long count = jdbc.queryForObject(sql(query), Long.class);
        return count == null ? 0 : count;
    }

    private String sql(String template) {
        return template.replace("{r}", rebuilt).replace("{l}", live);
    }
}
