package io.tandem.backend.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script of {@code resources/redis/<feature>/<name>.lua}, run with {@code EVALSHA}, falling back to
 * {@code EVAL} once when the server does not know it yet (after a restart or a Sentinel fail-over the script cache is
 * empty).
 *
 * <p>Every script is loaded the same way: first the key shapes of {@link KeyShape} it uses as the Lua table {@code K}
 * (with the field layouts {@link Keys} names), then the feature's {@code prelude.lua} when the folder has one, then the
 * script. A script declares each key it is given in a header line {@code -- KEYS[n] <shape>: what it is}; the
 * number declared is checked on every run, and {@code LuaKeysTest} checks that every key a script uses is one of
 * those or built with {@code K}.
 */
public final class LuaScript {

    /** Where the scripts live on the class path. */
    static final String ROOT = "/redis/";
    /** The header line that declares a key: {@code -- KEYS[2] queueMembers: the queue's members}. */
    static final Pattern KEY_DECLARATION = Pattern.compile("(?m)^-- KEYS\\[(\\d+)] (\\w+)");

    /** A use of the table K in a script: {@code K.agent(id)}, {@code K.CALL_FIELD}. */
    private static final Pattern K_USE = Pattern.compile("\\bK\\.(\\w+)");

    private final String name;
    private final String source;
    private final String sha1;
    private final ScriptOutputType output;
    private final int keys;

    private LuaScript(String name, String source, ScriptOutputType output, int keys) {
        this.name = name;
        this.source = source;
        this.output = output;
        this.keys = keys;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            this.sha1 = HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }

    /**
     * Loads {@code resources/redis/<name>.lua} ({@code name} is {@code <feature>/<script>}), with the key shapes and
     * the feature's prelude ahead of it.
     */
    public static LuaScript load(String name, ScriptOutputType output) {
        String script = read(name);
        String folder = name.substring(0, name.lastIndexOf('/') + 1);
        String prelude = exists(folder + "prelude") ? read(folder + "prelude") + "\n" : "";
        return new LuaScript(name, keyShapes(prelude + script) + prelude + script, output,
                declaredKeys(name, script));
    }

    /** The script's name, {@code <feature>/<script>}. */
    String name() {
        return name;
    }

    /** The whole source sent to Redis: key shapes, prelude, script. */
    String source() {
        return source;
    }

    /** How many keys the script declares (and must be given). */
    int keys() {
        return keys;
    }

    <T> T run(RedisCommands<String, String> commands, String[] keyArray, String... args) {
        requireDeclaredKeys(keyArray);
        try {
            return commands.evalsha(sha1, output, keyArray, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, output, keyArray, args);
        }
    }

    /** Sends the script by its SHA-1 without waiting for the reply (NOSCRIPT then comes with the reply). */
    <T> RedisFuture<T> send(RedisAsyncCommands<String, String> commands, String[] keyArray, String... args) {
        requireDeclaredKeys(keyArray);
        return commands.evalsha(sha1, output, keyArray, args);
    }

    String sha1() {
        return sha1;
    }

    private void requireDeclaredKeys(String[] keyArray) {
        // A key given but not declared would be one the contract test never saw; one declared but not given is nil.
        if (keyArray.length != keys) {
            throw new IllegalArgumentException(name + ".lua declares " + keys + " keys, given " + keyArray.length);
        }
    }

    /** The keys declared {@code 1..n} in order, each once; a script needs at least one (it names the slot). */
    private static int declaredKeys(String name, String script) {
        TreeSet<Integer> declared = new TreeSet<>();
        Matcher m = KEY_DECLARATION.matcher(script);
        while (m.find()) {
            if (!declared.add(Integer.parseInt(m.group(1)))) {
                throw new IllegalStateException(name + ".lua declares KEYS[" + m.group(1) + "] twice");
            }
        }
        if (declared.isEmpty() || declared.first() != 1 || declared.last() != declared.size()) {
            throw new IllegalStateException(name + ".lua must declare KEYS[1]..KEYS[n], declares " + declared);
        }
        return declared.size();
    }

    /**
     * The Lua table {@code K}: a function per {@link KeyShape} (which prepends {@code KP}, the tenant prefix a prelude
     * sets from what Java passes) and the field layouts shared with Java.
     */
    private static String keyShapes(String uses) {
        Set<String> used = new HashSet<>();
        for (Matcher m = K_USE.matcher(uses); m.find(); ) {
            used.add(m.group(1));
        }
        StringBuilder lua = new StringBuilder("""
                -- Generated by LuaScript from redis/KeyShape and redis/Keys: a key a script is not given in KEYS is
                -- built with these, on the tenant prefix KP that the feature's prelude sets.
                local KP
                local K = {}
                """);
        // Only the functions the prelude and the script name: Redis runs the whole source on every EVALSHA, and
        // defining all the shapes' functions took 20 µs a run where a script of a few commands takes 4.
        for (KeyShape shape : KeyShape.values()) {
            if (used.contains(shape.luaName())) {
                lua.append(shape.luaFunction()).append('\n');
            }
        }
        lua.append("K.CONTACT_FIELD = '").append(Keys.CONTACT_FIELD).append("'\n");
        lua.append("K.CALL_FIELD = '").append(Keys.CALL_FIELD).append("'\n");
        lua.append("K.DIRECT_CALLS_FIELD = '").append(Keys.DIRECT_CALLS_FIELD).append("'\n");
        return lua.toString();
    }

    private static boolean exists(String name) {
        return LuaScript.class.getResource(ROOT + name + ".lua") != null;
    }

    private static String read(String name) {
        try (InputStream in = LuaScript.class.getResourceAsStream(ROOT + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing " + ROOT + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
