package io.tandem.backend.trunk;

/**
 * The limits an outside call is seized under besides its trunk's own ({@code trunk/seize.lua}): the node's (channels
 * and calls per second, of the tenant's outside calls this node places) and its group's (a campaign's calls at once,
 * cluster-wide). 0 means no limit.
 *
 * @param group         {@code extensions} for calls extensions place, {@code campaign.<id>} for a campaign's
 * @param nodeChannels  outside calls this node holds at once at most
 * @param nodeCaps      INVITEs this node sends to trunks in any second at most
 * @param groupChannels the group's calls at once at most, cluster-wide
 */
public record OutboundLimits(String group, int nodeChannels, int nodeCaps, int groupChannels) {

    /** The group of the calls extensions place. */
    public static final String EXTENSIONS = "extensions";

    /** Calls extensions place: no limit beyond the trunk's. */
    static final OutboundLimits NONE = new OutboundLimits(EXTENSIONS, 0, 0, 0);

    /** The group of a campaign's calls. */
    public static String campaignGroup(String campaign) {
        return "campaign." + campaign;
    }
}
