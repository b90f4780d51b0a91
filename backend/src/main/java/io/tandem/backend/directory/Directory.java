package io.tandem.backend.directory;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Tenants and their users, in Redis ({@code tandem:{t}:user:<ext>} hashes and the {@code tandem:{t}:users} index).
 * Writes are Lua scripts so a user and the index never disagree. The tenant is the digest realm.
 */
@Service
public class Directory {

    private static final LuaScript CREATE = LuaScript.load("directory/user_create", ScriptOutputType.INTEGER);

    /** Updates a user's fields (and optionally replaces all skills) when the user exists. */
    private static final LuaScript UPDATE = LuaScript.load("directory/user_update", ScriptOutputType.INTEGER);

    private static final LuaScript DELETE = LuaScript.load("directory/user_delete", ScriptOutputType.INTEGER);

    /** Deletes an app user with its SIP and push bindings. */
    private static final LuaScript DELETE_APP_USER = LuaScript.load("directory/app_user_delete",
            ScriptOutputType.INTEGER);

    private static final String SKILL = "skill.";

    /**
     * The user hash's fields holding the HA1s: the registrar's write script compares the HA1 a REGISTER was checked
     * against with the stored one, so that a cached HA1 never outlives a password change or a deletion.
     */
    public static final String HA1_MD5_FIELD = "ha1md5";
    public static final String HA1_SHA256_FIELD = "ha1sha256";

    private final Redis redis;

    public Directory(Redis redis) {
        this.redis = redis;
    }

    /** Creates a user; false when the extension already exists. Only the password's HA1s are stored. */
    public boolean create(String tenant, String extension, String displayName, Set<Role> roles, String password,
            Map<String, Integer> skills) {
        return create(tenant, extension, displayName, roles, password, skills, UserKind.EXTENSION);
    }

    /**
     * Creates an app user (no roles, no skills); false when the id is taken, by an app user or an extension. Only the
     * password's HA1s are stored.
     */
    public boolean createAppUser(String tenant, String id, String displayName, String password) {
        return create(tenant, id, displayName, Set.of(), password, Map.of(), UserKind.APP_USER);
    }

    private boolean create(String tenant, String extension, String displayName, Set<Role> roles, String password,
            Map<String, Integer> skills, UserKind kind) {
        List<String> args = new ArrayList<>(List.of(extension, displayName, encodeRoles(roles),
                Ha1.md5(extension, tenant, password), Ha1.sha256(extension, tenant, password), kind.wireName()));
        skills.forEach((name, level) -> {
            args.add(name);
            args.add(Integer.toString(level));
        });
        Long created = redis.run(CREATE, List.of(Keys.user(tenant, extension), Keys.users(tenant)),
                args.toArray(String[]::new));
        redis.commands().sadd(Keys.tenants(), tenant);
        return created == 1L;
    }

    /**
     * Changes the given parts of a user (null = unchanged; skills, when given, replace all skills).
     *
     * @return the user after the change, empty when it does not exist
     */
    public Optional<User> update(String tenant, String extension, String displayName, Set<Role> roles,
            String password, Map<String, Integer> skills) {
        List<String> args = new ArrayList<>();
        args.add(skills != null ? "1" : "0");
        if (displayName != null) {
            args.addAll(List.of("displayName", displayName));
        }
        if (roles != null) {
            args.addAll(List.of("roles", encodeRoles(roles)));
        }
        if (password != null) {
            args.addAll(List.of(HA1_MD5_FIELD, Ha1.md5(extension, tenant, password),
                    HA1_SHA256_FIELD, Ha1.sha256(extension, tenant, password)));
        }
        if (skills != null) {
            skills.forEach((name, level) -> args.addAll(List.of(SKILL + name, Integer.toString(level))));
        }
        Long updated = redis.run(UPDATE, List.of(Keys.user(tenant, extension)), args.toArray(String[]::new));
        return updated == 1L ? find(tenant, extension) : Optional.empty();
    }

    /** Deletes a user; false when it did not exist. */
    public boolean delete(String tenant, String extension) {
        Long deleted = redis.run(DELETE, List.of(Keys.user(tenant, extension), Keys.users(tenant)), extension);
        return deleted == 1L;
    }

    /** What deleting an app user found. */
    public enum AppUserDeletion {
        DELETED, NOT_FOUND, NOT_AN_APP_USER
    }

    /**
     * Deletes an app user together with its SIP bindings and push bindings, in one script, so that nothing is left
     * that would still ring or wake its devices. An extension of the same id is left alone.
     */
    public AppUserDeletion deleteAppUser(String tenant, String id) {
        Long result = redis.run(DELETE_APP_USER, List.of(Keys.user(tenant, id), Keys.users(tenant),
                Keys.registration(tenant, id), Keys.registrations(tenant), Keys.pushBindings(tenant, id)), id);
        return result == 1L ? AppUserDeletion.DELETED
                : result == 0L ? AppUserDeletion.NOT_FOUND : AppUserDeletion.NOT_AN_APP_USER;
    }

    /**
     * Whether the extension is a user of the tenant, asked now and answered by the supplier: whatever the caller sends
     * to Redis in between shares the round trip.
     */
    public Supplier<Boolean> knows(String tenant, String extension) {
        RedisFuture<Long> reply = redis.async().exists(Keys.user(tenant, extension));
        return () -> Redis.await(reply) == 1L;
    }

    public Optional<User> find(String tenant, String extension) {
        Map<String, String> hash = redis.commands().hgetall(Keys.user(tenant, extension));
        return hash.isEmpty() ? Optional.empty() : Optional.of(decode(tenant, extension, hash));
    }

    /**
     * As {@link #find}, asked now and answered by the supplier: whatever the caller sends to Redis in between shares
     * the round trip (the digest check sends its nonce-count with it).
     */
    public Supplier<Optional<User>> fetch(String tenant, String extension) {
        RedisFuture<Map<String, String>> reply = redis.async().hgetall(Keys.user(tenant, extension));
        return () -> {
            Map<String, String> hash = Redis.await(reply);
            return hash.isEmpty() ? Optional.empty() : Optional.of(decode(tenant, extension, hash));
        };
    }

    /** All users of a tenant, ordered by extension. */
    public List<User> list(String tenant) {
        List<User> users = new ArrayList<>();
        for (String extension : redis.commands().smembers(Keys.users(tenant))) {
            find(tenant, extension).ifPresent(users::add);
        }
        users.sort(Comparator.comparing(User::extension));
        return users;
    }

    public Set<String> tenants() {
        return redis.commands().smembers(Keys.tenants());
    }

    /**
     * Checks a password by computing its HA1 and comparing it, in constant time, with the stored one.
     * Unknown users cost the same hash, so timing does not reveal which extensions exist.
     */
    public Optional<User> authenticate(String tenant, String extension, String password) {
        Optional<User> user = find(tenant, extension);
        String offered = Ha1.sha256(extension, tenant, password);
        if (user.isPresent() && Ha1.matches(user.get().ha1Sha256(), offered)) {
            return user;
        }
        return Optional.empty();
    }

    private static String encodeRoles(Set<Role> roles) {
        return roles.stream().sorted().map(Role::wireName).collect(Collectors.joining(","));
    }

    private static User decode(String tenant, String extension, Map<String, String> hash) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String encoded = hash.getOrDefault("roles", "");
        if (!encoded.isEmpty()) {
            for (String role : encoded.split(",")) {
                roles.add(Role.fromWire(role));
            }
        }
        Map<String, Integer> skills = new TreeMap<>();
        for (Map.Entry<String, String> field : new LinkedHashMap<>(hash).entrySet()) {
            if (field.getKey().startsWith(SKILL)) {
                skills.put(field.getKey().substring(SKILL.length()), Integer.parseInt(field.getValue()));
            }
        }
        return new User(tenant, extension, hash.getOrDefault("displayName", extension), roles,
                hash.get(HA1_MD5_FIELD), hash.get(HA1_SHA256_FIELD), skills, UserKind.fromWire(hash.get("kind")));
    }
}
