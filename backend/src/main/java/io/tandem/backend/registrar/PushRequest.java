package io.tandem.backend.registrar;

import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;

/**
 * What one Contact of a REGISTER asks for push notifications (RFC 8599 §4.1): nothing, a provider this node does not
 * know (the REGISTER is taken without a push binding), or a well-formed binding. The parameters are SIP URI
 * parameters of the Contact URI ({@code pn-provider}, {@code pn-prid}, {@code pn-param}); the device is named by the
 * Contact's {@code +sip.instance} (RFC 5626 §4.1) when present, else by its {@code pn-prid}.
 */
sealed interface PushRequest {

    /** No push parameter at all. */
    record Absent() implements PushRequest {
    }

    /** A {@code pn-provider} this node does not serve. */
    record UnknownProvider(String provider) implements PushRequest {
    }

    /**
     * A push binding to keep.
     *
     * @param device the device key: the {@code +sip.instance} without its quotes and angle brackets, else the prid
     */
    record Push(PushProvider provider, String prid, String param, String device) implements PushRequest {
    }

    /** A REGISTER's push parameter that is malformed: refused with 400 and this reason phrase. */
    final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    Absent ABSENT = new Absent();

    /** Longest {@code +sip.instance} kept as a device key (a urn:uuid is 45 characters). */
    int MAX_INSTANCE = 256;

    /** Reads the push parameters of {@code contact}. */
    static PushRequest read(ContactHeader contact) throws Malformed {
        URI uri = contact.getAddress().getURI();
        if (!(uri instanceof SipURI sip)) {
            return ABSENT;
        }
        String provider = sip.getParameter("pn-provider");
        String prid = sip.getParameter("pn-prid");
        String param = sip.getParameter("pn-param");
        if (provider == null) {
            if (prid != null || param != null) {
                throw new Malformed("Missing pn-provider: pn-prid and pn-param need one");
            }
            return ABSENT;
        }
        Optional<PushProvider> known = PushProvider.of(provider);
        if (known.isEmpty()) {
            return new UnknownProvider(provider);
        }
        if (prid == null) {
            throw new Malformed("Missing pn-prid: " + provider + " needs the device's push token");
        }
        Optional<String> why = known.get().checkPrid(prid).or(() -> known.get().checkParam(param));
        if (why.isPresent()) {
            throw new Malformed(why.get());
        }
        return new Push(known.get(), prid, param == null ? "" : param, device(contact, prid));
    }

    private static String device(ContactHeader contact, String prid) throws Malformed {
        String instance = contact.getParameter("+sip.instance");
        if (instance == null) {
            return prid;
        }
        // RFC 5626 §4.1: +sip.instance="<urn:uuid:...>", a quoted string around an angle-bracketed URN.
        String value = instance.trim();
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("<") && value.endsWith(">")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > MAX_INSTANCE || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new Malformed("Bad +sip.instance: a URN of at most " + MAX_INSTANCE + " characters");
        }
        return value;
    }
}
