package io.tandem.callback.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of the node's {@code queuelog.csv} (Asterisk's queue_log columns): {@code id, time, callid, queuename,
 * agent, event, data1, data2, data3, data4, data5}, read as RFC 4180 CSV (quoted fields, doubled quotes, CRLF).
 */
record QueueLogLine(String callId, String queue, String agent, String event, String data1, String data2) {

    /** Every line of a {@code queuelog.csv} body, the header skipped. */
    static List<QueueLogLine> parse(String csv) {
        List<QueueLogLine> lines = new ArrayList<>();
        List<List<String>> rows = rows(csv);
        for (List<String> row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            if (row.size() >= 9) {
                lines.add(new QueueLogLine(row.get(2), row.get(3), row.get(4), row.get(5), row.get(6), row.get(7)));
            }
        }
        return lines;
    }

    private static List<List<String>> rows(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        return rows;
    }
}
