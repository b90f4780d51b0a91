package io.tandem.backend.call;

import static io.tandem.backend.TestNode.ADMIN;
import static io.tandem.backend.TestNode.PASSWORD;
import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.TestNode;
import io.tandem.backend.cdr.CallRecords;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node whose SIP work queue is bounded to nothing (one handler thread, limit 0) under a flood of new REGISTERs and
 * INVITEs: they are answered 503 with the configured Retry-After (RFC 3261 §21.5.4) and counted, while the BYE of a
 * call already up still ends it on both sides.
 */
class OverloadIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aFloodOfNewWorkGets503WithRetryAfterWhileAByeStillEndsACall() throws Exception {
        Instant before = Instant.now();
        try (TestNode node = Cluster.node(redis, "overload", "tandem.sip.threads=1", "tandem.sip.work-queue-limit=0",
                "tandem.sip.overload-retry-after=7s");
             Phone caller = Phone.registered(node, "1001", 1000, 440);
             Phone callee = Phone.registered(node, "1002", 440, 1000).answering()) {
            Call call = caller.dial(node, "1002");
            Call answered = next(callee.incoming, "1002 rings");
            caller.awaitState(call, CallState.CONNECTED);

            try (SipFlood flood = new SipFlood(node.sipPort())) {
                Await.until("new REGISTERs and INVITEs are refused with 503", WAIT,
                        () -> flood.answered(503, "REGISTER") > 0 && flood.answered(503, "INVITE") > 0,
                        () -> "sent " + flood.sent());
                // The queue is past its limit now and the flood goes on: the BYE must pass all the same.
                call.hangup();
                callee.awaitState(answered, CallState.ENDED);
                caller.awaitState(call, CallState.ENDED);
                assertThat(flood.retryAfters()).containsExactly("7");
            }

            Await.until("the call is recorded as ended by the caller", WAIT,
                    () -> node.bean(CallRecords.class).ended("demo", before, Instant.now().plusSeconds(5)).stream()
                            .anyMatch(r -> r.to().equals("1002")));
            assertThat(node.bean(CallRecords.class).ended("demo", before, Instant.now().plusSeconds(5)))
                    .filteredOn(r -> r.to().equals("1002")).singleElement()
                    .satisfies(r -> assertThat(r.hungUpBy()).isEqualTo("caller"));
            String metrics = node.api().get("/actuator/prometheus", ADMIN, PASSWORD).body();
            assertThat(refused(metrics, "REGISTER")).isPositive();
            assertThat(refused(metrics, "INVITE")).isPositive();
        }
    }

    private static double refused(String metrics, String method) {
        Matcher m = Pattern.compile("tandem_sip_overload_refused_total\\{[^}]*method=\"" + method + "\"[^}]*} (\\S+)")
                .matcher(metrics);
        assertThat(m.find()).as("tandem_sip_overload_refused_total for " + method + " in\n" + metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
