package dev.servedeck.console.backend;

import java.util.Objects;

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
}
