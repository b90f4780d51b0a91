package io.tandem.agent.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tandem.protocol.AgentLogin;
import io.tandem.protocol.AgentStatus;
import io.tandem.protocol.ApiPaths;
import io.tandem.protocol.Problem;
import io.tandem.protocol.Protocol;
import io.tandem.protocol.QueueFigures;
import io.tandem.protocol.StateChange;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The agent REST API of one node ({@link ApiPaths}): login with HTTP Basic {@code ext@tenant}, then everything with
 * the bearer token. Blocking calls: run them on the background executor, never on the FX thread.
 */
public final class AgentApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = Protocol.mapper();
    private volatile String token;

    private AgentApi(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    /** An API client for {@code backendUrl} ({@code http://host:port}); a malformed URL is a {@link ApiException.Kind#BAD_URL}. */
    public static AgentApi of(String backendUrl) throws ApiException {
        return new AgentApi(parse(backendUrl), HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
    }

    /** The URL as the API uses it, or an {@link ApiException} that says what is wrong with it. */
    public static URI parse(String backendUrl) throws ApiException {
        String s = backendUrl == null ? "" : backendUrl.strip();
        if (s.isEmpty()) {
            throw new ApiException(ApiException.Kind.BAD_URL, 0, "Enter the backend URL, e.g. http://10.0.0.5:8080");
        }
        if (!s.matches("(?i)^https?://.*")) {
            throw new ApiException(ApiException.Kind.BAD_URL, 0,
                    "The backend URL must start with http:// or https:// (got '" + s + "')");
        }
        s = s.substring(0, s.indexOf("://")).toLowerCase(java.util.Locale.ROOT) + s.substring(s.indexOf("://"));
        try {
            URI uri = new URI(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new ApiException(ApiException.Kind.BAD_URL, 0,
                        "The backend URL must start with http:// or https:// (got '" + s + "')");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new ApiException(ApiException.Kind.BAD_URL, 0, "The backend URL has no host: '" + s + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ApiException(ApiException.Kind.BAD_URL, 0, "Not a URL: '" + s + "' (" + e.getReason() + ")");
        }
    }

    public URI base() {
        return base;
    }

    /** The bearer token of the session, or null before login. */
    public String token() {
        return token;
    }

    /** Opens the agent's session ({@link ApiPaths#AGENT_LOGIN}); keeps the token for later calls. */
    public AgentLogin login(String tenant, String agentId, char[] password) throws ApiException {
        String user = tenant == null || tenant.isBlank() ? agentId : agentId + "@" + tenant.strip();
        String basic = Base64.getEncoder().encodeToString(
                (user + ":" + new String(password)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request(ApiPaths.AGENT_LOGIN).header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        AgentLogin login = read(send(request), AgentLogin.class);
        token = login.token();
        return login;
    }

    public AgentStatus me() throws ApiException {
        return read(send(authorized(ApiPaths.AGENT_ME).GET().build()), AgentStatus.class);
    }

    public AgentStatus changeState(StateChange change) throws ApiException {
        try {
            HttpRequest request = authorized(ApiPaths.AGENT_STATE).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(change))).build();
            return read(send(request), AgentStatus.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<QueueFigures> queues() throws ApiException {
        HttpResponse<String> response = send(authorized(ApiPaths.QUEUES).GET().build());
        try {
            return json.readValue(response.body(), new TypeReference<List<QueueFigures>>() { });
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.REFUSED, response.statusCode(), "Unreadable queue figures");
        }
    }

    /** Ends the session ({@code DELETE} {@link ApiPaths#AGENT_ME}). */
    public void logout() throws ApiException {
        send(authorized(ApiPaths.AGENT_ME).DELETE().build());
        token = null;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Accept", "application/json");
    }

    private HttpRequest.Builder authorized(String path) {
        String t = token;
        if (t == null) {
            throw new IllegalStateException("not logged in");
        }
        return request(path).header("Authorization", "Bearer " + t);
    }

    private HttpResponse<String> send(HttpRequest request) throws ApiException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new ApiException(ApiException.Kind.UNREACHABLE,
                    "The backend at " + base + " did not answer within " + TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new ApiException(ApiException.Kind.UNREACHABLE,
                    "Cannot reach the backend at " + base + " (connection refused)", e);
        } catch (IOException e) {
            boolean unknownHost = e.getCause() instanceof UnknownHostException || e instanceof UnknownHostException;
            throw new ApiException(ApiException.Kind.UNREACHABLE, unknownHost
                    ? "Unknown host '" + base.getHost() + "': check the backend URL"
                    : "Cannot reach the backend at " + base + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNREACHABLE, "Interrupted while calling the backend", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String detail = problemDetail(response.body());
        switch (status) {
            case 401 -> throw new ApiException(ApiException.Kind.WRONG_CREDENTIALS, status,
                    "Wrong agent id, tenant or password");
            case 403 -> throw new ApiException(ApiException.Kind.FORBIDDEN, status,
                    "This user may not log in as an agent" + (detail.isEmpty() ? "" : ": " + detail));
            case 404 -> throw new ApiException(ApiException.Kind.NOT_SUPPORTED, status,
                    "The server at " + base + " has no agent API (" + request.uri().getPath() + " not found)");
            default -> throw new ApiException(ApiException.Kind.REFUSED, status,
                    "The backend refused (" + status + ")" + (detail.isEmpty() ? "" : ": " + detail));
        }
    }

    /** The detail (or title) of an RFC 9457 problem body, empty when the body is not one. */
    private String problemDetail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            Problem problem = json.readValue(body, Problem.class);
            String text = problem.detail() != null ? problem.detail() : problem.title();
            return text == null ? "" : text;
        } catch (IOException e) {
            return "";
        }
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) throws ApiException {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.REFUSED, response.statusCode(),
                    "The backend answered something that is not a " + type.getSimpleName());
        }
    }
}
