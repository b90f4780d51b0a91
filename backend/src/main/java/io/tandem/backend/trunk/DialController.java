package io.tandem.backend.trunk;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.User;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.TenantServiceNumbers;
import io.tandem.backend.trunk.TrunkRequests.DialPlanBody;
import io.tandem.backend.trunk.TrunkRequests.DidBody;
import io.tandem.backend.trunk.TrunkRequests.PermissionBody;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's DIDs (where each number's calls go), its dial plan and its users' permission classes for outside
 * calls (admins of the tenant).
 */
@RestController
class DialController {

    private static final Logger log = LoggerFactory.getLogger(DialController.class);
    private static final String TENANT = "/api/v1/tenants/{tenant}";

    private final Dids dids;
    private final Dialling dialling;
    private final Directory directory;
    private final TenantServiceNumbers serviceNumbers;
    private final PromptLibrary prompts;

    DialController(Dids dids, Dialling dialling, Directory directory, TenantServiceNumbers serviceNumbers,
            PromptLibrary prompts) {
        this.prompts = prompts;
        this.dids = dids;
        this.dialling = dialling;
        this.directory = directory;
        this.serviceNumbers = serviceNumbers;
    }

    @GetMapping(TENANT + "/dids")
    List<Did> dids(@PathVariable String tenant) {
        return dids.list(tenant);
    }

    /**
     * Creates or replaces a DID; its destination must exist: a queue, an extension (not an app user), or a prompt of
     * the node's prompt directory, which alone may loop (then with a time limit).
     */
    @PutMapping(TENANT + "/dids/{number}")
    ResponseEntity<Did> saveDid(@PathVariable String tenant, @PathVariable String number,
            @Valid @RequestBody DidBody body) {
        if (!Keys.DID.matcher(number).matches()) {
            throw TrunkProblems.invalid("number", "must be a number: an optional '+' and 6-20 digits");
        }
        boolean prompt = body.target() == Did.Target.PROMPT;
        boolean loop = Boolean.TRUE.equals(body.loop());
        int maxSeconds = body.maxSeconds() == null ? 0 : body.maxSeconds();
        if (!prompt && body.loop() != null) {
            throw TrunkProblems.invalid("loop", "only a DID of target prompt loops", List.of("prompt"));
        }
        if (!prompt && body.maxSeconds() != null) {
            throw TrunkProblems.invalid("maxSeconds", "only a DID of target prompt has a time limit",
                    List.of("prompt"));
        }
        if (loop && maxSeconds == 0) {
            throw TrunkProblems.invalid("maxSeconds", "is required with loop: 1-3600 seconds");
        }
        boolean exists = switch (body.target()) {
            case QUEUE, CALLBACK -> serviceNumbers.isServiceNumber(tenant, body.destination());
            case EXTENSION -> directory.find(tenant, body.destination()).filter(u -> !u.isAppUser()).isPresent();
            case PROMPT -> !body.destination().contains("..") && prompts.exists(body.destination());
        };
        if (!exists) {
            throw TrunkProblems.invalid("destination", switch (body.target()) {
                case EXTENSION -> "must be an extension of tenant " + tenant;
                case PROMPT -> "must be a prompt of the node's prompt directory (its name without .wav)";
                default -> "must be a queue of tenant " + tenant;
            });
        }
        Did did = new Did(number, body.target(), body.destination(), loop, maxSeconds);
        return switch (dids.save(tenant, did)) {
            case OTHER_TENANTS -> throw TrunkProblems.problem(HttpStatus.CONFLICT, "Number taken",
                    number + " is a DID of another tenant");
            case CREATED -> {
                log.info("DID {}@{} created: {} {}", number, tenant, did.target(), did.destination());
                yield ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/dids/" + number)).body(did);
            }
            case REPLACED -> {
                log.info("DID {}@{} now goes to {} {}", number, tenant, did.target(), did.destination());
                yield ResponseEntity.ok(did);
            }
        };
    }

    @DeleteMapping(TENANT + "/dids/{number}")
    ResponseEntity<Void> deleteDid(@PathVariable String tenant, @PathVariable String number) {
        if (!Keys.DID.matcher(number).matches() || !dids.delete(tenant, number)) {
            throw TrunkProblems.problem(HttpStatus.NOT_FOUND, "No such DID", "no DID " + number + " in tenant "
                    + tenant);
        }
        log.info("DID {}@{} deleted", number, tenant);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(TENANT + "/dial-plan")
    DialPlan plan(@PathVariable String tenant) {
        return dialling.plan(tenant);
    }

    @PutMapping(TENANT + "/dial-plan")
    DialPlan savePlan(@PathVariable String tenant, @Valid @RequestBody DialPlanBody body) {
        DialPlan plan = body.plan();
        if (!plan.outsidePrefix().isEmpty() && plan.countryCode().isEmpty()) {
            throw TrunkProblems.invalid("countryCode", "is required with an outside prefix: numbers dialled"
                    + " without '+' are in the tenant's country");
        }
        dialling.savePlan(tenant, plan);
        log.info("dial plan of {}: {}", tenant, plan);
        return plan;
    }

    @GetMapping(TENANT + "/dial-permissions/{user}")
    Dialling.Permission permission(@PathVariable String tenant, @PathVariable String user) {
        extension(tenant, user);
        return dialling.permission(tenant, user);
    }

    /** Sets a user's permission class; an app user can have none but {@code none}. */
    @PutMapping(TENANT + "/dial-permissions/{user}")
    Dialling.Permission savePermission(@PathVariable String tenant, @PathVariable String user,
            @Valid @RequestBody PermissionBody body) {
        User found = extension(tenant, user);
        if (found.isAppUser() && body.permission() != DialPermission.NONE) {
            throw TrunkProblems.invalid("permission", "app users never call outside: must be none",
                    List.of("none"));
        }
        Dialling.Permission permission = new Dialling.Permission(body.permission(), body.callerNumber());
        dialling.savePermission(tenant, user, permission);
        log.info("dial permission of {}@{}: {} (caller number '{}')", user, tenant, permission.permission().wire(),
                permission.callerNumber());
        return permission;
    }

    private User extension(String tenant, String user) {
        if (!Keys.EXTENSION.matcher(user).matches()) {
            throw TrunkProblems.problem(HttpStatus.NOT_FOUND, "No such user", "no user " + user + " in " + tenant);
        }
        return directory.find(tenant, user).orElseThrow(() -> TrunkProblems.problem(HttpStatus.NOT_FOUND,
                "No such user", "no user " + user + " in tenant " + tenant));
    }
}
