package io.tandem.agent.engine.pjsua2;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pjsip.pjsua2.StringVector;

/**
 * Loads {@code libpjsua2.so} from the pjsua2 build (the directory {@value #HOME_PROPERTY} names: the cache that
 * {@code agent-client/src/native/build-pjsua2.sh} fills, or the installed package's library directory). The binding's
 * own loader (patched, see {@code pjsua2-java-loader.patch}) takes the library's absolute path from
 * {@value #LIBRARY_PROPERTY}, so nothing depends on {@code java.library.path}.
 */
final class Pjsua2Library {
    static final String HOME_PROPERTY = "tandem.pjsua2.home";
    static final String LIBRARY_PROPERTY = "org.pjsip.pjsua2.library";

    private static final String REASON = load();

    private Pjsua2Library() {
    }

    /** Null when the library is loaded, else why it is not, in one line. */
    static String unavailableReason() {
        return REASON;
    }

    private static String load() {
        String home = System.getProperty(HOME_PROPERTY, "");
        if (home.isBlank()) {
            return HOME_PROPERTY + " is not set (./tandem sets it to the pjsua2 build)";
        }
        Path library = Path.of(home, "libpjsua2.so");
        if (!Files.isReadable(library)) {
            return "no " + library;
        }
        System.setProperty(LIBRARY_PROPERTY, library.toAbsolutePath().toString());
        try {
            // The first use of a binding class runs its loader; a vector is the cheapest object that has one.
            new StringVector().delete();
            return null;
        } catch (LinkageError e) {
            return library + " does not load: " + e;
        }
    }
}
