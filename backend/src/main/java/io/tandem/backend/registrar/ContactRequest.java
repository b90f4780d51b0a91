package io.tandem.backend.registrar;

import java.util.ArrayList;
import java.util.List;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The Contact changes a REGISTER asks for (RFC 3261 §10.3 steps 6-7): none (a query), {@code *} with Expires 0
 * (remove all), or contacts each with the expiry granted: its {@code expires} param, else the Expires header, else
 * the default; below the minimum refused with 423, above the maximum lowered to it; 0 removes that contact. A
 * contact that stays carries its RFC 8599 push parameters ({@link PushRequest}), malformed ones refused with 400; a
 * contact removed (expires 0) is read without them: its push binding stays (the device sleeps, and is woken by it).
 */
record ContactRequest(boolean removeAll, List<Entry> entries) {

    /** Contacts in one REGISTER beyond this are refused (a request is bounded; phones send one or two). */
    static final int MAX_CONTACTS_PER_REQUEST = 20;

    record Entry(String uri, URI parsed, long expires, PushRequest push) {
    }

    /** A REGISTER the registrar refuses with {@code status}; the message is the reason phrase. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refusal(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    static ContactRequest read(Request request, RegistrarProperties properties) throws Refusal {
        List<ContactHeader> contacts = Registrar.contactHeaders(request);
        int headerExpires = Registrar.expiresHeader(request);
        if (contacts.stream().anyMatch(ContactHeader::isWildCard)) {
            if (contacts.size() != 1 || headerExpires != 0) {
                throw new Refusal(Response.BAD_REQUEST, "Contact * needs Expires 0 and no other contact");
            }
            return new ContactRequest(true, List.of());
        }
        if (contacts.size() > MAX_CONTACTS_PER_REQUEST) {
            throw new Refusal(Response.BAD_REQUEST, "Too many contacts in one REGISTER");
        }
        long min = properties.minExpires().toSeconds();
        long max = properties.maxExpires().toSeconds();
        List<Entry> entries = new ArrayList<>();
        for (ContactHeader contact : contacts) {
            long expires = contact.getExpires() >= 0 ? contact.getExpires()
                    : headerExpires >= 0 ? headerExpires : properties.defaultExpires().toSeconds();
            if (expires != 0 && expires < min) {
                throw new Refusal(Response.INTERVAL_TOO_BRIEF, "Interval Too Brief");
            }
            URI uri = contact.getAddress().getURI();
            PushRequest push;
            try {
                push = expires == 0 ? PushRequest.ABSENT : PushRequest.read(contact);
            } catch (PushRequest.Malformed malformed) {
                throw new Refusal(Response.BAD_REQUEST, malformed.getMessage());
            }
            entries.add(new Entry(uri.toString(), uri, Math.min(expires, max), push));
        }
        return new ContactRequest(false, entries);
    }
}
