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
 * @param firstAppUser   first seeded app user (a customer of the tenant's app, same password); clear of the
 *                       extensions and of the demo queues 7000-7002
 * @param lastAppUser    last seeded app user
 * @param apiKey         the demo tenant's API key (id {@code demo}), with which a business backend provisions app
 *                       users ({@code X-Api-Key}); stored as its SHA-256 only
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
        @DefaultValue("admin") @NotBlank String adminUser,
        @DefaultValue("2001") @Min(1) @Max(99_999_999) int firstAppUser,
        @DefaultValue("2005") @Min(1) @Max(99_999_999) int lastAppUser,
        @DefaultValue("tk_demo-api-key-change-me") @NotBlank @Size(min = 16, max = 512) String apiKey) {

    public DemoProperties {
        if (lastExtension < firstExtension) {
            throw new IllegalArgumentException("tandem.demo.last-extension must not be below tandem.demo.first-extension");
        }
        if (lastExtension - firstExtension >= 10_000) {
            throw new IllegalArgumentException("tandem.demo: at most 10000 extensions");
        }
        if (lastAppUser < firstAppUser || lastAppUser - firstAppUser >= 10_000) {
            throw new IllegalArgumentException(
                    "tandem.demo.last-app-user must lie between first-app-user and first-app-user + 9999");
        }
        if (firstAppUser <= lastExtension && lastAppUser >= firstExtension) {
            throw new IllegalArgumentException("tandem.demo: the app users " + firstAppUser + "-" + lastAppUser
                    + " overlap the extensions " + firstExtension + "-" + lastExtension);
        }
    }
}
