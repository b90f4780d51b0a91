package io.tandem.backend.node;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The one-command demo ({@code tandem.demo.*}): a tenant with a range of extensions seeded at start.
 *
 * @param enabled        seed the demo tenant and allow a generated cluster secret
 * @param tenant         demo tenant (also its digest realm)
 * @param firstExtension first seeded extension
 * @param lastExtension  last seeded extension
 * @param password       password of every seeded user, including the admin
 * @param adminUser      login of the demo tenant's administrator
 */
@Validated
@ConfigurationProperties("tandem.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("demo") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,62}",
                message = "must be 1-63 lower-case letters, digits, '.' or '-'") String tenant,
        @DefaultValue("1001") @Min(1) @Max(99_999_999) int firstExtension,
        @DefaultValue("1020") @Min(1) @Max(99_999_999) int lastExtension,
        @DefaultValue("tandem") @NotBlank @Size(min = 6, max = 128) String password,
        @DefaultValue("admin") @NotBlank String adminUser) {

    public DemoProperties {
        if (lastExtension < firstExtension) {
            throw new IllegalArgumentException("tandem.demo.last-extension must not be below tandem.demo.first-extension");
        }
        if (lastExtension - firstExtension >= 10_000) {
            throw new IllegalArgumentException("tandem.demo: at most 10000 extensions");
        }
    }
}
