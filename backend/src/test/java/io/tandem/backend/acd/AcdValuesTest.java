package io.tandem.backend.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.backend.acd.agents.AgentSessions;
import io.tandem.backend.acd.events.LiveEvent;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.protocol.AgentState;
import io.tandem.protocol.Protocol;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue definitions, ACD settings, wire names and stream ids, without I/O. */
class AcdValuesTest {

    private static final ObjectMapper JSON = Protocol.mapper();
    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void aMinimalQueueGetsTheDocumentedDefaults() throws Exception {
        QueueDefinition queue = JSON.readValue("""
                {"number":"7000","name":"support","strategy":"ring-all","members":[{"agent":"1001"}]}""",
                QueueDefinition.class);
        assertThat(queue.ringTimeoutSeconds()).isEqualTo(15);
        assertThat(queue.serviceLevelSeconds()).isEqualTo(20);
        assertThat(queue.members().get(0).tier()).isEqualTo(1);
        assertThat(queue.overflow().kind()).isEqualTo("none");
        assertThat(queue.musicOnHold()).isEqualTo("default");
        assertThat(VALIDATOR.validate(queue)).isEmpty();
        assertThat(JSON.writeValueAsString(queue)).contains("\"strategy\":\"ring-all\"");
    }

    @Test
    void invalidQueuesNameTheField() throws Exception {
        QueueDefinition queue = JSON.readValue("""
                {"number":"7 000","name":"x","strategy":"linear","exitKey":"12",
                 "overflow":{"kind":"voicemail"},"members":[{"agent":"1001","tier":12}]}""", QueueDefinition.class);
        assertThat(VALIDATOR.validate(queue)).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("number", "exitKey", "overflow.kind", "members[0].tier");
        assertThatThrownBy(() -> JSON.readValue("{\"number\":\"1\",\"name\":\"x\",\"strategy\":\"loudest\"}",
                QueueDefinition.class)).hasMessageContaining("loudest");
    }

    @Test
    void settingsRefuseNonsense() {
        assertThatThrownBy(() -> new AcdProperties(List.of("Coffee Break"), Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30), 50, 10, 1000, 1000, "", true))
                .hasMessageContaining("not-ready-reasons");
        assertThatThrownBy(() -> new AcdProperties(List.of(), Duration.ZERO, Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30), 50, 10, 1000, 1000, "", true))
                .hasMessageContaining("positive");
    }

    @Test
    void wireNamesMatchTheProtocol() throws Exception {
        for (AgentState state : AgentState.values()) {
            assertThat(JSON.writeValueAsString(state)).isEqualTo("\"" + AgentSessions.wire(state) + "\"");
            assertThat(AgentSessions.state(AgentSessions.wire(state))).isEqualTo(state);
        }
        for (Strategy strategy : Strategy.values()) {
            assertThat(JSON.writeValueAsString(strategy)).isEqualTo("\"" + strategy.wireName() + "\"");
        }
    }

    @Test
    void streamIdsCompareByTimeThenSequence() {
        assertThat(LiveEvent.compareIds("1764410000000-2", "1764410000000-10")).isNegative();
        assertThat(LiveEvent.compareIds("1764410000001-0", "1764410000000-99")).isPositive();
        assertThat(LiveEvent.compareIds("5-5", "5-5")).isZero();
    }

    @Test
    void aSessionRecordDecodesToTheWireStatus() {
        var status = AgentSessions.decode("1001", Map.of("state", "wrap-up", "version", "7", "since", "1000",
                "wrapUntil", "31000", "leaseUntil", "", "node", "n2", "queues", "7000,7001"));
        assertThat(status.state()).isEqualTo(AgentState.WRAP_UP);
        assertThat(status.version()).isEqualTo(7);
        assertThat(status.wrapUpUntil().toEpochMilli()).isEqualTo(31000);
        assertThat(status.leaseUntil()).isNull();
        assertThat(status.queues()).containsExactly("7000", "7001");
        assertThat(AgentSessions.decode("1002", Map.of()).state()).isEqualTo(AgentState.LOGGED_OUT);
    }
}
