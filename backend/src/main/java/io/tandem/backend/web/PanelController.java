package io.tandem.backend.web;

import io.tandem.backend.acd.AcdProperties;
import io.tandem.backend.acd.queues.QueueDefinition;
import io.tandem.backend.acd.queues.Queues;
import io.tandem.backend.acd.queues.Strategy;
import io.tandem.backend.api.EnumValues;
import io.tandem.backend.api.TenantPrincipal;
import io.tandem.backend.directory.Directory;
import io.tandem.backend.directory.Role;
import io.tandem.backend.directory.User;
import io.tandem.backend.node.NodeIdentity;
import io.tandem.backend.node.NodeProperties;
import java.util.Comparator;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The panel's pages. They render the tenant's queues and agents as they are now; the figures and states are filled
 * in and kept live by the pages' scripts from the REST API and the supervisor WebSocket.
 */
@Controller
class PanelController {

    private final Queues queues;
    private final Directory directory;
    private final AcdProperties acd;
    private final NodeIdentity node;
    private final NodeProperties nodeProperties;

    PanelController(Queues queues, Directory directory, AcdProperties acd, NodeIdentity node,
            NodeProperties nodeProperties) {
        this.queues = queues;
        this.directory = directory;
        this.acd = acd;
        this.node = node;
        this.nodeProperties = nodeProperties;
    }

    /** Administrators also get the link to the API's Swagger UI. */
    @ModelAttribute("admin")
    boolean admin(@AuthenticationPrincipal TenantPrincipal me) {
        return me != null && me.roles().contains(Role.ADMIN);
    }

    @GetMapping({"/", "/panel"})
    String home() {
        return "redirect:" + PanelPaths.SIGN_IN;
    }

    /** Signed-in supervisors go straight on to the wallboard. */
    @GetMapping(PanelPaths.SIGN_IN)
    String signIn(@AuthenticationPrincipal TenantPrincipal me) {
        return me == null ? "panel/sign-in" : "redirect:" + PanelPaths.WALLBOARD;
    }

    @GetMapping(PanelPaths.WALLBOARD)
    String wallboard(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        List<QueueDefinition> tenantQueues = queues.list(me.tenant()).stream()
                .sorted(Comparator.comparing(QueueDefinition::number)).toList();
        model.addAttribute("me", me).addAttribute("page", "wallboard").addAttribute("queues", tenantQueues);
        return "panel/wallboard";
    }

    @GetMapping(PanelPaths.AGENTS)
    String agents(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        List<User> agents = directory.list(me.tenant()).stream()
                .filter(user -> user.roles().contains(Role.AGENT))
                .sorted(Comparator.comparing(User::extension)).toList();
        model.addAttribute("me", me).addAttribute("page", "agents").addAttribute("agents", agents)
                .addAttribute("reasons", acd.notReadyReasons());
        return "panel/agents";
    }

    /** Filled in by its script from the REST API: the queues and their callers change while it is open. */
    @GetMapping(PanelPaths.CALLERS)
    String callers(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "callers");
        return "panel/callers";
    }

    /** A form per queue, filled in and written by its script through the thresholds API. */
    @GetMapping(PanelPaths.THRESHOLDS)
    String thresholds(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "wallboard");
        return "panel/thresholds";
    }

    /** Callback tickets, filled in and kept live by its script (the node's /callback-tickets API). */
    @GetMapping(PanelPaths.TICKETS)
    String tickets(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "callbacks");
        return "panel/tickets";
    }

    /** Searched and charted by its script through the CDR, queue-log and intervals API. */
    @GetMapping(PanelPaths.REPORTS)
    String reports(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "reports");
        return "panel/reports";
    }

    /** Administrators: the queues, edited through the queue API (the strategies offered are the API's). */
    @GetMapping(PanelPaths.ADMIN_QUEUES)
    String adminQueues(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "admin")
                .addAttribute("strategies", EnumValues.wireNames(Strategy.class));
        return "panel/admin-queues";
    }

    /** Administrators: the tenant's users, edited through the user API. */
    @GetMapping(PanelPaths.ADMIN_USERS)
    String adminUsers(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "admin");
        return "panel/admin-users";
    }

    /** The nodes are polled by the page's script at the heartbeat's pace; the page says how gone is decided. */
    @GetMapping(PanelPaths.CLUSTER)
    String cluster(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me).addAttribute("page", "cluster").addAttribute("node", node.id())
                .addAttribute("heartbeatSeconds", Math.max(1, nodeProperties.heartbeatInterval().toSeconds()))
                .addAttribute("ttlSeconds", nodeProperties.heartbeatTtl().toSeconds());
        return "panel/cluster";
    }

    /** Where a signed-in user without the supervisor role lands (403, also when forwarded by the security chain). */
    @GetMapping(PanelPaths.NOT_ALLOWED)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    String notAllowed(@AuthenticationPrincipal TenantPrincipal me, Model model) {
        model.addAttribute("me", me);
        return "panel/not-allowed";
    }
}
