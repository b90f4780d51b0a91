package io.tandem.backend.campaign;

/**
 * One call of a campaign to a contact, as the scheduler hands it to the dialler.
 *
 * @param tenant   the campaign's tenant
 * @param campaign the campaign
 * @param contact  whom it calls
 * @param number   which attempt this is for the contact (1 for the first)
 * @param node     the node that claimed it (the only one that may record its outcome)
 * @param assignee preview mode: the agent who asked for the call, the only one offered it; empty otherwise
 */
public record Attempt(String tenant, Campaign campaign, Contact contact, int number, String node, String assignee) {

    public Attempt {
        assignee = assignee == null ? "" : assignee;
    }

    /** How the agent's offer and the logs name it: {@code <campaign>/<contact>#<attempt>}. */
    @Override
    public String toString() {
        return campaign.id() + "/" + contact.id() + "#" + number + "@" + tenant;
    }
}
