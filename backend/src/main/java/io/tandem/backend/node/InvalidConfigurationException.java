package io.tandem.backend.node;

/**
 * The node cannot run with its configuration; names the property to change. Reported at startup by
 * {@link InvalidConfigurationFailureAnalyzer} as a short "APPLICATION FAILED TO START" block, not a stack trace.
 */
public class InvalidConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    public InvalidConfigurationException(String property, String problem) {
        this(property, problem, null);
    }

    public InvalidConfigurationException(String property, String problem, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
    }

    /** The Spring property to fix, e.g. {@code tandem.node.cluster-secret}. */
    public String property() {
        return property;
    }
}
