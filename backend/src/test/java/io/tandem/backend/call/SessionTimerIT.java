package io.tandem.backend.call;

import static io.tandem.backend.call.Phone.next;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.tandem.backend.TestNode;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import io.tandem.telephony.testing.Await;
import io.tandem.telephony.testing.RedisServer;
import io.tandem.telephony.ua.Call;
import io.tandem.telephony.ua.CallState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RFC 4028 session timers on a node whose Min-SE is lowered for the test ({@code tandem.sip.min-session-expires}):
 * an interval below it gets 422 and nothing rings; a caller that refreshes keeps its call, one the node refreshes by
 * UPDATE too, and a caller that stops refreshing is hung up on both sides and recorded as {@code session-expired}.
 */
class SessionTimerIT {

    @RegisterExtension
    static final RedisServer redis = new RedisServer();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anIntervalBelowMinSeIsRefusedWith422AndNothingRings() throws Exception {
        try (TestNode node = Cluster.node(redis, "st1", "tandem.sip.min-session-expires=4s",
                "tandem.sip.session-expires=12s");
             Phone caller = Phone.registered(node, "1001", 1000, 440);
             Phone callee = Phone.registered(node, "1002", 440, 1000).answering()) {
            Call call = caller.dial("sip:1002@127.0.0.1:" + node.sipPort(),
                    Map.of("Supported", "timer", "Session-Expires", "2"));
            caller.awaitState(call, CallState.ENDED);
            assertThat(call.endStatus()).isEqualTo(422);
            assertThat(callee.incoming).as("nothing rang").isEmpty();
        }
    }

    @Test
    void aCallWhoseRefreshStopsIsEndedWhileRefreshedCallsStayUp() throws Exception {
        try (TestNode node = Cluster.node(redis, "st2", "tandem.sip.min-session-expires=4s",
                "tandem.sip.session-expires=12s");
             Phone refreshing = Phone.registered(node, "1003", 1000, 440);
             Phone refreshed = Phone.registered(node, "1004", 1000, 440);
             Phone vanishing = Phone.registered(node, "1005", 1000, 440);
             Phone first = Phone.registered(node, "1006", 440, 1000).answering();
             Phone second = Phone.registered(node, "1007", 440, 1000).answering();
             Phone third = Phone.registered(node, "1008", 440, 1000).answering()) {
            String uri = "sip:%s@127.0.0.1:" + node.sipPort();
            // The caller refreshes by re-INVITE at half the interval.
            Call a = refreshing.dial(uri.formatted("1006"),
                    Map.of("Supported", "timer", "Session-Expires", "12;refresher=uac"));
            refreshing.awaitState(a, CallState.CONNECTED);
            Call aFar = next(first.incoming, "1006 rings");
            // The caller asks the node to refresh: UPDATEs come from it.
            Call b = refreshed.dial(uri.formatted("1007"),
                    Map.of("Supported", "timer", "Session-Expires", "12;refresher=uas"));
            refreshed.awaitState(b, CallState.CONNECTED);
            Call bFar = next(second.incoming, "1007 rings");
            // The same interval, started last, never refreshed: a phone that vanished without a BYE.
            Call c = vanishing.dial(uri.formatted("1008"),
                    Map.of("Supported", "timer", "Session-Expires", "12;refresher=uac"));
            c.stopSessionRefresh();
            vanishing.awaitState(c, CallState.CONNECTED);
            Call cFar = next(third.incoming, "1008 rings");

            vanishing.awaitState(c, CallState.ENDED);
            third.awaitState(cFar, CallState.ENDED);
            Map<String, String> record = Await.value("the expired call's record", WAIT, () -> node.bean(Redis.class)
                    .commands().xrange(Keys.cdr("demo"), Range.create("-", "+")).stream()
                    .map(StreamMessage::getBody).filter(m -> c.id().equals(m.get("callId"))).findFirst());
            assertThat(record).containsEntry("endCause", "session-expired").containsEntry("hungUpBy", "system");

            // Both other calls began earlier with the same interval: only their refreshes kept them.
            assertThat(a.state()).isEqualTo(CallState.CONNECTED);
            assertThat(aFar.state()).isEqualTo(CallState.CONNECTED);
            assertThat(b.state()).isEqualTo(CallState.CONNECTED);
            assertThat(bFar.state()).isEqualTo(CallState.CONNECTED);
            Await.until("an UPDATE from the node refreshed 1004's call", WAIT, () -> b.sessionRefreshesReceived() > 0);
            a.hangup();
            b.hangup();
            first.awaitState(aFar, CallState.ENDED);
            second.awaitState(bFar, CallState.ENDED);
        }
    }
}
