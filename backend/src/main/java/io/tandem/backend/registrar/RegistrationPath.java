package io.tandem.backend.registrar;

import io.tandem.backend.node.sip.InboundRequest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.Header;
import javax.sip.header.SupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The Path of a REGISTER (RFC 3327): the proxies between the phone and the registrar that asked to stay on the way
 * of requests for the phone (the edge adds itself). The registrar stores it with the binding; requests for the
 * phone carry it as a pre-loaded Route set (§5.3), so they reach the phone through the edge from any node.
 */
final class RegistrationPath {

    static final String PATH = "Path";
    private static final String OPTION_TAG = "path";

    private RegistrationPath() {
    }

    /** The Path entries of {@code request}, top first (the proxy nearest the registrar first, §4.3); empty if none. */
    static List<String> of(Request request) {
        List<String> path = new ArrayList<>();
        ListIterator<?> headers = request.getHeaders(PATH);
        while (headers.hasNext()) {
            String value = Registrar.headerValue((Header) headers.next());
            if (value != null && !value.isEmpty()) {
                path.add(value);
            }
        }
        return path;
    }

    /**
     * §5.3: the 200 carries the stored Path back when the phone said {@code Supported: path}, so it learns the
     * route its requests take; a phone that did not say so gets none (it could not make sense of it).
     */
    static void echo(InboundRequest in, Response ok, List<String> path) {
        if (path.isEmpty() || !supportsPath(in.request())) {
            return;
        }
        try {
            for (String entry : path) {
                ok.addHeader(in.messages().headers().createHeader(PATH, entry));
            }
        } catch (ParseException e) {
            throw new IllegalStateException("cannot echo the Path " + path, e);
        }
    }

    private static boolean supportsPath(Request request) {
        ListIterator<?> supported = request.getHeaders(SupportedHeader.NAME);
        while (supported.hasNext()) {
            if (OPTION_TAG.equalsIgnoreCase(((SupportedHeader) supported.next()).getOptionTag())) {
                return true;
            }
        }
        return false;
    }
}
