package io.tandem.backend.call;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.User;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.CallAdmission;
import io.tandem.backend.trunk.DialPlan;
import io.tandem.backend.trunk.OutsideCalls;
import java.util.Optional;
import javax.sip.message.Response;

/**
 * What a transferor may transfer a call to: what it may call itself (a transfer places a call on its behalf), by the
 * same rules as its own INVITEs ({@link CallAdmission} for app users, the dial permission of {@link OutsideCalls}
 * for outside numbers), decided before anything rings. One for the node: the B2BUA's transfers and the queue calls'
 * agents' transfers go by it.
 */
public final class TransferAdmission {

    /** Why a transfer is refused: the status and reason phrase of the answer to the REFER. */
    public record Refusal(int status, String reason) {
    }

    private final Directory directory;
    private final CallAdmission admission;
    private final OutsideCalls outsideCalls;

    public TransferAdmission(Directory directory, CallAdmission admission, OutsideCalls outsideCalls) {
        this.directory = directory;
        this.admission = admission;
        this.outsideCalls = outsideCalls;
    }

    /**
     * Why {@code transferor} may not transfer a call to {@code number}; empty when it may. {@code ringsHere} says
     * whether the node rings the number itself (a blind transfer) or it is already the party of a consultation call
     * (an attended one, which joins a call that exists).
     */
    public Optional<Refusal> refusal(String tenant, String transferor, String number, boolean ringsHere) {
        Optional<User> user = directory.find(tenant, transferor);
        if (user.isEmpty()) {
            return Optional.of(new Refusal(Response.FORBIDDEN, "The transferor is no user of this tenant"));
        }
        Optional<String> refused = admission.refusal(tenant, user.get(), number);
        if (refused.isPresent()) {
            return Optional.of(new Refusal(Response.FORBIDDEN, refused.get()));
        }
        if (Keys.EXTENSION.matcher(number).matches()) {
            return Optional.empty();
        }
        Optional<DialPlan.OutsideNumber> outside = Keys.PHONE_NUMBER.matcher(number).matches()
                ? outsideCalls.outsideNumber(tenant, number) : Optional.empty();
        if (outside.isEmpty()) {
            return Optional.of(new Refusal(Response.NOT_FOUND, "No such number"));
        }
        Optional<String> denied = outsideCalls.refusal(tenant, user.get(), outside.get());
        if (denied.isPresent()) {
            return Optional.of(new Refusal(Response.FORBIDDEN, denied.get()));
        }
        // A blind transfer rings extensions only (the node hunts no trunk for it): an outside party is joined by an
        // attended transfer, whose consultation call the trunk already carries.
        return ringsHere ? Optional.of(new Refusal(Response.NOT_IMPLEMENTED,
                "Transfer to an outside number: call it first, then transfer")) : Optional.empty();
    }
}
