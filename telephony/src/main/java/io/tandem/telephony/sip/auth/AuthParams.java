package io.tandem.telephony.sip.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code <scheme> name=value, name="quoted \"value\"", ...} (RFC 3261 §25.1 challenge / credentials,
 * RFC 7235 §2.1 auth-param). Parameter names are lower-cased; quoted-pair escapes are undone.
 */
final class AuthParams {
    /** A header value is bounded by the SIP message size; this bounds the parameters we keep. */
    private static final int MAX_PARAMS = 32;

    final String scheme;
    final Map<String, String> params;

    private AuthParams(String scheme, Map<String, String> params) {
        this.scheme = scheme;
        this.params = params;
    }

    static AuthParams parse(String headerValue, String what) {
        if (headerValue == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String v = headerValue.trim();
        int sp = 0;
        while (sp < v.length() && !Character.isWhitespace(v.charAt(sp))) {
            sp++;
        }
        String scheme = v.substring(0, sp);
        if (scheme.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = sp;
        int n = v.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(v.charAt(i)) || v.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int nameStart = i;
            while (i < n && v.charAt(i) != '=' && v.charAt(i) != ',' && !Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            String name = v.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            if (i >= n || v.charAt(i) != '=') {
                throw new IllegalArgumentException(what + ": parameter '" + name + "' has no value");
            }
            i++;
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && v.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = v.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(v.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException(what + ": unterminated quoted value of '" + name + "'");
                }
            } else {
                while (i < n && v.charAt(i) != ',' && !Character.isWhitespace(v.charAt(i))) {
                    value.append(v.charAt(i++));
                }
            }
            if (name.isEmpty()) {
                throw new IllegalArgumentException(what + ": empty parameter name");
            }
            if (params.size() >= MAX_PARAMS) {
                throw new IllegalArgumentException(what + ": more than " + MAX_PARAMS + " parameters");
            }
            params.putIfAbsent(name, value.toString());
            while (i < n && Character.isWhitespace(v.charAt(i))) {
                i++;
            }
            if (i < n && v.charAt(i) != ',') {
                throw new IllegalArgumentException(what + ": expected ',' after parameter '" + name + "'");
            }
        }
        return new AuthParams(scheme, params);
    }

    String required(String name, String what) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(what + " lacks the " + name + " parameter");
        }
        return v;
    }

    String optional(String name) {
        return params.get(name);
    }

    /** Quotes for a quoted-string (RFC 3261 §25.1): backslash-escape {@code "} and {@code \}. */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
