package io.tandem.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.protocol.callback.JoinToken;
import io.tandem.protocol.callback.JoinToken.Refusal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JoinTokenTest {

    static final byte[] SECRET = "a cluster secret of enough length".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignedTokenVerifiesUntilItExpires() {
        JoinToken token = JoinToken.create("demo", "room-1", "1011", 10_000);
        String wire = token.sign(SECRET);
        assertThat(wire).matches("[A-Za-z0-9_.-]+");
        assertThat(JoinToken.verify(wire, SECRET, 9_999, null)).contains(token);
        Refusal[] why = new Refusal[1];
        assertThat(JoinToken.verify(wire, SECRET, 10_000, why)).isEmpty();
        assertThat(why[0]).isEqualTo(Refusal.EXPIRED);
    }

    @Test
    void anotherSecretOrAnAlteredClaimIsForged() {
        String wire = JoinToken.create("demo", "room-1", "1011", 10_000).sign(SECRET);
        Refusal[] why = new Refusal[1];
        assertThat(JoinToken.verify(wire, "another secret of enough length".getBytes(StandardCharsets.UTF_8), 0, why))
                .isEmpty();
        assertThat(why[0]).isEqualTo(Refusal.FORGED);
        String other = JoinToken.create("demo", "room-1", "1012", 10_000).sign(SECRET);
        String spliced = other.substring(0, other.indexOf('.')) + wire.substring(wire.indexOf('.'));
        assertThat(JoinToken.verify(spliced, SECRET, 0, why)).isEmpty();
        assertThat(why[0]).isEqualTo(Refusal.FORGED);
    }

    @Test
    void garbageIsMalformed() {
        Refusal[] why = new Refusal[1];
        for (String wire : new String[] {null, "", "abc", ".", "!!!.???"}) {
            assertThat(JoinToken.verify(wire, SECRET, 0, why)).as(wire).isEmpty();
            assertThat(why[0]).as(wire).isEqualTo(Refusal.MALFORMED);
        }
    }

    @Test
    void twoTokensForTheSameJoinHaveDifferentIds() {
        assertThat(JoinToken.create("demo", "r", "1011", 1).id()).isNotEqualTo(JoinToken.create("demo", "r", "1011", 1).id());
    }
}
