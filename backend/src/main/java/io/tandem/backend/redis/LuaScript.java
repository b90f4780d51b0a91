package io.tandem.backend.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run with {@code EVALSHA}, falling back to {@code EVAL} once when the server does not know it
 * yet (after a restart or a Sentinel fail-over the script cache is empty).
 */
public final class LuaScript {

    private final String source;
    private final String sha1;
    private final ScriptOutputType output;

    public LuaScript(String source, ScriptOutputType output) {
        this.source = source;
        this.output = output;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            this.sha1 = HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the JDK", e);
        }
    }

    <T> T run(RedisCommands<String, String> commands, String[] keys, String... args) {
        try {
            return commands.evalsha(sha1, output, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(source, output, keys, args);
        }
    }

    /** Sends the script by its SHA-1 without waiting for the reply (NOSCRIPT then comes with the reply). */
    <T> io.lettuce.core.RedisFuture<T> send(io.lettuce.core.api.async.RedisAsyncCommands<String, String> commands,
            String[] keys, String... args) {
        return commands.evalsha(sha1, output, keys, args);
    }

    String sha1() {
        return sha1;
    }
}
