package io.tandem.bench.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The users both registrars serve: extensions {@code 200000…} with password {@code pw-<ext>}, written as a SIPp
 * injection file, a Tandem directory seed file and
 * the table Kamailio loads into its in-memory htable of HA1s.
 */
public final class BenchUsers {

    static final int FIRST = 200_000;
    private final int count;

    public BenchUsers(int count) {
        this.count = count;
    }

    public int count() {
        return count;
    }

    public static String extension(int i) {
        return Integer.toString(FIRST + i);
    }

    public static String password(int i) {
        return "pw-" + extension(i);
    }

    /** SIPp {@code -inf}: one line per user, with the {@code [authentication]} keyword SIPp answers 401s with. */
    public Path writeSippInjection(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (int i = 0; i < count; i++) {
            csv.append(extension(i)).append(";[authentication username=").append(extension(i))
                    .append(" password=").append(password(i)).append("]\n");
        }
        return write(dir.resolve("users.csv"), csv);
    }

    /** {@code tandem.directory.seed-file}: the node creates the users (HA1 only) at start. */
    public Path writeTandemSeed(Path dir, String tenant) throws IOException {
        StringBuilder yaml = new StringBuilder("tenants:\n  ").append(tenant).append(":\n    users:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("      - {extension: \"").append(extension(i)).append("\", displayName: \"Bench ")
                    .append(extension(i)).append("\", password: \"").append(password(i))
                    .append("\", roles: [agent]}\n");
        }
        return write(dir.resolve("users.yaml"), yaml);
    }

    /**
     * Kamailio's htable {@code ha1}: a db_text {@code htable} table (and its version) mapping each user to its HA1 for
     * {@code realm}, which the htable module loads into memory once at start.
     */
    Path writeKamailioDb(Path dir, String realm) throws IOException {
        Path db = Files.createDirectories(dir.resolve("kamailio-db"));
        write(db.resolve("version"), new StringBuilder(
                "id(int,auto) table_name(string) table_version(int) \n0:htable:2\n"));
        // key_type 0: a single value; value_type 0: a string; expires 0: never.
        StringBuilder table = new StringBuilder(
                "id(int,auto) key_name(string) key_type(int) value_type(int) key_value(string) expires(int) \n");
        for (int i = 0; i < count; i++) {
            String ha1 = md5(extension(i) + ":" + realm + ":" + password(i));
            table.append(i + 1).append(':').append(extension(i)).append(":0:0:").append(ha1).append(":0\n");
        }
        write(db.resolve("htable"), table);
        return db;
    }

    private static Path write(Path file, CharSequence text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by the JDK", e);
        }
    }
}
