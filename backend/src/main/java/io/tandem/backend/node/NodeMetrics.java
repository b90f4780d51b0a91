package io.tandem.backend.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import java.util.function.ToDoubleFunction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every meter of a node, registered at start so Prometheus shows them before the first call.
 * The SIP side (registrar, B2BUA, media) calls the methods; they are cheap and lock-free, safe on I/O threads.
 */
public final class NodeMetrics {

    private static final String[] RESPONSE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

    private final AtomicInteger registrations = new AtomicInteger();
    private final AtomicInteger activeCalls = new AtomicInteger();
    private final Counter callAttempts;
    private final Counter[] responses = new Counter[RESPONSE_CLASSES.length];
    private final Counter rtpReceived;
    private final Counter rtpSent;
    private final Counter rtpLost;
    private final Counter srtpRefused;
    private final Counter malformedUdp;
    private final Counter malformedTcp;
    private final Counter blockedSources;
    private final Counter retransmissionsRepeated;
    private final Counter retransmissionsAbsorbed;
    private final MeterRegistry registry;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tandem.registrations", registrations, AtomicInteger::get)
                .description("Registration bindings held by this node").register(registry);
        Gauge.builder("tandem.calls.active", activeCalls, AtomicInteger::get)
                .description("Calls with a leg on this node").register(registry);
        callAttempts = Counter.builder("tandem.call.attempts")
                .description("INVITEs that started a call on this node").register(registry);
        for (int i = 0; i < RESPONSE_CLASSES.length; i++) {
            responses[i] = Counter.builder("tandem.sip.responses").tag("class", RESPONSE_CLASSES[i])
                    .description("SIP responses sent, by class").register(registry);
        }
        rtpReceived = Counter.builder("tandem.rtp.packets").tag("direction", "in")
                .description("RTP packets").register(registry);
        rtpSent = Counter.builder("tandem.rtp.packets").tag("direction", "out")
                .description("RTP packets").register(registry);
        rtpLost = Counter.builder("tandem.rtp.packets.lost")
                .description("RTP packets received but not relayed (no destination, unknown payload type, full "
                        + "socket buffer, codec that cannot be converted)").register(registry);
        srtpRefused = Counter.builder("tandem.srtp.refused")
                .description("SRTP/SRTCP packets from phones refused by the relay: failed authentication (forged, "
                        + "tampered, wrongly keyed), replayed, or too short (RFC 3711 §3.3)").register(registry);
        malformedUdp = Counter.builder("tandem.sip.malformed").tag("transport", "udp")
                .description("Malformed SIP messages dropped").register(registry);
        malformedTcp = Counter.builder("tandem.sip.malformed").tag("transport", "tcp")
                .description("Malformed SIP messages dropped").register(registry);
        blockedSources = Counter.builder("tandem.sip.blocked")
                .description("Requests refused because their source is temporarily blocked").register(registry);
        retransmissionsRepeated = Counter.builder("tandem.sip.retransmissions").tag("outcome", "repeated")
                .description("Retransmitted requests handled without a transaction (REGISTER over UDP): answered "
                        + "again with the kept answer, or absorbed while the first copy was being handled")
                .register(registry);
        retransmissionsAbsorbed = Counter.builder("tandem.sip.retransmissions").tag("outcome", "absorbed")
                .description("Retransmitted requests handled without a transaction (REGISTER over UDP): answered "
                        + "again with the kept answer, or absorbed while the first copy was being handled")
                .register(registry);
    }

    /**
     * A retransmission of a request answered without a server transaction: {@code repeated} when it got the kept
     * answer again, else absorbed because its first copy was still being handled (RFC 3261 §17.2.2).
     */
    public void retransmission(boolean repeated) {
        (repeated ? retransmissionsRepeated : retransmissionsAbsorbed).increment();
    }

    /**
     * Publishes what the SIP layer holds: the stack's server transactions (the overload valve refuses new work from
     * 80 % of {@code tandem.sip.max-server-transactions}) and the answers kept for stateless requests' retransmissions.
     */
    public void sipHeld(Object endpoint, ToDoubleFunction<Object> serverTransactions, Object router,
            ToDoubleFunction<Object> statelessAnswers) {
        Gauge.builder("tandem.sip.server.transactions", endpoint, serverTransactions)
                .description("Server transactions the SIP stack holds").register(registry);
        Gauge.builder("tandem.sip.stateless.answers", router, statelessAnswers)
                .description("Answers kept to repeat to retransmissions of requests handled without a transaction")
                .register(registry);
    }

    public void registrationAdded() {
        registrations.incrementAndGet();
    }

    public void registrationRemoved() {
        registrations.decrementAndGet();
    }

    public void callStarted() {
        callAttempts.increment();
        activeCalls.incrementAndGet();
    }

    public void callEnded() {
        activeCalls.decrementAndGet();
    }

    /** Calls with a leg on this node now; published in the membership heartbeat. */
    public int activeCalls() {
        return activeCalls.get();
    }

    public int registrations() {
        return registrations.get();
    }

    /** Counts one SIP response by class; status codes outside 100-699 are ignored. */
    public void sipResponse(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < responses.length) {
            responses[index].increment();
        }
    }

    /** SRTP packets a finished call's relay refused. */
    public void srtpRefused(long refused) {
        srtpRefused.increment(refused);
    }

    public void rtpPackets(long received, long sent, long lost) {
        rtpReceived.increment(received);
        rtpSent.increment(sent);
        rtpLost.increment(lost);
    }

    public void malformedDropped(boolean tcp) {
        (tcp ? malformedTcp : malformedUdp).increment();
    }

    /**
     * A SIP message this node meant to send and could not (the stack refused it, the transport failed), by what it
     * was: {@code invite}, {@code ack}, {@code cancel}, {@code bye}, {@code request}, {@code response}.
     */
    public void sipSendFailed(String what) {
        Counter.builder("tandem.sip.send.failures").tag("reason", what)
                .description("SIP messages that could not be sent, by what they were").register(registry).increment();
    }

    public void sourceBlocked() {
        blockedSources.increment();
    }

    /**
     * Publishes the SIP endpoint's own counters: messages its parser dropped as malformed (it cannot tell UDP from
     * TCP, hence a meter of its own beside {@code tandem.sip.malformed}) and requests refused by the request
     * validator before any feature saw them.
     */
    public void sipEndpoint(Object endpoint, ToDoubleFunction<Object> malformed, ToDoubleFunction<Object> rejected) {
        FunctionCounter.builder("tandem.sip.stack.malformed", endpoint, malformed)
                .description("SIP messages the stack's parser dropped as malformed (UDP and TCP)").register(registry);
        FunctionCounter.builder("tandem.sip.rejected", endpoint, rejected)
                .description("SIP requests refused by validation before any feature saw them").register(registry);
    }

    /**
     * Publishes the SIP endpoint's refusals for overload of one method ({@code INVITE} or {@code REGISTER}): answered
     * 503 with Retry-After because the stack's work queue was past {@code tandem.sip.work-queue-limit}.
     */
    public void overloadRefusals(Object endpoint, String method, ToDoubleFunction<Object> refused) {
        FunctionCounter.builder("tandem.sip.overload.refused", endpoint, refused).tag("method", method)
                .description("New calls and registrations answered 503 because the SIP stack was overloaded")
                .register(registry);
    }
}
