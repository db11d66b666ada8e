package io.payledger.systemtests.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A logical backup of one service database, taken the way pg_dump takes its data: every table
 * copied out with COPY (binary) inside one repeatable-read snapshot, so the tables agree with each
 * other, with each sequence's position and the schema's Flyway version in a manifest. The schema
 * itself is the service's migrations: a restore migrates an empty database to the same version
 * (as the chart's migration Job does) and copies the data back in, checking every table's row
 * count and SHA-256 against the manifest. Java and PgJDBC are all it needs, so the drill runs
 * wherever the build does (the embedded PostgreSQL ships no pg_dump).
 */
public final class DatabaseBackup {

    /** One table's data file. */
    public record Table(String name, long rows, String sha256) { }

    /** What a backup holds. */
    public record Manifest(String database, Instant takenAt, String schemaVersion, List<Table> tables,
                           Map<String, Long> sequences) { }

    private static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private DatabaseBackup() {
    }

    /** Something to read in the backup's snapshot, such as an audit of what is being backed up. */
    public interface InSnapshot {
        void read(Connection snapshot) throws SQLException, IOException;
    }

    /**
     * Copies every table of the database (but Flyway's history) into {@code directory}, then runs
     * {@code alsoRead} in the same snapshot: what it reads is exactly what the backup holds.
     */
    public static Manifest take(String jdbcUrl, String user, String password, Path directory, InSnapshot alsoRead) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            Files.createDirectories(directory);
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            List<Table> tables = new ArrayList<>();
            for (String table : tables(connection)) {
                long rows = count(connection, table);
                MessageDigest sha256 = sha256();
                try (OutputStream file = new DigestOutputStream(Files.newOutputStream(directory.resolve(table + ".copy")), sha256)) {
                    copy.copyOut("COPY " + quoted(table) + " TO STDOUT (FORMAT binary)", file);
                }
                tables.add(new Table(table, rows, HexFormat.of().formatHex(sha256.digest())));
            }
            Map<String, Long> sequences = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(
                         "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")) {
                while (rows.next()) {
                    long last = rows.getLong(2);
                    if (!rows.wasNull()) {
                        sequences.put(rows.getString(1), last);
                    }
                }
            }
            Manifest manifest = new Manifest(database(jdbcUrl), Instant.now(), schemaVersion(connection), tables, sequences);
            alsoRead.read(connection);
            connection.commit();
            JSON.writeValue(directory.resolve(MANIFEST).toFile(), manifest);
            return manifest;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("backup of " + database(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
    }

    public static Manifest manifest(Path directory) {
        try {
            return JSON.readValue(directory.resolve(MANIFEST).toFile(), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies a backup into a database already migrated to the backup's schema version, in one
     * transaction: every file is checked against its checksum before anything is written, and each
     * table against its row count after.
     * Triggers are off while it runs (session_replication_role = replica: a superuser's setting), as in
     * pg_restore's data-only mode, so the order of tables does not matter.
     */
    public static void restore(Path directory, String jdbcUrl, String user, String password) {
        Manifest manifest = manifest(directory);
        for (Table table : manifest.tables()) {
            String actual = checksum(directory.resolve(table.name() + ".copy"));
            if (!actual.equals(table.sha256())) {
                throw new IllegalStateException(table.name() + ".copy does not match its checksum: the backup is damaged");
            }
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            connection.setAutoCommit(false);
            String version = schemaVersion(connection);
            if (!manifest.schemaVersion().equals(version)) {
                throw new IllegalStateException("the backup is of schema version " + manifest.schemaVersion()
                        + ", the target database is at " + version);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL session_replication_role = replica");
            }
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (Table table : manifest.tables()) {
                try (InputStream file = Files.newInputStream(directory.resolve(table.name() + ".copy"))) {
                    copy.copyIn("COPY " + quoted(table.name()) + " FROM STDIN (FORMAT binary)", file);
                }
                long rows = count(connection, table.name());
                if (rows != table.rows()) {
                    throw new IllegalStateException(table.name() + " has " + rows + " rows after the restore, the backup " + table.rows());
                }
            }
            for (Map.Entry<String, Long> sequence : manifest.sequences().entrySet()) {
                try (var setval = connection.prepareStatement("SELECT setval(?::regclass, ?)")) {
                    setval.setString(1, quoted(sequence.getKey()));
                    setval.setLong(2, sequence.getValue());
                    setval.execute();
                }
            }
            connection.commit();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("restore into " + database(jdbcUrl) + " failed: " + e.getMessage(), e);
        }
    }

    private static String checksum(Path file) {
        MessageDigest sha256 = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'
                     ORDER BY tablename""")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static String schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                     ORDER BY installed_rank DESC LIMIT 1""")) {
            return rows.next() ? rows.getString(1) : "none";
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + quoted(table))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String database(String jdbcUrl) {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
