package io.tandem.backend.campaign;

import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.redis.Keys;
import io.tandem.backend.routing.TenantServiceNumbers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's outbound campaigns and their contact lists (admins of the tenant): {@code PUT /{id}} defines a campaign,
 * {@code POST /{id}/contacts} uploads contacts as CSV ({@link ContactList}) and answers with a report of every row
 * refused.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenant}/campaigns")
class CampaignController {

    private static final Logger log = LoggerFactory.getLogger(CampaignController.class);

    private final Campaigns campaigns;
    private final TenantServiceNumbers serviceNumbers;
    private final DoNotCall doNotCall;
    private final CampaignScheduler scheduler;

    CampaignController(Campaigns campaigns, TenantServiceNumbers serviceNumbers, DoNotCall doNotCall,
            CampaignScheduler scheduler) {
        this.scheduler = scheduler;
        this.campaigns = campaigns;
        this.serviceNumbers = serviceNumbers;
        this.doNotCall = doNotCall;
    }

    /** PUT body; what is left out takes its default. */
    record CampaignBody(
            @NotBlank String queue,
            @NotNull(message = "must be one of preview, progressive, predictive, broadcast") Campaign.Mode mode,
            @NotNull @Valid WindowBody window,
            @Min(1) @Max(20) Integer maxAttempts,
            @Valid RetryBody retry,
            @Min(value = 15, message = "must be at least 15 seconds") @Max(120) Integer ringSeconds,
            @DecimalMin("0.0") @DecimalMax(value = "0.1", message = "must be at most 0.1 (10 %)") Double abandonCap,
            @Min(0) Integer maxChannels,
            List<@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_/-]{0,63}",
                    message = "must be a prompt's name: letters, digits, '_', '-', '/'") String> prompt) {
    }

    /** The call window in the contacts' local time ({@code "09:00"} to {@code "20:00"}), on {@code days}. */
    record WindowBody(@NotNull LocalTime start, @NotNull LocalTime end, List<DayOfWeek> days) {
    }

    record RetryBody(@Min(0) Integer busySeconds, @Min(0) Integer noAnswerSeconds, @Min(0) Integer failedSeconds) {
    }

    /** A campaign with its contact counts and whether it dials now. */
    record CampaignView(Campaign campaign, long contacts, long due, boolean running) {
    }

    /**
     * A campaign's figures: attempts, the count of each outcome, the answer rate (answered or abandoned calls per
     * attempt) and the abandon rate (abandoned per answered-or-abandoned call: the live calls no agent took).
     */
    record Figures(long attempts, Map<String, Long> outcomes, double answerRate, double abandonRate,
            long inFlight) {
    }

    /** Numbers for a do-not-call list (E.164). */
    record Numbers(List<String> numbers) {
    }

    /** What an upload did: rows read, contacts taken (new ones, ones already on the campaign) and each row refused. */
    record UploadReport(int rows, int accepted, long added, long alreadyListed, List<ContactList.RowError> rejected) {
    }

    @GetMapping
    List<CampaignView> list(@PathVariable String tenant) {
        return campaigns.list(tenant).stream().map(c -> view(tenant, c)).toList();
    }

    @GetMapping("/{id}")
    CampaignView get(@PathVariable String tenant, @PathVariable String id) {
        return view(tenant, existing(tenant, id));
    }

    @PutMapping("/{id}")
    ResponseEntity<CampaignView> save(@PathVariable String tenant, @PathVariable String id,
            @Valid @RequestBody CampaignBody body) {
        if (!Keys.CAMPAIGN.matcher(id).matches()) {
            throw invalid("id", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (!Keys.EXTENSION.matcher(body.queue()).matches() || !serviceNumbers.isServiceNumber(tenant, body.queue())) {
            throw invalid("queue", "must be a queue of tenant " + tenant);
        }
        if (!body.window().end().isAfter(body.window().start())) {
            throw invalid("window.end", "must be after window.start");
        }
        RetryBody retry = body.retry() == null ? new RetryBody(null, null, null) : body.retry();
        Campaign campaign = new Campaign(id, body.queue(), body.mode(), new Campaign.Window(body.window().start(),
                body.window().end(), body.window().days() == null || body.window().days().isEmpty()
                        ? List.of(DayOfWeek.values()) : body.window().days()),
                body.maxAttempts() == null ? 3 : body.maxAttempts(),
                new Campaign.Retry(or(retry.busySeconds(), 300), or(retry.noAnswerSeconds(), 600),
                        or(retry.failedSeconds(), 900)),
                body.ringSeconds() == null ? 25 : body.ringSeconds(),
                body.abandonCap() == null ? 0.03 : body.abandonCap(), or(body.maxChannels(), 0),
                body.prompt());
        boolean created = campaigns.save(tenant, campaign);
        log.info("campaign {}@{} {}: queue {}, {}", id, tenant, created ? "created" : "replaced", campaign.queue(),
                campaign.mode());
        CampaignView view = view(tenant, campaign);
        return created ? ResponseEntity.created(URI.create("/api/v1/tenants/" + tenant + "/campaigns/" + id))
                .body(view) : ResponseEntity.ok(view);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String tenant, @PathVariable String id) {
        if (!Keys.CAMPAIGN.matcher(id).matches() || !campaigns.delete(tenant, id)) {
            throw notFound(tenant, id);
        }
        log.info("campaign {}@{} deleted with its contacts", id, tenant);
        return ResponseEntity.noContent().build();
    }

    /** Uploads contacts as CSV; good rows are taken, every bad row reported. A list without its header → 400. */
    @PostMapping(path = "/{id}/contacts", consumes = {"text/csv", "text/plain"})
    UploadReport upload(@PathVariable String tenant, @PathVariable String id, @RequestBody String csv) {
        existing(tenant, id);
        ContactList.Parsed parsed;
        try {
            parsed = ContactList.parse(csv);
        } catch (ContactList.Unreadable e) {
            throw invalid("file", e.getMessage());
        }
        long added = campaigns.addContacts(tenant, id, parsed.contacts());
        int rows = parsed.contacts().size() + parsed.errors().size();
        log.info("campaign {}@{}: {} rows uploaded, {} new contacts, {} rows refused", id, tenant, rows, added,
                parsed.errors().size());
        return new UploadReport(rows, parsed.contacts().size(), added, parsed.contacts().size() - added,
                parsed.errors());
    }

    /** The campaign dials from the next tick on. */
    @PostMapping("/{id}/start")
    CampaignView start(@PathVariable String tenant, @PathVariable String id) {
        Campaign campaign = existing(tenant, id);
        campaigns.run(tenant, id, true);
        log.info("campaign {}@{} started", id, tenant);
        return view(tenant, campaign);
    }

    /** The campaign dials no more; calls under way go on. */
    @PostMapping("/{id}/stop")
    CampaignView stop(@PathVariable String tenant, @PathVariable String id) {
        Campaign campaign = existing(tenant, id);
        campaigns.run(tenant, id, false);
        log.info("campaign {}@{} stopped", id, tenant);
        return view(tenant, campaign);
    }

    @GetMapping("/{id}/figures")
    Figures figures(@PathVariable String tenant, @PathVariable String id) {
        existing(tenant, id);
        Map<String, String> raw = campaigns.figures(tenant, id);
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome.wire(), Long.parseLong(raw.getOrDefault(outcome.wire(), "0")));
        }
        long attempts = Long.parseLong(raw.getOrDefault("attempts", "0"));
        long live = outcomes.get(Outcome.ANSWERED.wire()) + outcomes.get(Outcome.ABANDONED.wire());
        return new Figures(attempts, outcomes, attempts == 0 ? 0 : (double) live / attempts,
                live == 0 ? 0 : (double) outcomes.get(Outcome.ABANDONED.wire()) / live,
                campaigns.inFlight(tenant, id));
    }

    /**
     * Preview mode: the signed-in agent asks for the campaign's next contact; it is dialled at once and its answer is
     * offered to that agent only. 200 with the contact, 204 when none is due now.
     */
    @PostMapping("/{id}/next")
    ResponseEntity<Contact> next(@PathVariable String tenant, @PathVariable String id,
            @AuthenticationPrincipal TenantPrincipal me) {
        Campaign campaign = existing(tenant, id);
        if (campaign.mode() != Campaign.Mode.PREVIEW) {
            throw invalid("mode", "the campaign is " + campaign.mode().name().toLowerCase(Locale.ROOT)
                    + ": only a preview campaign's contacts are asked for");
        }
        Optional<Contact> next = scheduler.previewNext(tenant, id, me.extension());
        log.info("campaign {}@{}: agent {} asked for the next contact: {}", id, tenant, me.extension(),
                next.map(Contact::id).orElse("none due"));
        return next.map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
    }

    /** The campaign's do-not-call list. */
    @GetMapping("/{id}/do-not-call")
    Numbers campaignDoNotCall(@PathVariable String tenant, @PathVariable String id) {
        existing(tenant, id);
        return new Numbers(doNotCall.list(tenant, id).stream().sorted().toList());
    }

    /** Adds numbers to the campaign's do-not-call list; any number not E.164 → 400, nothing added. */
    @PostMapping("/{id}/do-not-call")
    Numbers addCampaignDoNotCall(@PathVariable String tenant, @PathVariable String id, @RequestBody Numbers body) {
        existing(tenant, id);
        doNotCall.add(tenant, id, checked(body));
        return campaignDoNotCall(tenant, id);
    }

    static List<String> checked(Numbers body) {
        if (body == null || body.numbers() == null || body.numbers().isEmpty()) {
            throw invalid("numbers", "must name at least one number");
        }
        for (int i = 0; i < body.numbers().size(); i++) {
            String number = body.numbers().get(i);
            if (number == null || !ContactList.isE164(number)) {
                throw invalid("numbers[" + i + "]", "must be an E.164 number such as +4930123456");
            }
        }
        return body.numbers();
    }

    private CampaignView view(String tenant, Campaign campaign) {
        Campaigns.Counts counts = campaigns.counts(tenant, campaign.id());
        return new CampaignView(campaign, counts.contacts(), counts.due(), campaigns.running(tenant, campaign.id()));
    }

    private Campaign existing(String tenant, String id) {
        if (!Keys.CAMPAIGN.matcher(id).matches()) {
            throw notFound(tenant, id);
        }
        return campaigns.find(tenant, id).orElseThrow(() -> notFound(tenant, id));
    }

    private static int or(Integer value, int otherwise) {
        return value == null ? otherwise : value;
    }

    private static ErrorResponseException notFound(String tenant, String id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "no campaign " + id + " in tenant " + tenant);
        problem.setTitle("No such campaign");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }

    /** A 400 naming the field, in the shape of the rest of the API ({@code errors}). */
    static ErrorResponseException invalid(String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "1 invalid field");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(error));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }
}
