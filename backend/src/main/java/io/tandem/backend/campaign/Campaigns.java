package io.tandem.backend.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.lettuce.core.ScriptOutputType;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.redis.LuaScript;
import io.tandem.backend.redis.Redis;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A tenant's campaigns ({@link Keys#campaigns}) and their contacts: each contact's record in
 * {@link Keys#campaignContacts}, and the contacts due for a call in {@link Keys#campaignDue} (scored by when; a new
 * contact is due at once). Contacts are added in batches by {@code campaign/add_contacts.lua}: a number already on
 * the campaign keeps its record (attempts, outcome) and is not due again.
 */
@Service
public class Campaigns {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final LuaScript ADD_CONTACTS = LuaScript.load("campaign/add_contacts", ScriptOutputType.INTEGER);
    /** Contacts per script run: long enough to be cheap, short enough not to hold Redis up. */
    static final int BATCH = 500;

    private final Redis redis;

    public Campaigns(Redis redis) {
        this.redis = redis;
    }

    /** Creates or replaces a campaign's definition; true when it is new. Its contacts are untouched. */
    boolean save(String tenant, Campaign campaign) {
        return redis.commands().hset(Keys.campaigns(tenant), campaign.id(), encode(campaign));
    }

    Optional<Campaign> find(String tenant, String id) {
        return Optional.ofNullable(redis.commands().hget(Keys.campaigns(tenant), id)).map(Campaigns::decode);
    }

    List<Campaign> list(String tenant) {
        return redis.commands().hvals(Keys.campaigns(tenant)).stream().map(Campaigns::decode)
                .sorted(Comparator.comparing(Campaign::id)).toList();
    }

    /** Deletes a campaign with its contacts, figures and do-not-call list; it stops dialling. */
    boolean delete(String tenant, String id) {
        redis.commands().srem(Keys.campaignsRunning(tenant), id);
        redis.commands().del(Keys.campaignContacts(tenant, id), Keys.campaignDue(tenant, id),
                Keys.campaignFigures(tenant, id), Keys.campaignDnc(tenant, id), Keys.campaignAttempts(tenant, id));
        return redis.commands().hdel(Keys.campaigns(tenant), id) > 0;
    }

    /** The campaign dials (true) or stops dialling; calls already placed go on. */
    void run(String tenant, String id, boolean running) {
        if (running) {
            redis.commands().sadd(Keys.campaignsRunning(tenant), id);
        } else {
            redis.commands().srem(Keys.campaignsRunning(tenant), id);
        }
    }

    boolean running(String tenant, String id) {
        return redis.commands().sismember(Keys.campaignsRunning(tenant), id);
    }

    /** The tenant's campaigns that dial now (ids whose definition is gone are left out). */
    List<Campaign> running(String tenant) {
        List<Campaign> running = new ArrayList<>();
        for (String id : redis.commands().smembers(Keys.campaignsRunning(tenant))) {
            if (Keys.CAMPAIGN.matcher(id).matches()) {
                find(tenant, id).ifPresent(running::add);
            }
        }
        running.sort(Comparator.comparing(Campaign::id));
        return running;
    }

    /** Contacts claimed and not settled: calls dialling or answered and waiting for an agent. */
    long inFlight(String tenant, String id) {
        return redis.commands().hlen(Keys.campaignDialling(tenant, id));
    }

    /** The campaign's counts: {@code attempts} and one per outcome. */
    Map<String, String> figures(String tenant, String id) {
        return redis.commands().hgetall(Keys.campaignFigures(tenant, id));
    }

    /** Adds contacts not yet on the campaign (due at once); returns how many were new. */
    long addContacts(String tenant, String campaign, List<Contact> contacts) {
        long added = 0;
        for (int from = 0; from < contacts.size(); from += BATCH) {
            List<String> args = new ArrayList<>();
            for (Contact contact : contacts.subList(from, Math.min(contacts.size(), from + BATCH))) {
                args.add(contact.id());
                args.add(encode(new ContactRecord(contact, ContactRecord.State.PENDING, 0, "")));
            }
            Long batch = redis.run(ADD_CONTACTS, List.of(Keys.campaignContacts(tenant, campaign),
                    Keys.campaignDue(tenant, campaign)), args.toArray(String[]::new));
            added += batch == null ? 0 : batch;
        }
        return added;
    }

    /** How many contacts the campaign has, and how many are due for a call. */
    record Counts(long contacts, long due) {
    }

    Counts counts(String tenant, String campaign) {
        return new Counts(redis.commands().hlen(Keys.campaignContacts(tenant, campaign)),
                redis.commands().zcard(Keys.campaignDue(tenant, campaign)));
    }

    Optional<ContactRecord> contact(String tenant, String campaign, String id) {
        return Optional.ofNullable(redis.commands().hget(Keys.campaignContacts(tenant, campaign), id))
                .map(json -> decode(json, ContactRecord.class));
    }

    static Campaign decode(String json) {
        return decode(json, Campaign.class);
    }

    static <T> T decode(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in Redis: "
                    + e.getOriginalMessage(), e);
        }
    }

    static String encode(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
