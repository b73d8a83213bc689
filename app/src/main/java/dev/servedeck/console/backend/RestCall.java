package dev.servedeck.console.backend;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An HTTP request to the REST API.
 *
 * @param method {@code GET} or {@code POST}
 * @param path from the root, e.g. {@code /v1/models/mlp:predict}
 * @param body the JSON body (empty for GET)
 */
public record RestCall(String method, String path, String body) {

    public RestCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("A REST path starts with '/': " + path);
        }
    }

    public static RestCall get(String path) {
        return new RestCall("GET", path, "");
    }

    public static RestCall post(String path, String body) {
        return new RestCall("POST", path, body);
    }

    /**
     * Sends this call with {@code http} on {@code request} (address, timeout and credentials already set: they are
     * what differs between backends), timed from the send to the whole answer as the Predict page shows it.
     */
    public CompletableFuture<RestReply> send(HttpClient http, HttpRequest.Builder request) {
        if (method.equals("GET")) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        long sent = System.nanoTime();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> new RestReply(response.statusCode(), response.body(),
                        Duration.ofNanos(System.nanoTime() - sent)));
    }
}
