package io.tandem.backend.campaign;

import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's do-not-call list (admins of the tenant): numbers no campaign of the tenant ever dials. */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/do-not-call")
class DoNotCallController {

    private final DoNotCall doNotCall;

    DoNotCallController(DoNotCall doNotCall) {
        this.doNotCall = doNotCall;
    }

    @GetMapping
    CampaignController.Numbers list(@PathVariable String tenant) {
        return new CampaignController.Numbers(List.copyOf(doNotCall.list(tenant, null)).stream().sorted().toList());
    }

    /** Adds numbers; any number not E.164 → 400 naming it, nothing added. */
    @PostMapping
    CampaignController.Numbers add(@PathVariable String tenant, @RequestBody CampaignController.Numbers body) {
        doNotCall.add(tenant, null, CampaignController.checked(body));
        return list(tenant);
    }

    @DeleteMapping("/{number}")
    ResponseEntity<Void> remove(@PathVariable String tenant, @PathVariable String number) {
        return doNotCall.remove(tenant, null, number) > 0 ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }
}
