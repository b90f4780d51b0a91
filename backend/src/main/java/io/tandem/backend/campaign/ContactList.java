package io.tandem.backend.campaign;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A contact list uploaded as CSV (RFC 4180: comma-separated, fields in double quotes may hold commas, line breaks
 * and doubled quotes; CRLF or LF line ends). The first line names the columns: {@code number} and {@code timezone}
 * are required, {@code name} is optional, any other column becomes the contact's data (at most
 * {@value #MAX_DATA_COLUMNS}). Every row is checked on its own: the good rows are taken, each bad one is reported by
 * its line number, the column and why — one bad row never rejects the list.
 */
public final class ContactList {

    /** Rows of one upload at most: a bigger list is uploaded in parts. */
    public static final int MAX_ROWS = 100_000;
    static final int MAX_DATA_COLUMNS = 16;
    static final int MAX_FIELD = 256;
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Why a row was not taken: its line in the upload (the header is line 1), the column, the reason. */
    public record RowError(int line, String column, String message) {
    }

    /** What an upload gave: the contacts taken, the rows refused. */
    public record Parsed(List<Contact> contacts, List<RowError> errors) {
        public Parsed {
            contacts = List.copyOf(contacts);
            errors = List.copyOf(errors);
        }
    }

    /** The whole upload refused (no usable header, too many rows): the reason names the problem. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private ContactList() {
    }

    /** True for an E.164 number as contacts must have it ({@code +4930123456}). */
    static boolean isE164(String number) {
        return E164.matcher(number).matches();
    }

    public static Parsed parse(String csv) throws Unreadable {
        List<Row> rows = rows(csv);
        if (rows.isEmpty()) {
            throw new Unreadable("the list is empty: the first line must name the columns (number, timezone, ...)");
        }
        List<String> header = rows.get(0).fields().stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
        int number = header.indexOf("number");
        int zone = header.indexOf("timezone");
        int name = header.indexOf("name");
        if (number < 0 || zone < 0) {
            throw new Unreadable("the first line must name the columns number and timezone, found " + header);
        }
        for (String column : header) {
            if (!COLUMN.matcher(column).matches()) {
                throw new Unreadable("column name '" + column + "': letters, digits, '.', '_' or '-' only");
            }
        }
        if (new HashSet<>(header).size() != header.size()) {
            throw new Unreadable("a column is named twice in " + header);
        }
        if (header.size() - (name < 0 ? 2 : 3) > MAX_DATA_COLUMNS) {
            throw new Unreadable("at most " + MAX_DATA_COLUMNS + " data columns besides number, timezone and name");
        }
        if (rows.size() - 1 > MAX_ROWS) {
            throw new Unreadable("at most " + MAX_ROWS + " rows per upload, got " + (rows.size() - 1));
        }
        List<Contact> contacts = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Row row : rows.subList(1, rows.size())) {
            List<String> fields = row.fields();
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue; // an empty line
            }
            if (fields.size() != header.size()) {
                errors.add(new RowError(row.line(), "", "has " + fields.size() + " fields, the header "
                        + header.size()));
                continue;
            }
            String n = fields.get(number).strip().replace(" ", "");
            String z = fields.get(zone).strip();
            if (!E164.matcher(n).matches()) {
                errors.add(new RowError(row.line(), "number", "must be an E.164 number such as +4930123456"));
                continue;
            }
            if (!seen.add(n)) {
                errors.add(new RowError(row.line(), "number", n + " is on the list twice"));
                continue;
            }
            try {
                ZoneId.of(z);
            } catch (DateTimeException e) {
                errors.add(new RowError(row.line(), "timezone", "must be an IANA time zone such as Europe/Berlin"));
                seen.remove(n);
                continue;
            }
            Map<String, String> data = new LinkedHashMap<>();
            String tooLong = null;
            for (int i = 0; i < header.size(); i++) {
                if (fields.get(i).length() > MAX_FIELD) {
                    tooLong = header.get(i);
                }
                if (i != number && i != zone && i != name) {
                    data.put(header.get(i), fields.get(i));
                }
            }
            if (tooLong != null) {
                errors.add(new RowError(row.line(), tooLong, "longer than " + MAX_FIELD + " characters"));
                seen.remove(n);
                continue;
            }
            contacts.add(new Contact(n, n, z, name < 0 ? "" : fields.get(name).strip(), data));
        }
        return new Parsed(contacts, errors);
    }

    /** One record of the CSV and the line it starts on. */
    private record Row(int line, List<String> fields) {
    }

    /** RFC 4180 §2: records, fields, quoted fields with doubled quotes and line breaks inside. */
    private static List<Row> rows(String csv) throws Unreadable {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int rowLine = 1;
        String text = csv.startsWith("\uFEFF") ? csv.substring(1) : csv; // a byte order mark from a spreadsheet
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue; // the LF ends the record
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                rows.add(new Row(rowLine, fields));
                fields = new ArrayList<>();
                any = false;
                line++;
                rowLine = line;
                if (rows.size() > MAX_ROWS + 1) {
                    throw new Unreadable("at most " + MAX_ROWS + " rows per upload");
                }
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new Unreadable("line " + rowLine + ": a quoted field is not closed");
        }
        if (any) {
            fields.add(field.toString());
            rows.add(new Row(rowLine, fields));
        }
        return rows;
    }
}
