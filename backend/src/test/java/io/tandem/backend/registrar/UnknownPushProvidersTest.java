package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An unknown pn-provider is counted on every REGISTER and logged once per name, and made-up names stay bounded. */
class UnknownPushProvidersTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(UnknownPushProviders.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void eachProviderIsLoggedOnceAndEveryRegisterCounted() {
        UnknownPushProviders unknown = new UnknownPushProviders(meters);
        for (int i = 0; i < 5; i++) {
            unknown.seen("acme-push", "2001", "demo");
        }
        unknown.seen("other-push", "2002", "demo");
        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(0).getFormattedMessage()).contains("'acme-push'", "2001@demo");
        assertThat(meters.counter("tandem.registrar.push.unknown-provider").count()).isEqualTo(6);
    }

    @Test
    void beyondTheRememberedNamesOneMoreLineSaysSo() {
        UnknownPushProviders unknown = new UnknownPushProviders(meters);
        for (int i = 0; i < UnknownPushProviders.MAX_REMEMBERED + 10; i++) {
            unknown.seen("made-up-" + i, "2001", "demo");
        }
        assertThat(lines.list).hasSize(UnknownPushProviders.MAX_REMEMBERED + 1);
        assertThat(lines.list.get(lines.list.size() - 1).getFormattedMessage()).contains("only counted");
    }
}
