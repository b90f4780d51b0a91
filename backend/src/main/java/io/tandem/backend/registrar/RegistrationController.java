package io.tandem.backend.registrar;

import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.directory.Role;
import io.tandem.backend.redis.Keys;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Registrations of the caller's tenant, cluster-wide (every node reads the same Redis): all of them for a supervisor,
 * one extension for a supervisor or for that extension's own user. Contacts of dead nodes are left out, as the
 * router leaves them out.
 */
@RestController
@RequestMapping("/api/v1/registrations")
class RegistrationController {

    private final Bindings bindings;

    RegistrationController(Bindings bindings) {
        this.bindings = bindings;
    }

    /** One extension and its live contacts. */
    record Registration(String extension, List<Binding> contacts) {
    }

    @GetMapping
    List<Registration> all(@AuthenticationPrincipal TenantPrincipal caller) {
        require(caller, null);
        List<Registration> all = new ArrayList<>();
        bindings.all(caller.tenant()).forEach((extension, contacts) -> all.add(new Registration(extension, contacts)));
        return all;
    }

    @GetMapping("/{extension}")
    Registration one(@AuthenticationPrincipal TenantPrincipal caller, @PathVariable String extension) {
        if (!Keys.EXTENSION.matcher(extension).matches()) {
            throw problem(HttpStatus.BAD_REQUEST, "Invalid extension", "'" + extension + "' is not an extension");
        }
        require(caller, extension);
        return new Registration(extension, bindings.lookup(caller.tenant(), extension));
    }

    /** Supervisors (and admins) see everything of their tenant; an agent only their own extension. */
    private static void require(TenantPrincipal caller, String ownExtension) {
        boolean supervisor = caller != null
                && caller.roles().stream().anyMatch(r -> r.compareTo(Role.SUPERVISOR) >= 0);
        boolean self = caller != null && ownExtension != null && caller.extension().equals(ownExtension);
        if (!supervisor && !self) {
            throw problem(HttpStatus.FORBIDDEN, "Forbidden", ownExtension == null
                    ? "listing registrations needs the supervisor role"
                    : "agents may only read their own registration");
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return new ErrorResponseException(status, problem, null);
    }
}
