package io.tandem.backend.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract between the Lua scripts and {@link Keys}: every key a script reaches is one it declares in
 * {@code KEYS} or one it builds with {@code K} (the functions generated from {@link KeyShape}), never a string it
 * puts together itself, so the next engineer finds every key in Java and Redis Cluster finds every key on the
 * script's slot. Reads {@code src/main/resources/redis/**.lua} as text; a convention check, not a Lua parser: a
 * script that hides a key from it (a key in a table, a key passed through a loop variable) fails it too.
 */
class LuaKeysTest {

    private static final Path ROOT = Path.of("src/main/resources/redis");
    private static final Pattern CALL = Pattern.compile("redis\\.p?call\\(");
    private static final Pattern KEYS_USE = Pattern.compile("KEYS\\[(\\d+)]");
    private static final Pattern SHAPE_CALL = Pattern.compile("K\\.([a-z]\\w*)\\(");
    /** {@code local a, b = x, y} or {@code a = x} on one line. */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("(?m)^[ \\t]*(?:local[ \\t]+)?([\\w \\t,]+?)[ \\t]*=(?!=)[ \\t]*(.+)$");
    private static final Pattern FUNCTION = Pattern.compile("function\\s+([\\w.]+)\\s*\\(([^)]*)\\)");
    /** Commands whose every argument is a key. */
    private static final Set<String> ALL_KEYS = Set.of("DEL", "EXISTS", "UNLINK", "MGET", "TOUCH");
    /**
     * Commands that take no key: PUBLISH names a channel, which Redis Cluster does not route by slot (a node's offer
     * channel, {@code Keys.nodeOffers}, belongs to no tenant and is handed to a script as an argument).
     */
    private static final Set<String> NO_KEYS = Set.of("PUBLISH");
    private static final Set<String> SHAPES = Arrays.stream(KeyShape.values()).map(KeyShape::luaName)
            .collect(Collectors.toSet());

    @Test
    void everyKeyAScriptUsesIsDeclaredOrBuiltFromAKeyShape() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : scripts()) {
            String name = nameOf(file);
            String script = code(Files.readString(file, StandardCharsets.UTF_8));
            Path prelude = file.resolveSibling("prelude.lua");
            String preludeCode = Files.exists(prelude) ? code(Files.readString(prelude, StandardCharsets.UTF_8)) : "";
            String all = preludeCode + "\n" + script;
            int declared = LuaScript.load(name, ScriptOutputType.VALUE).keys();
            for (Matcher m = KEYS_USE.matcher(all); m.find(); ) {
                if (Integer.parseInt(m.group(1)) > declared) {
                    problems.add(name + ": uses " + m.group() + " but declares " + declared + " keys");
                }
            }
            for (Matcher m = SHAPE_CALL.matcher(all); m.find(); ) {
                if (!SHAPES.contains(m.group(1))) {
                    problems.add(name + ": K." + m.group(1) + " is no KeyShape");
                }
                if (preludeCode.isEmpty()) {
                    problems.add(name + ": K." + m.group(1) + " needs the tenant prefix a prelude sets");
                }
            }
            if (script.contains("KP") || script.contains("tandem:")) {
                problems.add(name + ": builds a key from the prefix itself instead of with K");
            }
            for (Matcher m = CALL.matcher(all); m.find(); ) {
                List<String> args = arguments(all, m.end());
                String command = args.isEmpty() ? "" : args.get(0).replace("'", "").replace("\"", "");
                List<String> keys = NO_KEYS.contains(command) ? List.<String>of()
                        : ALL_KEYS.contains(command) ? args.subList(1, args.size())
                        : args.subList(1, Math.min(2, args.size()));
                for (String key : keys) {
                    if (!isKey(all, key, new HashSet<>())) {
                        problems.add(name + ": redis.call('" + command + "', " + key + ", ...): the key is neither "
                                + "KEYS[n] nor built with K");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Redis runs a script's whole source on every EVALSHA: it carries the key functions it uses, and no others. */
    @Test
    void aScriptCarriesOnlyTheKeyFunctionsItUses() {
        assertThat(LuaScript.load("call/presence_put", ScriptOutputType.INTEGER).source())
                .doesNotContain("function K.").contains("K.CALL_FIELD = ");
        assertThat(LuaScript.load("acd/presence", ScriptOutputType.VALUE).source())
                .contains("function K.agent(").doesNotContain("function K.dialog(");
    }

    @Test
    void everyDeclaredKeyNamesABuilderOfKeys() throws IOException {
        Set<String> builders = Arrays.stream(Keys.class.getMethods())
                .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getReturnType() == String.class)
                .map(Method::getName).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (Path file : scripts()) {
            Matcher m = LuaScript.KEY_DECLARATION.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                if (!builders.contains(m.group(2))) {
                    problems.add(nameOf(file) + ": KEYS[" + m.group(1) + "] " + m.group(2) + " is no Keys builder");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * The keys Java gives one script, built by the builders the script declares, hash to one Redis Cluster slot (the
     * tenant's, or the source address's for the flood guard); the keys a script builds with K share the tenant's slot
     * by construction (KeysTest).
     */
    @Test
    void theKeysOfOneScriptShareASlot() throws IOException, ReflectiveOperationException {
        List<String> problems = new ArrayList<>();
        for (Path file : scripts()) {
            Set<Integer> slots = new TreeSet<>();
            List<String> keys = new ArrayList<>();
            Matcher m = LuaScript.KEY_DECLARATION.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                String key = sampleKey(m.group(2));
                keys.add(key);
                slots.add(SlotHash.getSlot(key));
            }
            if (slots.size() > 1) {
                problems.add(nameOf(file) + ": keys on " + slots.size() + " slots: " + keys);
            }
        }
        assertThat(problems).isEmpty();
    }

    /** A key as the Keys builder of that name makes it, for the first sample values it takes. */
    private static String sampleKey(String builder) throws ReflectiveOperationException {
        String[] samples = {"demo", "1001", "192.0.2.7", "2026-11-29"};
        for (Method method : Keys.class.getMethods()) {
            if (!method.getName().equals(builder) || method.getReturnType() != String.class) {
                continue;
            }
            int arity = method.getParameterCount();
            for (int combination = 0; combination < Math.pow(samples.length, arity); combination++) {
                Object[] values = new Object[arity];
                for (int i = 0, rest = combination; i < arity; i++, rest /= samples.length) {
                    values[i] = samples[rest % samples.length];
                }
                try {
                    return (String) method.invoke(null, values);
                } catch (InvocationTargetException refused) {
                    // these sample values do not fit the builder's checks: try the next ones
                }
            }
        }
        throw new AssertionError("no Keys." + builder + " accepts the sample values");
    }

    @Test
    void theCheckRefusesAKeyTheScriptPutsTogether() {
        String prelude = "KP = ARGV[1]\nlocal function hash(key) return redis.call('HGETALL', key) end\n";
        assertThat(isKey(prelude + "local k = K.agent(id)\n", "k", new HashSet<>())).isTrue();
        assertThat(isKey(prelude, "KEYS[2]", new HashSet<>())).isTrue();
        assertThat(isKey(prelude + "local k = KP .. 'agent:' .. id\n", "k", new HashSet<>())).isFalse();
        assertThat(isKey(prelude + "local k = arg(1)\n", "k", new HashSet<>())).isFalse();
        assertThat(isKey(prelude + "hash(KEYS[1])\nhash(K.offer(id))\n", "key", new HashSet<>())).isTrue();
        assertThat(isKey(prelude + "hash(KEYS[1])\nhash('tandem:x')\n", "key", new HashSet<>())).isFalse();
    }

    /**
     * Whether an expression is a key: {@code KEYS[n]}, {@code K.shape(...)}, or a name every assignment of which (and,
     * for a function's parameter, every call's argument) is one.
     */
    static boolean isKey(String code, String expression, Set<String> seen) {
        String e = expression.trim();
        if (e.matches("KEYS\\[\\d+]")) {
            return true;
        }
        Matcher shape = SHAPE_CALL.matcher(e);
        if (shape.lookingAt() && closes(e, shape.end())) {
            return true;
        }
        if (!e.matches("[A-Za-z_]\\w*") || !seen.add(e)) {
            return e.matches("[A-Za-z_]\\w*"); // a name already being checked: its other sources decide
        }
        List<String> sources = new ArrayList<>();
        // local a, b = x, y   /   a = x
        Matcher assignment = ASSIGNMENT.matcher(code);
        while (assignment.find()) {
            List<String> names = Arrays.stream(assignment.group(1).split(",")).map(String::trim).toList();
            int at = names.indexOf(e);
            if (at >= 0) {
                List<String> values = split(assignment.group(2));
                sources.add(at < values.size() ? values.get(at) : "nil");
            }
        }
        // function f(a, key, ...): every call of f passes a key there
        Matcher function = FUNCTION.matcher(code);
        while (function.find()) {
            List<String> parameters = Arrays.stream(function.group(2).split(",")).map(String::trim).toList();
            int at = parameters.indexOf(e);
            if (at >= 0) {
                Matcher call = Pattern.compile("(?<![\\w.:])" + Pattern.quote(function.group(1)) + "\\(").matcher(code);
                while (call.find()) {
                    if (code.startsWith("function ", Math.max(0, call.start() - "function ".length()))) {
                        continue;
                    }
                    List<String> args = arguments(code, call.end());
                    sources.add(at < args.size() ? args.get(at) : "nil");
                }
            }
        }
        return !sources.isEmpty() && sources.stream().allMatch(source -> isKey(code, source, seen));
    }

    /** Whether the parenthesis opened just before {@code from} closes at the end of {@code e}. */
    private static boolean closes(String e, int from) {
        int depth = 1;
        for (int i = from; i < e.length(); i++) {
            char c = e.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i == e.length() - 1;
            }
        }
        return false;
    }

    /** The arguments of a call whose opening parenthesis ends just before {@code from}, split at top-level commas. */
    static List<String> arguments(String code, int from) {
        int depth = 1;
        int i = from;
        char quote = 0;
        for (; i < code.length() && depth > 0; i++) {
            char c = code.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            }
        }
        return split(code.substring(from, i - 1));
    }

    /** Splits at commas outside brackets and strings. */
    private static List<String> split(String list) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(list.substring(start, i).trim());
                start = i + 1;
            }
        }
        String last = list.substring(start).trim();
        if (!last.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    /** The code without comments ({@code --} to the end of the line, outside strings). */
    private static String code(String source) {
        StringBuilder out = new StringBuilder();
        for (String line : source.split("\n", -1)) {
            char quote = 0;
            int end = line.length();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '-' && line.startsWith("--", i)) {
                    end = i;
                    break;
                }
            }
            out.append(line, 0, end).append('\n');
        }
        return out.toString();
    }

    private static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<Path> scripts = files.filter(p -> p.toString().endsWith(".lua"))
                    .filter(p -> !p.getFileName().toString().equals("prelude.lua")).sorted().toList();
            assertThat(scripts).as("scripts under " + ROOT.toAbsolutePath()).hasSizeGreaterThan(20);
            return scripts;
        }
    }

    private static String nameOf(Path file) {
        String relative = ROOT.relativize(file).toString().replace('\\', '/');
        return relative.substring(0, relative.length() - ".lua".length());
    }
}
