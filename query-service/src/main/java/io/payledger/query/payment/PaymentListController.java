package io.payledger.query.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payledger.events.payment.PaymentStatus;
import io.payledger.query.security.Reader;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /v1/payments}: a merchant's payments (finance: everyone's), newest first, filtered by
 * status, creation time and merchant reference, one page at a time with an opaque cursor. With
 * {@code attention=true}, only the payments with a step waiting for a person, each with its reason and the
 * actions allowed: operators see those of every merchant (and only those), merchants their own.
 */
@RestController
class PaymentListController {

    record Page(List<PaymentDocument> data, String nextCursor) { }

    private static final int MAX_LIMIT = 200;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    private static final List<String> STATUSES = java.util.Arrays.stream(PaymentStatus.values()).map(PaymentStatus::code).toList();

    PaymentListController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/v1/payments")
    Page payments(@AuthenticationPrincipal Jwt token,
                  @RequestParam(value = "status", required = false) String status,
                  @RequestParam(value = "createdFrom", required = false) Instant createdFrom,
                  @RequestParam(value = "createdTo", required = false) Instant createdTo,
                  @RequestParam(value = "merchantReference", required = false) String merchantReference,
                  @RequestParam(value = "attention", required = false) Boolean attention,
                  @RequestParam(value = "limit", defaultValue = "50") int limit,
                  @RequestParam(value = "cursor", required = false) String cursor) {
        Reader reader = Reader.of(token);
        boolean needingAPerson = Boolean.TRUE.equals(attention);
        if (!needingAPerson && !reader.mayListPayments()) {
            throw new AccessDeniedException("operators list only the payments that need attention (attention=true)");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + MAX_LIMIT);
        }
        if (status != null && STATUSES.stream().noneMatch(status::equals)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be one of " + STATUSES);
        }
        if (merchantReference != null && !merchantReference.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "merchantReference is 1-40 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "createdFrom must be before createdTo");
        }
        Cursor after;
        try {
            after = cursor == null ? null : Cursor.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        String merchant = reader.mayListPayments() ? reader.merchantScope() : null;
        List<Object> arguments = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT document::text, created_at, payment_id FROM payment_view WHERE true");
        if (merchant != null) {
            sql.append(" AND merchant_id = ?");
            arguments.add(merchant);
        }
        if (needingAPerson) {
            sql.append(" AND document ?? 'attention'");
        }
        if (status != null) {
            sql.append(" AND status = ?");
            arguments.add(status);
        }
        if (merchantReference != null) {
            sql.append(" AND merchant_reference = ?");
            arguments.add(merchantReference);
        }
        if (createdFrom != null) {
            sql.append(" AND created_at >= ?");
            arguments.add(Timestamp.from(createdFrom));
        }
        if (createdTo != null) {
            sql.append(" AND created_at < ?");
            arguments.add(Timestamp.from(createdTo));
        }
        if (after != null) {
            sql.append(" AND (created_at, payment_id) < (?, ?)");
            arguments.add(Timestamp.from(after.at()));
            arguments.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, payment_id DESC LIMIT ?");
        arguments.add(limit + 1);
        List<Object[]> rows = jdbc.query(sql.toString(), (row, n) -> new Object[] {row.getString(1),
                row.getTimestamp(2).toInstant(), row.getString(3)}, arguments.toArray());
        List<PaymentDocument> page = new ArrayList<>();
        for (Object[] row : rows.subList(0, Math.min(limit, rows.size()))) {
            page.add(read((String) row[0]));
        }
        String next = null;
        if (rows.size() > limit) {
            Object[] last = rows.get(limit - 1);
            next = new Cursor((Instant) last[1], (String) last[2]).encode();
        }
        return new Page(page, next);
    }

    private PaymentDocument read(String document) {
        try {
            return json.readValue(document, PaymentDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored payment view is unreadable", e);
        }
    }
}
