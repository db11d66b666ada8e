package io.payledger.query.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    private static String taken(CopyRows rows) {
        return new String(rows.take(), StandardCharsets.UTF_8);
    }

    @Test
    void plainValuesGoAsTheyAreSeparatedByTabsWithNullAsBackslashN() {
        CopyRows rows = new CopyRows();
        rows.text("pay_1").number(-42).text(null).text("").text("{\"a\": \"ü\"}").endRow();

        assertThat(taken(rows)).isEqualTo("pay_1\t-42\t\\N\t\t{\"a\": \"ü\"}\n");
    }

    @Test
    void backslashTabNewlineAndCarriageReturnInsideAValueAreEscaped() {
        CopyRows rows = new CopyRows();
        rows.text("a\\b\tc\nd\re").endRow();

        assertThat(taken(rows)).isEqualTo("a\\\\b\\tc\\nd\\re\n");
    }

    @Test
    void bytesTravelAsByteaHexWithTheBackslashEscapedForCopy() {
        CopyRows rows = new CopyRows();
        rows.bytes(new byte[] {0x7b, 0x00, (byte) 0xff}).text("x").endRow();

        assertThat(taken(rows)).isEqualTo("\\\\x7b00ff\tx\n");
    }

    @Test
    void takingEmptiesTheRowsForTheNextHandOver() {
        CopyRows rows = new CopyRows();
        rows.text("one").endRow();
        assertThat(rows.rows()).isEqualTo(1);
        taken(rows);

        rows.text("two").endRow();
        assertThat(taken(rows)).isEqualTo("two\n");
    }
}
