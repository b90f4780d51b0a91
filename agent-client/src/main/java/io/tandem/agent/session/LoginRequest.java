package io.tandem.agent.session;

/** What the agent types to log in. The password is a char array so it can be wiped after use. */
public record LoginRequest(String backendUrl, String tenant, String agentId, char[] password) {

    @Override
    public String toString() {
        return "LoginRequest[" + agentId + "@" + tenant + " at " + backendUrl + "]";
    }
}
