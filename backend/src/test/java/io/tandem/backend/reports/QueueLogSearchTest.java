package io.tandem.backend.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueueLogSearchTest {

    private static QueueLogEntry line(String call, String queue, String agent, String event, String data2) {
        return new QueueLogEntry("0-0", Instant.EPOCH, call, queue, agent, event, "", data2, "", "", "");
    }

    @Test
    void aCallerSearchKeepsEveryLineOfThatCallersCalls() {
        QueueLogSearch search = new QueueLogSearch(null, null, "555");
        assertThat(search.keeps(line("a", "7000", "NONE", "ENTERQUEUE", "+15551234"))).isTrue();
        assertThat(search.keeps(line("b", "7000", "NONE", "ENTERQUEUE", "1050"))).isFalse();
        assertThat(search.keeps(line("a", "7000", "1001", "CONNECT", ""))).isTrue();
        assertThat(search.keeps(line("b", "7000", "1001", "CONNECT", ""))).isFalse();
    }

    @Test
    void queueAndAgentMustBothMatchAndBlankMeansAny() {
        QueueLogSearch search = new QueueLogSearch("7000", "1001", " ");
        assertThat(search.keeps(line("a", "7000", "1001", "CONNECT", ""))).isTrue();
        assertThat(search.keeps(line("a", "7001", "1001", "CONNECT", ""))).isFalse();
        assertThat(search.keeps(line("a", "7000", "1002", "CONNECT", ""))).isFalse();
        assertThat(new QueueLogSearch("", null, null).keeps(line("a", "7001", "NONE", "ABANDON", ""))).isTrue();
    }
}
