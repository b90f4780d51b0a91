package io.tandem.telephony.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Proves the SIPp harness against real SIPp: built-in UAC calls built-in UAS over loopback. */
class SippProcessIT {
    private static final Duration EXIT = Duration.ofSeconds(40);

    @Test
    void builtInUacCompletesCallsAgainstBuiltInUas() {
        try (SippProcess uas = SippProcess.builtin("uas").calls(3).start();
             SippProcess uac = SippProcess.builtin("uac").remote(uas.address()).calls(3).start()) {
            SippResult caller = uac.awaitExit(EXIT);
            SippResult callee = uas.awaitExit(EXIT);

            assertThat(caller.allCallsSucceeded()).as(caller.describe()).isTrue();
            assertThat(caller.successfulCalls()).as(caller.describe()).isEqualTo(3);
            assertThat(caller.failedCalls()).isZero();
            assertThat(callee.allCallsSucceeded()).as(callee.describe()).isTrue();
            assertThat(callee.successfulCalls()).as(callee.describe()).isEqualTo(3);
            assertThat(uac.messages()).contains("INVITE sip:service@127.0.0.1:" + uas.port());
        }
    }

    @Test
    void uacWithoutAnyPeerFailsWithACountedFailureAndAnErrorLog() {
        int nobody = FreePorts.udpAndTcp();
        try (SippProcess uac = SippProcess.builtin("uac").remote("127.0.0.1:" + nobody).calls(1)
                .arg("-max_invite_retrans", "1").recvTimeout(Duration.ofSeconds(2)).start()) {
            SippResult r = uac.awaitExit(EXIT);

            assertThat(r.exitCode()).as(r.describe()).isEqualTo(1);
            assertThat(r.failedCalls()).as(r.describe()).isEqualTo(1);
            assertThat(r.successfulCalls()).isZero();
            assertThat(r.describe()).contains("at least one call failed");
        }
    }

    @Test
    void sippThatCannotStartFailsLoudlyWithItsOwnMessage() {
        SippProcess.Builder broken = SippProcess.builtin("no-such-scenario");
        org.assertj.core.api.Assertions.assertThatThrownBy(broken::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sipp")
                .hasMessageContaining("exited with code");
    }

    @Test
    void awaitExitKillsAStillRunningSippAndSaysSo() {
        SippProcess uas = SippProcess.builtin("uas").calls(1).start();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> uas.awaitExit(Duration.ofMillis(500)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not exit");
            assertThat(uas.isAlive()).isFalse();
        } finally {
            uas.close();
        }
    }
}
