package io.tandem.telephony.peers;

/**
 * Run in a child JVM by {@link PeerProcessIT}: starts a SIPp and a baresip, prints their pids,
 * and exits WITHOUT closing them, so the test can check that the shutdown hook reaped them.
 */
final class PeerReaperMain {
    private PeerReaperMain() {
    }

    public static void main(String[] args) {
        SippProcess sipp = SippProcess.builtin("uas").start();
        BaresipProcess baresip = BaresipProcess.builder().user("orphan").start();
        // The launcher is the test; stdout is how it learns the pids (no logging framework needed).
        System.out.println("pids " + sipp.pid() + " " + baresip.pid());
        System.out.flush();
        System.exit(0);
    }
}
