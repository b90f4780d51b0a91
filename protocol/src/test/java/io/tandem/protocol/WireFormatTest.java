package io.tandem.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.callback.DirectMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private final ObjectMapper mapper = Protocol.mapper();

    @Test
    void agentStatesAreWrittenAsTheirWireNames() throws Exception {
        assertThat(mapper.writeValueAsString(AgentState.NOT_READY)).isEqualTo("\"not-ready\"");
        assertThat(mapper.readValue("\"on-call\"", AgentState.class)).isEqualTo(AgentState.ON_CALL);
    }

    @Test
    void aLiveCallSaysItsStateByWireNameAndAnEntryWithoutOneIsAConnectedQueueCall() throws Exception {
        LiveCall ticket = new LiveCall("ticket-tk-1", "7002", "2001", "<b>Eve</b>", "1011", "n1", "n2", 0, null,
                LiveCall.State.TICKET_DIALLING, 1_000);
        String json = mapper.writeValueAsString(ticket);
        assertThat(json).contains("\"state\":\"ticket-dialling\"", "\"callerName\":\"<b>Eve</b>\"",
                "\"startedAt\":1000", "\"answeredAt\":0");
        assertThat(mapper.readValue(json, LiveCall.class)).isEqualTo(ticket);
        assertThat(LiveCall.State.TICKET_DIALLING.monitorable()).isFalse();
        assertThat(LiveCall.State.PARKED.monitorable()).isFalse();
        assertThat(LiveCall.State.CALLBACK.monitorable()).isTrue();

        // written by a node from before the states: a connected queue call, listed since its answer
        LiveCall old = mapper.readValue("{\"callId\":\"c-1\",\"queue\":\"7000\",\"callerNumber\":\"1\","
                + "\"agentId\":\"1011\",\"callerNode\":\"n1\",\"agentNode\":\"n1\",\"answeredAt\":42}",
                LiveCall.class);
        assertThat(old.state()).isEqualTo(LiveCall.State.CONNECTED);
        assertThat(old.startedAt()).isEqualTo(42);
    }

    @Test
    void anOfferSurvivesAnEnvelopeRoundTripWithTimesAsText() throws Exception {
        Offer offer = new Offer("o-1", "c-1", "7000", "support", "+4930123", "Ada", 42, 20, Map.of("crm", "77"));
        Instant at = Instant.parse("2026-11-29T12:00:00Z");
        String json = mapper.writeValueAsString(Envelope.of(mapper, MessageType.OFFER, "1-0", at, offer));

        assertThat(json).contains("\"v\":1", "\"type\":\"offer\"", "\"at\":\"2026-11-29T12:00:00Z\"");
        Envelope back = mapper.readValue(json, Envelope.class);
        assertThat(back.payloadAs(mapper, Offer.class)).isEqualTo(offer);
        assertThat(back.at()).isEqualTo(at);
    }

    @Test
    void aCallbackWakeKeepsEveryFieldFromTheServicesEventToTheSoftphonesEnvelope() throws Exception {
        CallbackWake wake = new CallbackWake("r-1", "+4930123", "<b>Eve</b>", "7002", 83, "tok.sig",
                "sip:join*tok.sig@127.0.0.1:5060");

        CallbackWake viaEvent = CallbackWake.of(wake.fields());
        Envelope back = mapper.readValue(mapper.writeValueAsString(
                Envelope.of(mapper, MessageType.CALLBACK_WAKE, "", Instant.EPOCH, viaEvent)), Envelope.class);

        assertThat(back.type()).isEqualTo("callback.wake");
        assertThat(back.payloadAs(mapper, CallbackWake.class)).isEqualTo(wake);
        assertThat(CallbackWakeEnded.of(new CallbackWakeEnded("r-1").fields()).room()).isEqualTo("r-1");
    }

    @Test
    void aDirectMessageIsALiveEventForOneAgentWithoutAStreamId() {
        Map<String, Object> live = new DirectMessage(MessageType.CALLBACK_WAKE, "1011", "svc-a", 5,
                Map.of("room", "r-1")).live();

        assertThat(live).doesNotContainKey("id").containsEntry("kind", "callback.wake")
                .containsEntry("agentId", "1011").containsEntry("node", "svc-a").containsEntry("at", "5")
                .containsEntry("fields", Map.of("room", "r-1"));
        assertThatThrownBy(() -> new DirectMessage(MessageType.CALLBACK_WAKE, "", "svc-a", 5, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsANewerNodeAddsAreIgnored() throws Exception {
        String json = """
                {"agentId":"1001","state":"available","version":3,"node":"n1","queues":["7000"],"mood":"good"}""";
        AgentStatus status = mapper.readValue(json, AgentStatus.class);
        assertThat(status.state()).isEqualTo(AgentState.AVAILABLE);
        assertThat(status.queues()).containsExactly("7000");
        assertThat(status.reason()).isEmpty();
    }

    @Test
    void aLoginCarriesTheNodesInOrderOfPreference() throws Exception {
        AgentLogin login = new AgentLogin("t", "demo", "1001", "Agent 1001", new SipAccount("1001", "demo", "demo"),
                List.of(new NodeEndpoint("n1", "sip:127.0.0.1:5060", "http://127.0.0.1:8080"),
                        new NodeEndpoint("n2", "sip:127.0.0.1:5062", "http://127.0.0.1:8082")),
                List.of("break", "training"), Instant.parse("2026-11-29T20:00:00Z"), null);
        AgentLogin back = mapper.readValue(mapper.writeValueAsString(login), AgentLogin.class);
        assertThat(back.nodes()).extracting(NodeEndpoint::id).containsExactly("n1", "n2");
        assertThat(back).isEqualTo(login);
    }

    @Test
    void aPayloadOfTheWrongShapeIsNamedInTheError() throws Exception {
        Envelope envelope = mapper.readValue("{\"v\":1,\"type\":\"offer\",\"payload\":{\"waitedSeconds\":\"soon\"}}",
                Envelope.class);
        assertThatThrownBy(() -> envelope.payloadAs(mapper, Offer.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'offer'").hasMessageContaining("Offer");
    }
}
