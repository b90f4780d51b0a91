package io.tandem.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A plain HTTP client for the node's REST API, as a user's script would call it. */
public final class Api {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path, String login, String password) {
        return send(request(path, login, password).GET());
    }

    public HttpResponse<String> post(String path, String login, String password, String json) {
        return send(request(path, login, password).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A POST of {@code body} as {@code contentType} (a CSV upload, ...). */
    public HttpResponse<String> post(String path, String login, String password, String contentType, String body) {
        return send(request(path, login, password).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> put(String path, String login, String password, String json) {
        return send(request(path, login, password).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path, String login, String password) {
        return send(request(path, login, password).DELETE());
    }

    /** A request with the given headers and no login of its own ({@code X-Api-Key}, ...); {@code json} may be null. */
    public HttpResponse<String> send(String method, String path, Map<String, String> headers, String json) {
        HttpRequest.Builder builder = request(path, null, null);
        headers.forEach(builder::header);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path, String login, String password) {
        // generous: a first /v3/api-docs (springdoc scans every controller) took over 30 s at load 40 in a
        // fresh-clone run; a budget costs nothing while the node answers
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (login != null) {
            String token = Base64.getEncoder().encodeToString((login + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
            builder.header("Authorization", "Basic " + token);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
