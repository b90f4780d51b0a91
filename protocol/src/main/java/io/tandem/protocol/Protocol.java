package io.tandem.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** How every Tandem program reads and writes the wire types of this module. */
public final class Protocol {

    /** Version written into every {@link Envelope}; a reader refuses envelopes of a higher major version. */
    public static final int VERSION = 1;

    private Protocol() {
    }

    /**
     * A mapper that writes times as ISO-8601 strings and ignores fields it does not know, so an older client keeps
     * working against a newer node that added fields (fields are only ever added within a version).
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
