package io.tandem.backend.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static String row(String... fields) {
        StringBuilder out = new StringBuilder();
        Csv.appendRow(out, Arrays.asList(fields));
        return out.toString();
    }

    @Test
    void plainFieldsAreNotQuotedAndRowsEndWithCrlf() {
        assertThat(row("1001", "1002", "normal")).isEqualTo("1001,1002,normal\r\n");
    }

    @Test
    void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
        // RFC 4180 §2.6 and §2.7
        assertThat(row("Smith, John", "say \"hi\"", "two\r\nlines", "lf\nonly"))
                .isEqualTo("\"Smith, John\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"lf\nonly\"\r\n");
    }

    @Test
    void emptyAndMissingFieldsStayEmpty() {
        assertThat(row("", null, "x")).isEqualTo(",,x\r\n");
        StringBuilder out = new StringBuilder();
        Csv.appendRow(out, List.of());
        assertThat(out.toString()).isEqualTo("\r\n");
    }
}
