package io.tandem.backend.directory;

import io.tandem.backend.directory.AppUserRequests.AppUserView;
import io.tandem.backend.directory.AppUserRequests.NewAppUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * App users of one tenant, provisioned by the tenant's business backend with an API key ({@code X-Api-Key}) or by
 * an admin of the tenant (enforced by the security chain). Passwords are shown once: when generated at creation,
 * and when rotated.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/app-users")
class AppUserController {

    private static final Logger log = LoggerFactory.getLogger(AppUserController.class);

    private final Directory directory;

    AppUserController(Directory directory) {
        this.directory = directory;
    }

    @GetMapping
    List<AppUserView> list(@PathVariable String tenant) {
        return directory.list(tenant).stream().filter(User::isAppUser).map(AppUserView::of).toList();
    }

    @GetMapping("/{id}")
    AppUserView get(@PathVariable String tenant, @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String id) {
        return AppUserView.of(appUser(tenant, id));
    }

    @PostMapping
    ResponseEntity<AppUserView> create(@PathVariable String tenant, @Valid @RequestBody NewAppUser body) {
        String displayName = body.displayName() == null || body.displayName().isBlank() ? body.id()
                : body.displayName();
        String generated = body.password() == null ? RandomSecret.password() : null;
        if (!directory.createAppUser(tenant, body.id(), displayName, generated != null ? generated : body.password())) {
            throw problem(HttpStatus.CONFLICT, "Number taken",
                    body.id() + " is already a user or app user of tenant " + tenant);
        }
        log.info("app user {}@{} created", body.id(), tenant);
        AppUserView view = AppUserView.of(appUser(tenant, body.id()));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/app-users/" + body.id()))
                .body(generated == null ? view : view.withPassword(generated));
    }

    /** Rotates the SIP password: the new one is generated and shown in this answer only. */
    @PostMapping("/{id}/password")
    AppUserView rotatePassword(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String id) {
        appUser(tenant, id);
        String password = RandomSecret.password();
        User user = directory.update(tenant, id, null, null, password, null)
                .orElseThrow(() -> notFound(tenant, id));
        log.info("app user {}@{}: password rotated", id, tenant);
        return AppUserView.of(user).withPassword(password);
    }

    /** Deletes the app user with its SIP and push bindings. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String id) {
        if (directory.deleteAppUser(tenant, id) != Directory.AppUserDeletion.DELETED) {
            throw notFound(tenant, id);
        }
        log.info("app user {}@{} deleted with its bindings", id, tenant);
        return ResponseEntity.noContent().build();
    }

    private User appUser(String tenant, String id) {
        return directory.find(tenant, id).filter(User::isAppUser).orElseThrow(() -> notFound(tenant, id));
    }

    private static ErrorResponseException notFound(String tenant, String id) {
        return problem(HttpStatus.NOT_FOUND, "No such app user", "no app user " + id + " in tenant " + tenant);
    }

    static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
