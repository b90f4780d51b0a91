package io.tandem.protocol.callback;

import java.util.Map;

/** Reading a stream entry's fields: absent text is empty, absent or malformed numbers are zero. */
final class StreamFields {

    private StreamFields() {
    }

    static String text(Map<String, String> fields, String name) {
        String value = fields.get(name);
        return value == null ? "" : value;
    }

    static long number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
