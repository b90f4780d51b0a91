package io.tandem.backend.acd.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.Protocol;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller's custom data ({@code X-Tandem-Data}) as stored beside it in Redis: a JSON object of strings, read back
 * the same way wherever it is stored (the caller's hash, a callback request, an event).
 */
final class CallerData {

    private static final Logger log = LoggerFactory.getLogger(CallerData.class);
    private static final ObjectMapper JSON = Protocol.mapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };

    private CallerData() {
    }

    /**
     * The stored data, or none when nothing is stored. Stored data that does not read as a JSON object of strings
     * was not written by a node: the caller keeps its place without it, and the WARN says what was found.
     */
    static Map<String, String> decode(String stored) {
        if (stored == null || stored.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(stored, MAP);
        } catch (JsonProcessingException e) {
            log.warn("caller data unreadable, shown as none: {}", e.getOriginalMessage());
            return Map.of();
        }
    }
}
