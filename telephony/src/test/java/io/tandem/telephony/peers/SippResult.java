package io.tandem.telephony.peers;

/**
 * How a SIPp run ended.
 *
 * @param exitCode        SIPp's exit code: 0 all calls succeeded, 1 at least one failed, 97 internal
 *                        stop, 99 no call processed, 255 fatal error or global timeout, 254 could not bind a socket
 * @param successfulCalls calls that ran the scenario to its end ("SuccessfulCall(C)"), -1 if unknown
 * @param failedCalls     calls that failed (unexpected message, timeout...), -1 if unknown
 * @param errors          SIPp's error log (unexpected messages, with the message text)
 * @param screen          the final statistics screens (message counts per scenario step)
 * @param output          the tail of SIPp's stderr and stdout
 */
public record SippResult(int exitCode, long successfulCalls, long failedCalls, String errors, String screen, String output) {

    /** True when SIPp exited 0: every call ran its scenario to the end. */
    public boolean allCallsSucceeded() {
        return exitCode == 0;
    }

    /** A compact description for assertion messages: counts, then the error log and the final screen. */
    public String describe() {
        return "sipp exit code " + exitCode + " (" + meaning() + "), successful calls " + successfulCalls
                + ", failed calls " + failedCalls
                + (errors.isBlank() ? "" : "\n--- sipp errors ---\n" + errors)
                + (screen.isBlank() ? "" : "\n--- sipp screen ---\n" + screen)
                + (output.isBlank() ? "" : "\n" + output);
    }

    private String meaning() {
        return switch (exitCode) {
            case 0 -> "all calls successful";
            case 1 -> "at least one call failed";
            case 97 -> "exit on internal command";
            case 99 -> "no call processed";
            case 254 -> "fatal error binding a socket";
            case 255 -> "fatal error, or the -timeout limit was reached";
            default -> "unexpected";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
