package io.tandem.backend.directory;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** JSON bodies of the app-user and API-key APIs. */
final class AppUserRequests {

    private AppUserRequests() {
    }

    /**
     * POST body: a new app user. Without a password one is generated and returned once; a given one is never
     * echoed. Only the password's HA1s are stored.
     */
    record NewAppUser(
            @NotBlank @Pattern(regexp = UserRequests.EXTENSION,
                    message = "must be 1-64 letters, digits, '.', '_' or '-'") String id,
            @Size(max = 128) String displayName,
            @Size(min = 8, max = 128) String password) {
    }

    /** An app user as the API shows it; {@code password} only in the answer that generated it. */
    record AppUserView(String tenant, String id, String displayName, String password) {

        static AppUserView of(User user) {
            return new AppUserView(user.tenant(), user.extension(), user.displayName(), null);
        }

        AppUserView withPassword(String generated) {
            return new AppUserView(tenant, id, displayName, generated);
        }
    }

    /** POST body: a new API key, named for whoever will hold it. */
    record NewApiKey(@NotBlank @Size(max = 64) String name) {
    }

    /** An API key as listed; {@code key} only in the answer that created it. */
    record ApiKeyView(String id, String name, Instant createdAt, String key) {

        static ApiKeyView of(ApiKeys.ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.createdAt(), null);
        }
    }
}
