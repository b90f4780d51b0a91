package io.tandem.backend.trunk;

/**
 * The public-network side of a call: the trunk it crossed and, for a call that came in, the DID it was dialled on
 * (empty for a call going out). Named in the call's CDR and, for a queue call, in its queue log.
 */
public record CarrierLeg(String trunk, String did) {

    /** True for a call the carrier sent us (it came in on a DID), false for one we sent out. */
    public boolean inbound() {
        return did != null && !did.isEmpty();
    }
}
