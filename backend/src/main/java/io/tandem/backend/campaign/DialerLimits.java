package io.tandem.backend.campaign;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits the dialler seizes trunks under on this node, loaded in layers as the operators' dialers do: the
 * template (this node's {@link CampaignProperties}, then the cluster's {@code tandem:dialer:template} hash), then the
 * tenant's layer, then this node's layer of the tenant, which may set only the node's concurrency. A lower layer sets
 * only the fields it names; an unreadable value is ignored and logged.
 *
 * @param nodeCaps     INVITEs per second this node sends to the tenant's trunks at most (0: none)
 * @param nodeChannels the tenant's outside calls this node holds at once at most (0: none)
 */
record DialerLimits(int nodeCaps, int nodeChannels) {

    private static final Logger log = LoggerFactory.getLogger(DialerLimits.class);
    static final String NODE_CAPS = "nodeCaps";
    static final String NODE_CHANNELS = "nodeChannels";

    static DialerLimits of(CampaignProperties properties) {
        return new DialerLimits(properties.nodeCaps(), properties.nodeChannels());
    }

    /** These limits with {@code template}, {@code tenant} and {@code node} laid over them, in that order. */
    DialerLimits layered(Map<String, String> template, Map<String, String> tenant, Map<String, String> node) {
        DialerLimits limits = this.with(template, "template").with(tenant, "tenant");
        for (String field : node.keySet()) {
            if (!NODE_CHANNELS.equals(field)) {
                log.warn("dialer limits: the node layer may set only {}; {} ignored", NODE_CHANNELS, field);
            }
        }
        return new DialerLimits(limits.nodeCaps, number(node, NODE_CHANNELS, limits.nodeChannels, "node"));
    }

    private DialerLimits with(Map<String, String> layer, String name) {
        return new DialerLimits(number(layer, NODE_CAPS, nodeCaps, name), number(layer, NODE_CHANNELS, nodeChannels,
                name));
    }

    private static int number(Map<String, String> layer, String field, int otherwise, String name) {
        String value = layer.get(field);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        log.warn("dialer limits: {} layer's {} is '{}', not a number of 0 or more; ignored", name, field, value);
        return otherwise;
    }
}
