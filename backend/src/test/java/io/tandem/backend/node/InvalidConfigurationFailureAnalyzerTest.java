package io.tandem.backend.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class InvalidConfigurationFailureAnalyzerTest {

    @Test
    void reportNamesThePropertyAndItsEnvironmentVariable() {
        InvalidConfigurationException cause = new InvalidConfigurationException("tandem.node.cluster-secret",
                "required");
        // As Spring delivers it: wrapped in bean creation failures.
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer()
                .analyze(new BeanCreationException("nodeIdentity", "failed", cause));
        assertThat(analysis.getDescription()).isEqualTo("tandem.node.cluster-secret: required");
        assertThat(analysis.getAction()).contains("--tandem.node.cluster-secret=", "TANDEM_NODE_CLUSTERSECRET");
    }
}
