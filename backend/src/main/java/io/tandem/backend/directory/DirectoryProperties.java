package io.tandem.backend.directory;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The user directory ({@code tandem.directory.*}).
 *
 * @param seedFile      optional YAML file of tenants and users created at start when absent; empty → none
 * @param defaultTenant tenant assumed when an HTTP login has no {@code @tenant} part
 */
@Validated
@ConfigurationProperties("tandem.directory")
public record DirectoryProperties(
        @DefaultValue("") String seedFile,
        @DefaultValue("demo") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}",
                message = "must be 1-63 lower-case letters, digits, '.' or '-'") String defaultTenant) {
}
