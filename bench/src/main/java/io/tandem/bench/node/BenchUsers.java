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
 * injection file, a Tandem directory seed file and a Kamailio db_text subscriber table.
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

    /** Kamailio's auth_db over db_text: a {@code subscriber} table holding HA1 for {@code realm}, and its version. */
    Path writeKamailioDb(Path dir, String realm) throws IOException {
        Path db = Files.createDirectories(dir.resolve("kamailio-db"));
        write(db.resolve("version"), new StringBuilder(
                "id(int,auto) table_name(string) table_version(int) \n0:subscriber:7\n"));
        StringBuilder table = new StringBuilder(
                "id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string) \n");
        for (int i = 0; i < count; i++) {
            String ha1 = md5(extension(i) + ":" + realm + ":" + password(i));
            // db_text refuses empty columns; ha1b (user@domain form) is unused here.
            table.append(i + 1).append(':').append(extension(i)).append(':').append(realm).append(":-:")
                    .append(ha1).append(":-\n");
        }
        write(db.resolve("subscriber"), table);
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
