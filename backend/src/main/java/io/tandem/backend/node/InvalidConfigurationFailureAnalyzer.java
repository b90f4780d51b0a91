package io.tandem.backend.node;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link InvalidConfigurationException} into Boot's short startup failure report. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set " + cause.property() + " (as --" + cause.property() + "=..., or the environment variable "
                        + cause.property().toUpperCase(java.util.Locale.ROOT).replace("-", "").replace('.', '_')
                        + ") and start the node again.", cause);
    }
}
