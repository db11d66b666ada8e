package io.payledger.query.rebuild;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Rows in PostgreSQL's COPY text format, built up in memory and handed to a COPY statement as bytes: columns
 * separated by tabs, rows ended by newlines, {@code \N} for null, and backslash, tab, newline and carriage return
 * escaped inside values. bytea travels as hex ({@code \\x...}).
 */
final class CopyRows {

    private static final HexFormat HEX = HexFormat.of();

    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean rowStarted;
    private int rows;

    CopyRows text(String value) {
        separate();
        if (value == null) {
            text.append("\\N");
            return this;
        }
        if (value.indexOf('\\') < 0 && value.indexOf('\t') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            text.append(value); // nearly every value: ids, codes, timestamps, JSON without control characters
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return this;
    }

    CopyRows number(long value) {
        separate();
        text.append(value);
        return this;
    }

    CopyRows bytes(byte[] value) {
        separate();
        HEX.formatHex(text.append("\\\\x"), value);
        return this;
    }

    void endRow() {
        text.append('\n');
        rowStarted = false;
        rows++;
    }

    int rows() {
        return rows;
    }

    /** Characters held so far, to decide when to hand them over. */
    int length() {
        return text.length();
    }

    /** The rows as COPY reads them; the builder is empty afterwards. */
    byte[] take() {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        rows = 0;
        return bytes;
    }

    private void separate() {
        if (rowStarted) {
            text.append('\t');
        }
        rowStarted = true;
    }
}
