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
    void callsWorkOverTcpToo() {
        try (SippProcess uas = SippProcess.builtin("uas").tcp().start();
             SippProcess uac = SippProcess.builtin("uac").tcp().remote(uas.address()).start()) {
            SippResult caller = uac.awaitExit(EXIT);
            assertThat(caller.allCallsSucceeded()).as(caller.describe()).isTrue();
            assertThat(uac.messages()).contains("SIP/2.0/TCP");
            // The built-in UAS counts its call failed when the caller closes the TCP connection
            // during the UAS's final 4 s pause: judge it by what it exchanged, not its exit code.
            uas.awaitExit(EXIT);
            assertThat(uas.messages()).contains("BYE sip:").contains("SIP/2.0 200 OK");
            assertThat(uas.uri("x")).endsWith(";transport=tcp");
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

    @Test
    void sippHoldForNeedsAScenarioWithAHoldTimer() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SippProcess.scenario("uas-busy-486.xml").holdFor(Duration.ofSeconds(1)).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no hold timer");
    }

    @Test
    void scenarioFileWithInjectedFieldsReachesARealPhone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path scenario = dir.resolve("options-field0.xml");
        java.nio.file.Files.writeString(scenario, """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <scenario name="OPTIONS to the user named in field0">
                  <send retrans="500"><![CDATA[

                    OPTIONS sip:[field0]@[remote_ip]:[remote_port] SIP/2.0
                    Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                    From: <sip:sipp@[local_ip]:[local_port]>;tag=[call_number]
                    To: <sip:[field0]@[remote_ip]:[remote_port]>
                    Call-ID: [call_id]
                    CSeq: 1 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                  ]]></send>
                  <recv response="200" />
                </scenario>
                """);
        try (BaresipProcess bob = BaresipProcess.builder().user("bob").start();
             SippProcess uac = SippProcess.scenarioFile(scenario).remote(bob.address())
                     .injection("SEQUENTIAL\nbob;\n").start()) {
            SippResult r = uac.awaitExit(EXIT);
            assertThat(r.allCallsSucceeded()).as(r.describe()).isTrue();
            assertThat(uac.messages()).contains("OPTIONS sip:bob@127.0.0.1:" + bob.sipPort());
        }
    }
}
