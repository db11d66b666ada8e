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
    void eachOfTheFourCharactersIsEscapedAloneInTextAndInUtf8Bytes() {
        for (String special : new String[] {"\\", "\t", "\n", "\r"}) {
            String value = "a" + special + "ü";
            CopyRows text = new CopyRows();
            text.text(value).endRow();
            CopyRows bytes = new CopyRows();
            bytes.utf8(value.getBytes(StandardCharsets.UTF_8)).endRow();

            String expected = "a" + switch (special) {
                case "\\" -> "\\\\";
                case "\t" -> "\\t";
                case "\n" -> "\\n";
                default -> "\\r";
            } + "ü\n";
            assertThat(taken(text)).as("text %s", special).isEqualTo(expected);
            assertThat(taken(bytes)).as("utf8 %s", special).isEqualTo(expected);
        }
    }

    @Test
    void utf8BytesWithoutSpecialCharactersGoAsTheyAre() {
        CopyRows rows = new CopyRows();
        rows.utf8("{\"name\": \"Aisyah\", \"city\": \"Kota Bharu ü\"}".getBytes(StandardCharsets.UTF_8)).number(7).endRow();

        assertThat(taken(rows)).isEqualTo("{\"name\": \"Aisyah\", \"city\": \"Kota Bharu ü\"}\t7\n");
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
