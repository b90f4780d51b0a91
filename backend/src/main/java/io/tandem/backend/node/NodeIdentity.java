package io.tandem.backend.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's resolved identity: its id, the cluster secret and the build version.
 *
 * @param id            unique node id
 * @param clusterSecret shared HMAC key of the inter-node trunk
 * @param version       Tandem version running on this node
 */
public record NodeIdentity(String id, String clusterSecret, String version) {

    private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);

    @Override
    public String toString() {
        return "NodeIdentity[id=" + id + ", version=" + version + "]"; // never print the secret
    }

    /** Resolves defaults; refuses to run without a secret outside the demo. */
    public static NodeIdentity resolve(NodeProperties node, DemoProperties demo, String version) {
        String id = node.id().isEmpty() ? fromHostName() : node.id();
        String secret = node.clusterSecret();
        if (secret.isEmpty()) {
            if (!demo.enabled()) {
                throw new InvalidConfigurationException("tandem.node.cluster-secret", "required (at least 16"
                        + " characters) unless tandem.demo.enabled=true: every node of a cluster needs the same secret");
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("generated a random cluster secret for the demo only; other nodes cannot join this node's "
                    + "calls unless tandem.node.cluster-secret is set to the same value on every node");
        }
        return new NodeIdentity(id, secret, version == null ? "dev" : version);
    }

    /** The host name, lower-cased and reduced to the characters a node id allows. */
    static String fromHostName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "node");
        }
        return sanitize(host);
    }

    static String sanitize(String host) {
        String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (cleaned.length() > 63) {
            cleaned = cleaned.substring(0, 63);
        }
        return cleaned.isEmpty() ? "node" : cleaned;
    }
}
