package io.tandem.backend.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A binding survives the trip through its Redis JSON, and counts its remaining seconds up. */
class BindingCodecTest {

    @Test
    void encodeThenDecodeGivesTheSameBinding() {
        Instant t = Instant.ofEpochMilli(1_763_926_166_123L);
        Binding b = new Binding("1001", "n1", "sip:1001@192.168.1.20:5060;transport=tcp",
                "sip:1001@203.0.113.7:41000;transport=tcp", "tcp", "203.0.113.7:41000", "Phone \"X\" / 1.0",
                "abc@host", 7, t, t.plusSeconds(5), t.plusSeconds(3600));
        assertThat(Bindings.decode("1001", Bindings.encode(b))).isEqualTo(b);
    }

    @Test
    void aPathSurvivesTheTripAndMakesTheBindingReachableThroughIt() {
        Instant t = Instant.ofEpochMilli(1_763_926_166_123L);
        List<String> path = List.of("<sip:203.0.113.1:5070;lr;received=sip:198.51.100.7%3A41000>");
        Binding b = new Binding("1001", "n1", "sip:1001@10.0.0.20:5060", "sip:1001@10.0.0.20:5060", "udp",
                "203.0.113.1:5070", "", "abc@host", 7, t, t, t.plusSeconds(3600), path);
        Binding decoded = Bindings.decode("1001", Bindings.encode(b));
        assertThat(decoded).isEqualTo(b);
        assertThat(decoded.viaPath()).isTrue();
        assertThat(decoded.path()).containsExactlyElementsOf(path);
        assertThat(Bindings.decode("1001", Bindings.encode(new Binding("1001", "n1", "sip:1001@h", "sip:1001@h",
                "udp", "h:1", "", "c", 1, t, t, t.plusSeconds(60)))).viaPath()).isFalse();
    }

    @Test
    void aRecordAsRegisterLuaRewritesItIsReadTheSame() {
        // register.lua decodes and re-encodes every record it keeps (cjson): fields in another order, numbers as
        // %.14g, escaped slashes, an empty path as {} and a field this version does not know must all read back.
        String lua = "{\"expiresAt\":1763929766123,\"path\":{},\"cseq\":7,\"node\":\"n1\",\"future\":{\"a\":[1]},"
                + "\"contact\":\"sip:1001@h\\/x\",\"reachable\":\"sip:1001@h\",\"transport\":\"udp\","
                + "\"source\":\"h:1\",\"userAgent\":\"\",\"callId\":\"c\",\"registeredAt\":1.7639261661230e+12,"
                + "\"updatedAt\":1763926166123}";
        Instant t = Instant.ofEpochMilli(1_763_926_166_123L);
        assertThat(Bindings.decode("1001", lua)).isEqualTo(new Binding("1001", "n1", "sip:1001@h/x", "sip:1001@h",
                "udp", "h:1", "", "c", 7, t, t, t.plusSeconds(3600)));
    }

    @Test
    void expiresInRoundsUpAndNeverGoesNegative() {
        Instant t = Instant.ofEpochSecond(1000);
        Binding b = new Binding("1", "n", "sip:1@h", "sip:1@h", "udp", "h:1", "", "c", 1, t, t, t.plusMillis(1500));
        assertThat(b.expiresIn(t)).isEqualTo(2);
        assertThat(b.expiresIn(t.plusSeconds(10))).isZero();
    }
}
