package io.tandem.backend.directory;

import io.tandem.backend.directory.AppUserRequests.ApiKeyView;
import io.tandem.backend.directory.AppUserRequests.NewApiKey;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's API keys, managed by the tenant's admins (enforced by the security chain). */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/api-keys")
class ApiKeyController {

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @GetMapping
    List<ApiKeyView> list(@PathVariable String tenant) {
        return keys.list(tenant).stream().map(ApiKeyView::of).toList();
    }

    /** Creates a key; the answer carries the key itself, which is never shown again. */
    @PostMapping
    ResponseEntity<ApiKeyView> create(@PathVariable String tenant, @Valid @RequestBody NewApiKey body) {
        ApiKeys.IssuedKey issued = keys.create(tenant, body.name());
        ApiKeys.ApiKey key = issued.apiKey();
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/api-keys/" + key.id()))
                .body(new ApiKeyView(key.id(), key.name(), key.createdAt(), issued.key()));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> revoke(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String id) {
        if (!keys.revoke(tenant, id)) {
            throw AppUserController.problem(HttpStatus.NOT_FOUND, "No such API key",
                    "no API key " + id + " in tenant " + tenant);
        }
        return ResponseEntity.noContent().build();
    }
}
