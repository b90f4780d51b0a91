package io.tandem.backend.routing;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.User;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Who may call what, decided once for every call the node places on an authenticated user's behalf (a new call, a
 * transfer): an app user (a customer of the tenant's app) may call only the tenant's service numbers
 * ({@link TenantServiceNumbers}) — never an extension, another app user or an outside number. Extensions may call
 * anyone, app users included (the callback service calls customers back that way).
 */
@Service
public class CallAdmission {

    /** The reason phrase of the 403 an app user gets for any other number. */
    public static final String APP_USER_REFUSAL = "App users may call service numbers only";

    private static final Logger log = LoggerFactory.getLogger(CallAdmission.class);

    private final Directory directory;
    private final TenantServiceNumbers serviceNumbers;

    public CallAdmission(Directory directory, TenantServiceNumbers serviceNumbers) {
        this.directory = directory;
        this.serviceNumbers = serviceNumbers;
    }

    /**
     * Why {@code caller} (just authenticated) may not call {@code number}: the reason phrase of a 403 Forbidden, to be
     * answered before anything rings; empty when the call may go ahead.
     */
    public Optional<String> refusal(String tenant, User caller, String number) {
        if (!caller.isAppUser() || serviceNumbers.isServiceNumber(tenant, number)) {
            return Optional.empty();
        }
        log.info("app user {}@{} may not call {}: refused", caller.extension(), tenant, number);
        return Optional.of(APP_USER_REFUSAL);
    }

    /** As {@link #refusal(String, User, String)} for a party known by name only (the transferor of a call). */
    public Optional<String> refusal(String tenant, String party, String number) {
        return directory.find(tenant, party).flatMap(user -> refusal(tenant, user, number));
    }
}
