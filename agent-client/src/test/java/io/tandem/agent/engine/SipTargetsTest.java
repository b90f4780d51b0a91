package io.tandem.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipTargetsTest {

    @Test
    void numbersWithSpacingAreDialableAndNormalised() {
        assertThat(SipTargets.problem("+44 20 7946-0000")).isNull();
        assertThat(SipTargets.normalise("+44 (20) 7946-0000")).isEqualTo("+442079460000");
        assertThat(SipTargets.problem("*72#")).isNull();
        assertThat(SipTargets.problem("sip:bob@10.0.0.1:5070")).isNull();
    }

    @Test
    void lettersEmptyAndOverlongInputAreRefusedWithASentence() {
        assertThat(SipTargets.problem("")).isEqualTo("Enter a number to call");
        assertThat(SipTargets.problem("  ")).isEqualTo("Enter a number to call");
        assertThat(SipTargets.problem("12ab")).startsWith("Numbers only");
        assertThat(SipTargets.problem("1+2")).startsWith("Numbers only");
        assertThat(SipTargets.problem("1".repeat(33))).startsWith("Numbers only");
        assertThat(SipTargets.problem("sip:")).startsWith("Not a SIP address");
    }

    @Test
    void aNumberGoesToTheCurrentRegistrarAndAUriAsGiven() {
        assertThat(SipTargets.uri("7000", "sip:10.0.0.1:5060;transport=tcp")).isEqualTo("sip:7000@10.0.0.1:5060;transport=tcp");
        assertThat(SipTargets.uri("sip:x@h", null)).isEqualTo("sip:x@h");
    }

    @Test
    void theUserPartNamesTheRemoteParty() {
        assertThat(SipTargets.userPart("sip:1001@127.0.0.1:5070;transport=udp")).isEqualTo("1001");
        assertThat(SipTargets.userPart("<sip:+49151@host>")).isEqualTo("+49151");
        assertThat(SipTargets.userPart("sip:host")).isEqualTo("sip:host");
    }
}
