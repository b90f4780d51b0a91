package io.tandem.backend.registrar;

import io.tandem.backend.directory.Directory;
import io.tandem.protocol.callback.PushBinding;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's live RFC 8599 push bindings, for the tenant's supervisors and admins (enforced by the security chain):
 * which devices of an agent or app user can be woken, through which provider, until when.
 */
@RestController
class PushBindingController {

    private final PushBindings pushBindings;
    private final Directory directory;

    PushBindingController(PushBindings pushBindings, Directory directory) {
        this.pushBindings = pushBindings;
        this.directory = directory;
    }

    @GetMapping("/api/v1/tenants/{tenant}/push-bindings/{user}")
    List<PushBinding> list(@PathVariable String tenant,
            @PathVariable @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}") String user) {
        if (!directory.knows(tenant, user).get()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no user " + user + " in tenant " + tenant);
            problem.setTitle("No such user");
            throw new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        }
        return pushBindings.find(tenant, user);
    }
}
