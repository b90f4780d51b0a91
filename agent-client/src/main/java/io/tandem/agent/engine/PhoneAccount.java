package io.tandem.agent.engine;

import java.util.List;
import java.util.Objects;

/**
 * What the phone registers as: {@code sip:<user>@<domain>} with the agent's password, to the first reachable of
 * {@code registrars} (ordered node SIP URIs, e.g. {@code sip:10.0.0.1:5060}).
 *
 * @param autoAnswer answer incoming calls at once (headless demos, agents who want it)
 */
public record PhoneAccount(String displayName, String user, String domain, char[] password,
                           List<String> registrars, boolean autoAnswer) {

    public PhoneAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(domain, "domain");
        displayName = displayName == null ? "" : displayName;
        registrars = List.copyOf(registrars);
    }

    /** This account registering on {@code newRegistrars} instead (the node list in another transport's form). */
    public PhoneAccount withRegistrars(List<String> newRegistrars) {
        return new PhoneAccount(displayName, user, domain, password, newRegistrars, autoAnswer);
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "PhoneAccount[" + user + "@" + domain + " via " + registrars + (autoAnswer ? ", auto-answer" : "") + "]";
    }
}
