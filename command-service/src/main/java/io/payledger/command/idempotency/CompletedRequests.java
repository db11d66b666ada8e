package io.payledger.command.idempotency;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Idempotency records written already completed, many in one statement, inside the caller's transaction: the grouped
 * creation path stores each request's answer with its effects instead of reserving the key first. A key already held
 * (by an earlier request, or by another request of the same group) is left as it is; the caller then answers that
 * request the way {@link IdempotentRequests} answers a key it finds taken.
 */
@Repository
public class CompletedRequests {

    private final JdbcTemplate jdbc;

    CompletedRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return the holders whose request now owns its key; the others found their key taken */
    public Set<UUID> store(List<CompletedRequest> requests) {
        if (requests.isEmpty()) {
            return Set.of();
        }
        // one order on every replica, so two groups that share keys wait for each other instead of deadlocking
        List<CompletedRequest> ordered = requests.stream()
                .sorted((a, b) -> {
                    int merchant = a.key().merchant().value().compareTo(b.key().merchant().value());
                    return merchant != 0 ? merchant : a.key().key().compareTo(b.key().key());
                })
                .toList();
        Set<UUID> owners = new HashSet<>();
        jdbc.query(connection -> {
            PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO idempotency_key (merchant_id, idempotency_key, request_hash, state, locked_until, holder,
                                                 response_status, response_location, response_body, completed_at)
                    SELECT merchant_id, idempotency_key, request_hash, 'completed', now(), holder,
                           response_status, response_location, response_body, now()
                    FROM unnest(?::varchar[], ?::varchar[], ?::char(64)[], ?::uuid[], ?::integer[], ?::varchar[], ?::text[])
                         WITH ORDINALITY AS r(merchant_id, idempotency_key, request_hash, holder, response_status,
                                              response_location, response_body, position)
                    ORDER BY position
                    ON CONFLICT DO NOTHING
                    RETURNING holder""");
            insert.setArray(1, array(connection, "varchar", ordered.stream().map(r -> r.key().merchant().value())));
            insert.setArray(2, array(connection, "varchar", ordered.stream().map(r -> r.key().key())));
            insert.setArray(3, array(connection, "varchar", ordered.stream().map(r -> r.key().requestHash())));
            insert.setArray(4, array(connection, "uuid", ordered.stream().map(CompletedRequest::holder)));
            insert.setArray(5, array(connection, "integer", ordered.stream().map(CompletedRequest::status)));
            insert.setArray(6, array(connection, "varchar", ordered.stream().map(CompletedRequest::location)));
            insert.setArray(7, array(connection, "text", ordered.stream().map(CompletedRequest::body)));
            return insert;
        }, row -> {
            owners.add(row.getObject(1, UUID.class));
        });
        return owners;
    }

    /** Gives back the keys of requests that did not go through after all: their group stores nothing for them. */
    public void remove(List<CompletedRequest> requests) {
        if (requests.isEmpty()) {
            return;
        }
        jdbc.update(connection -> {
            PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM idempotency_key k
                    USING unnest(?::varchar[], ?::varchar[], ?::uuid[]) AS r(merchant_id, idempotency_key, holder)
                    WHERE k.merchant_id = r.merchant_id AND k.idempotency_key = r.idempotency_key AND k.holder = r.holder""");
            delete.setArray(1, array(connection, "varchar", requests.stream().map(r -> r.key().merchant().value())));
            delete.setArray(2, array(connection, "varchar", requests.stream().map(r -> r.key().key())));
            delete.setArray(3, array(connection, "uuid", requests.stream().map(CompletedRequest::holder)));
            return delete;
        });
    }

    private static Array array(Connection connection, String type, java.util.stream.Stream<?> values) throws SQLException {
        return connection.createArrayOf(type, values.toArray());
    }
}
