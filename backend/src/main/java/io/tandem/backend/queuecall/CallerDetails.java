package io.tandem.backend.queuecall;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;

/**
 * What a trusted source tells us about a caller in the INVITE: priority ({@code X-Tandem-Priority: 0-9}, higher is
 * served first), skills the caller needs ({@code X-Tandem-Skills: billing:3, french} — a skill without a level needs
 * level 1) and custom data shown with the agent's offer ({@code X-Tandem-Data: key=value; key2=value2}).
 * Only parsed for sources we trust; anyone else's headers are ignored (and counted) by the caller of {@link #parse}.
 */
record CallerDetails(int priority, Map<String, Integer> skills, Map<String, String> data) {

    static final String PRIORITY = "X-Tandem-Priority";
    static final String SKILLS = "X-Tandem-Skills";
    static final String DATA = "X-Tandem-Data";
    static final List<String> HEADERS = List.of(PRIORITY, SKILLS, DATA);

    static final CallerDetails NONE = new CallerDetails(0, Map.of(), Map.of());

    /** Bounds: a header value, the number of skills and data entries, one key or value. */
    static final int MAX_VALUE = 1024;
    static final int MAX_ENTRIES = 16;
    static final int MAX_WORD = 64;

    private static final Pattern SKILL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    CallerDetails {
        skills = Map.copyOf(skills);
        data = Map.copyOf(data);
    }

    /** These details with {@code more} data entries (the node's own: they replace the caller's of the same key). */
    CallerDetails with(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(data);
        merged.putAll(more);
        return new CallerDetails(priority, skills, merged);
    }

    /** A header of ours the caller's INVITE is wrong about: the request gets 400 with this reason phrase. */
    static final class Malformed extends Exception {
        Malformed(String header, String what) {
            super("Bad " + header + ": " + what);
        }
    }

    /** True when the request carries any of the three headers. */
    static boolean present(Request request) {
        return HEADERS.stream().anyMatch(h -> request.getHeader(h) != null);
    }

    /** Reads the three headers of a request from a trusted source (absent headers keep the defaults). */
    static CallerDetails parse(Request request) throws Malformed {
        int priority = 0;
        String p = value(request, PRIORITY);
        if (p != null) {
            if (!p.matches("[0-9]")) {
                throw new Malformed(PRIORITY, "must be one digit 0-9");
            }
            priority = Integer.parseInt(p);
        }
        Map<String, Integer> skills = new LinkedHashMap<>();
        String s = value(request, SKILLS);
        if (s != null) {
            for (String item : s.split(",", -1)) {
                String[] parts = item.trim().split(":", -1);
                if (parts.length > 2 || !SKILL.matcher(parts[0].trim()).matches()) {
                    throw new Malformed(SKILLS, "expected name[:level], ... with names of letters, digits, . _ -");
                }
                int level = 1;
                if (parts.length == 2) {
                    if (!parts[1].trim().matches("[0-9]{1,2}")) {
                        throw new Malformed(SKILLS, "a level must be 0-99");
                    }
                    level = Integer.parseInt(parts[1].trim());
                }
                skills.put(parts[0].trim(), level);
            }
            if (skills.size() > MAX_ENTRIES) {
                throw new Malformed(SKILLS, "at most " + MAX_ENTRIES + " skills");
            }
        }
        Map<String, String> data = new LinkedHashMap<>();
        String d = value(request, DATA);
        if (d != null) {
            for (String item : d.split(";", -1)) {
                if (item.isBlank()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String key = eq < 0 ? "" : item.substring(0, eq).trim();
                String val = eq < 0 ? "" : item.substring(eq + 1).trim();
                if (!KEY.matcher(key).matches() || val.length() > MAX_WORD || val.chars().anyMatch(Character::isISOControl)) {
                    throw new Malformed(DATA, "expected key=value; ... (keys of letters, digits, . _ -; values up to "
                            + MAX_WORD + " characters)");
                }
                data.put(key, val);
            }
            if (data.size() > MAX_ENTRIES) {
                throw new Malformed(DATA, "at most " + MAX_ENTRIES + " entries");
            }
        }
        return new CallerDetails(priority, skills, data);
    }

    private static String value(Request request, String name) throws Malformed {
        Header header = request.getHeader(name);
        if (header == null) {
            return null;
        }
        String value = header instanceof ExtensionHeader ext ? ext.getValue()
                : header.toString().substring(header.toString().indexOf(':') + 1);
        value = value.trim();
        if (value.length() > MAX_VALUE) {
            throw new Malformed(name, "longer than " + MAX_VALUE + " characters");
        }
        if (value.isEmpty()) {
            throw new Malformed(name, "empty");
        }
        return value;
    }
}
