package io.tandem.backend.acd.agents;

import io.lettuce.core.SetArgs;
import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.api.BearerTokens;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.directory.Role;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Agent session tokens: 256 random bits handed out once at login; Redis keeps only their SHA-256 (a leaked dump
 * does not hand out sessions), with the token's lifetime as TTL, so any node resolves a token another issued.
 */
@Component
public class AgentTokens implements BearerTokens {

    private final Redis redis;
    private final AcdProperties properties;
    private final SecureRandom random = new SecureRandom();

    AgentTokens(Redis redis, AcdProperties properties) {
        this.redis = redis;
        this.properties = properties;
    }

    public String issue(String tenant, String agentId, Set<Role> roles) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String value = tenant + " " + agentId + " "
                + roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(","));
        redis.commands().set(Keys.agentToken(hash(token)), value, SetArgs.Builder.px(properties.tokenTtl().toMillis()));
        return token;
    }

    @Override
    public Optional<TenantPrincipal> resolve(String token) {
        if (token.length() > 128) {
            return Optional.empty();
        }
        String value = redis.commands().get(Keys.agentToken(hash(token)));
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split(" ", 3);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (parts.length == 3 && !parts[2].isEmpty()) {
            for (String role : parts[2].split(",")) {
                roles.add(Role.fromWire(role));
            }
        }
        return Optional.of(new TenantPrincipal(parts[0], parts[1], roles));
    }

    public void revoke(String token) {
        redis.commands().del(Keys.agentToken(hash(token)));
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }
}
