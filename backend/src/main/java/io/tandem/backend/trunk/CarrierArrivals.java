package io.tandem.backend.trunk;

import io.tandem.backend.directory.Directory;
import io.tandem.backend.redis.Keys;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Calls from the public network: an INVITE whose Request-URI names a DID is taken only from an in-service trunk of
 * the DID's tenant whose addresses include the packet's source (not Via, which the sender writes). Anyone else
 * calling a DID gets 403 (503 while the trunk is out of service, so the carrier routes elsewhere).
 */
@Service
public class CarrierArrivals {

    private static final Logger log = LoggerFactory.getLogger(CarrierArrivals.class);

    private final Dids dids;
    private final Trunks trunks;
    private final Directory directory;

    public CarrierArrivals(Dids dids, Trunks trunks, Directory directory) {
        this.dids = dids;
        this.trunks = trunks;
        this.directory = directory;
    }

    /** What an INVITE for {@code dialled} from {@code source} is. */
    public sealed interface Arrival {
    }

    /** Not a DID of any tenant: the call is someone's phone's, authenticated as usual. */
    public record NotADid() implements Arrival {
    }

    /** A DID called from somewhere it may not be: {@code status} (403 or 503) with {@code reason}. */
    public record Refused(int status, String reason) implements Arrival {
    }

    /** A DID call from its tenant's carrier: it goes to {@code did}'s destination. */
    public record Accepted(String tenant, Did did, CarrierLeg leg) implements Arrival {
    }

    /** The reason phrase of the 403 to a DID call from an address that is no trunk's. */
    public static final String NOT_A_TRUNK = "Not a carrier trunk of this number";

    /**
     * What an INVITE for {@code dialled} from {@code source} with {@code fromUser} in From is. A DID called from an
     * address that is no trunk's is still a phone's call when From names a user of the DID's tenant: that call is
     * authenticated by digest like any other (the user dialled the company's own number).
     */
    public Arrival arrival(String dialled, String source, String fromUser) {
        if (dialled == null || !Keys.DID.matcher(dialled).matches()) {
            return new NotADid();
        }
        Optional<Dids.Owned> owned = dids.owner(dialled);
        if (owned.isEmpty()) {
            return new NotADid();
        }
        String tenant = owned.get().tenant();
        Did did = owned.get().did();
        Optional<Trunk> trunk = trunks.list(tenant).stream().filter(t -> t.sentFrom(source))
                .sorted((a, b) -> Boolean.compare(b.inService(), a.inService())).findFirst();
        if (trunk.isEmpty() && fromUser != null && Keys.EXTENSION.matcher(fromUser).matches()
                && directory.find(tenant, fromUser).isPresent()) {
            return new NotADid();
        }
        if (trunk.isEmpty()) {
            log.warn("INVITE for DID {} of {} from {}: no trunk of the tenant has that address; refused", dialled,
                    tenant, source);
            return new Refused(403, NOT_A_TRUNK);
        }
        if (!trunk.get().inService()) {
            log.info("INVITE for DID {} of {} over trunk {}: out of service ({})", dialled, tenant,
                    trunk.get().id(), trunk.get().stateReason());
            return new Refused(503, "Trunk out of service");
        }
        return new Accepted(tenant, did, new CarrierLeg(trunk.get().id(), did.number()));
    }
}
