package io.tandem.telephony.sip;

import javax.sip.message.Request;
import java.util.Optional;

/**
 * The checks every incoming request passes before a feature sees it (RFC 3261 §8.2, §16.3, RFC 4475 torture
 * corpus). See {@code telephony/src/test/resources/sip-torture/README.md} for the expected verdicts.
 */
public final class RequestValidator {

    /** Empty when the request may be processed; otherwise the status and reason to answer with. */
    public Optional<Rejection> validate(Request request) {
        return Optional.empty();
    }
}
