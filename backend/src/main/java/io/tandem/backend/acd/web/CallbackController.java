package io.tandem.backend.acd.web;

import io.tandem.backend.acd.AcdProblems;
import io.tandem.backend.acd.dispatch.CallbackRequests;
import io.tandem.protocol.CallbackRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Callback requests of a tenant, oldest first (supervisor of the tenant, by the security configuration). */
@RestController
class CallbackController {

    private static final int MAX = 1_000;

    private final CallbackRequests requests;

    CallbackController(CallbackRequests requests) {
        this.requests = requests;
    }

    /** {@code after} = the last request id already seen; {@code limit} 1-1000 (default 1000). */
    @GetMapping("/api/v1/tenants/{tenant}/callbacks")
    List<CallbackRequest> list(@PathVariable String tenant, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        if (after != null && !after.matches("[0-9]{1,20}-[0-9]{1,20}")) {
            throw AcdProblems.invalid("after", "must be a request id such as 1764423600000-0");
        }
        if (limit != null && (limit < 1 || limit > MAX)) {
            throw AcdProblems.invalid("limit", "must be 1-" + MAX);
        }
        return requests.list(tenant, after, limit == null ? MAX : limit);
    }
}
