package io.tandem.backend.directory;

import io.tandem.backend.directory.UserRequests.NewUser;
import io.tandem.backend.directory.UserRequests.UserChange;
import io.tandem.backend.directory.UserRequests.UserView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * User administration of one tenant (admin role of that tenant, enforced by the security chain): its extensions.
 * App users are the app-user API's ({@link AppUserController}): here they are not listed and not found.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/users")
class UserController {

    private final Directory directory;

    UserController(Directory directory) {
        this.directory = directory;
    }

    @GetMapping
    List<UserView> list(@PathVariable String tenant) {
        return directory.list(tenant).stream().filter(user -> !user.isAppUser()).map(UserView::of).toList();
    }

    @GetMapping("/{extension}")
    UserView get(@PathVariable String tenant, @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String extension) {
        return directory.find(tenant, extension).filter(user -> !user.isAppUser()).map(UserView::of)
                .orElseThrow(() -> notFound(tenant, extension));
    }

    @PostMapping
    ResponseEntity<UserView> create(@PathVariable String tenant, @Valid @RequestBody NewUser body) {
        String displayName = body.displayName() == null || body.displayName().isBlank()
                ? body.extension() : body.displayName();
        boolean created = directory.create(tenant, body.extension(), displayName, UserRequests.roles(body.roles()),
                body.password(), body.skills() == null ? Map.of() : body.skills());
        if (!created) {
            throw problem(HttpStatus.CONFLICT, "User exists",
                    "extension " + body.extension() + " already exists in tenant " + tenant);
        }
        UserView view = directory.find(tenant, body.extension()).map(UserView::of)
                .orElseThrow(() -> notFound(tenant, body.extension()));
        return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/users/" + body.extension()))
                .body(view);
    }

    @PutMapping("/{extension}")
    UserView change(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String extension,
            @Valid @RequestBody UserChange body) {
        refuseAppUser(tenant, extension);
        return directory.update(tenant, extension, body.displayName(), UserRequests.roles(body.roles()),
                        body.password(), body.skills())
                .map(UserView::of).orElseThrow(() -> notFound(tenant, extension));
    }

    @DeleteMapping("/{extension}")
    ResponseEntity<Void> delete(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = UserRequests.EXTENSION) String extension) {
        refuseAppUser(tenant, extension);
        if (!directory.delete(tenant, extension)) {
            throw notFound(tenant, extension);
        }
        return ResponseEntity.noContent().build();
    }

    /** An app user is changed through the app-user API, which also removes its bindings on delete. */
    private void refuseAppUser(String tenant, String extension) {
        if (directory.find(tenant, extension).filter(User::isAppUser).isPresent()) {
            throw problem(HttpStatus.NOT_FOUND, "No such user", extension + " is an app user of tenant " + tenant
                    + ": see /api/v1/tenants/" + tenant + "/app-users");
        }
    }

    private static ErrorResponseException notFound(String tenant, String extension) {
        return problem(HttpStatus.NOT_FOUND, "No such user", "no extension " + extension + " in tenant " + tenant);
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
