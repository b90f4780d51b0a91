package io.tandem.backend.redis;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import java.io.IOException;
import java.util.ArrayList;

/**
 * The reply of a script that returns more than a scalar: a Lua table encoded with {@code cjson.encode}, decoded here
 * into a Java record whose components are named as the table's fields, so neither side reads the other by position.
 * Unknown fields fail the decoding: a script and its record change together.
 */
public final class ScriptReply {

    private static final ObjectMapper JSON = new ObjectMapper().addHandler(new EmptyTableAsEmptyList());

    /**
     * A reader per record type, which keeps the type's deserializer: {@code readValue(String, Class)} looked it up
     * again on every reply (one per REGISTER and per claim).
     */
    private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return JSON.readerFor(type);
        }
    };

    private ScriptReply() {
    }

    /** Decodes a script's JSON reply (a bulk string: {@code ScriptOutputType.VALUE}). */
    public static <T> T decode(Object reply, Class<T> type) {
        try {
            return READERS.get(type).readValue(String.valueOf(reply));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable script reply as " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Redis's cjson cannot tell an empty array from an empty object (a Lua table is both) and encodes it {@code {}};
     * where a list is expected, that is the empty list.
     */
    private static final class EmptyTableAsEmptyList extends DeserializationProblemHandler {
        @Override
        public Object handleUnexpectedToken(DeserializationContext context, JavaType target, JsonToken token,
                JsonParser parser, String failure) throws IOException {
            if (target.isCollectionLikeType() && token == JsonToken.START_OBJECT
                    && parser.nextToken() == JsonToken.END_OBJECT) {
                return new ArrayList<>();
            }
            return NOT_HANDLED;
        }
    }
}
