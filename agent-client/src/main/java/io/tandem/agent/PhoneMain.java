package io.tandem.agent;

import io.tandem.agent.headless.HeadlessOptions;
import io.tandem.agent.headless.HeadlessPhone;
import io.tandem.agent.ui.PhoneApp;
import java.util.Arrays;

/** {@code ./tandem phone}: the window, or with {@code --headless} the same session without one. */
public final class PhoneMain {

    private PhoneMain() {
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--version")) {
            System.out.println(PhoneVersion.line());
            return;
        }
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.println("Usage: ./tandem phone            opens the agent softphone window");
            System.out.println("       ./tandem phone --version  prints the version of the phone, Java and JavaFX\n");
            System.out.print(HeadlessOptions.USAGE);
            return;
        }
        if (Arrays.asList(args).contains("--headless")) {
            System.exit(HeadlessPhone.run(args, System.out, System.err));
        }
        PhoneApp.launchWindow(args);
    }
}
