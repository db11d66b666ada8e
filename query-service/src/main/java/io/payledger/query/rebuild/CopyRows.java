package io.payledger.query.rebuild;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's COPY text format, built up in memory as the UTF-8 bytes COPY reads and handed to a COPY
 * statement without another copy: columns separated by tabs, rows ended by newlines, {@code \N} for null, and
 * backslash, tab, newline and carriage return escaped inside values. bytea travels as hex ({@code \\x...}).
 * A rebuild writes a million rows through here, so nothing is made per value that need not be: no intermediate
 * strings, and the buffer is reused.
 */
final class CopyRows {

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buffer = new byte[1 << 16];
    private int length;
    private boolean rowStarted;
    private int rows;

    CopyRows text(String value) {
        if (value == null) {
            separate();
            append((byte) '\\');
            append((byte) 'N');
            return this;
        }
        return utf8(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A text value already encoded as UTF-8 (JSON as a serialiser writes it); escaped as {@link #text} would. */
    CopyRows utf8(byte[] value) {
        separate();
        int escapes = 0;
        for (byte b : value) {
            // none of the four can be part of a multi-byte UTF-8 sequence, whose bytes are all 0x80 or above
            if (b == '\\' || b == '\t' || b == '\n' || b == '\r') {
                escapes++;
            }
        }
        if (escapes == 0) {
            append(value);
            return this;
        }
        ensure(value.length + escapes);
        for (byte b : value) {
            switch (b) {
                case '\\' -> { buffer[length++] = '\\'; buffer[length++] = '\\'; }
                case '\t' -> { buffer[length++] = '\\'; buffer[length++] = 't'; }
                case '\n' -> { buffer[length++] = '\\'; buffer[length++] = 'n'; }
                case '\r' -> { buffer[length++] = '\\'; buffer[length++] = 'r'; }
                default -> buffer[length++] = b;
            }
        }
        return this;
    }

    CopyRows number(long value) {
        separate();
        append(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    CopyRows bytes(byte[] value) {
        separate();
        ensure(3 + 2 * value.length);
        buffer[length++] = '\\';
        buffer[length++] = '\\';
        buffer[length++] = 'x';
        for (byte b : value) {
            buffer[length++] = HEX_DIGITS[(b >> 4) & 0xf];
            buffer[length++] = HEX_DIGITS[b & 0xf];
        }
        return this;
    }

    void endRow() {
        append((byte) '\n');
        rowStarted = false;
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Bytes held so far, to decide when to hand them over. */
    int length() {
        return length;
    }

    /** The rows as COPY reads them (a copy, for tests); the rows are empty afterwards. */
    byte[] take() {
        byte[] taken = Arrays.copyOf(buffer, length);
        clear();
        return taken;
    }

    /** Hands the rows to an open COPY straight from the buffer; the rows are empty afterwards. */
    void handTo(CopyIn copy) throws SQLException {
        if (rowStarted) {
            throw new IllegalStateException("a row is half written");
        }
        copy.writeToCopy(buffer, 0, length);
        clear();
    }

    private void clear() {
        length = 0;
        rows = 0;
        rowStarted = false;
    }

    private void separate() {
        if (rowStarted) {
            append((byte) '\t');
        }
        rowStarted = true;
    }

    private void append(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
