package dev.servedeck.core.rest;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps request lines to calls with TF Serving's own patterns (http_rest_api_util.cc), case-insensitive:
 * {@code POST /v1/models/{name}[/versions/{v}|/labels/{l}]:(predict|classify|regress)} and
 * {@code GET /v1/models/{name}[/versions/{v}|/labels/{l}][/metadata]}. Model names and labels are
 * percent-decoded as TF Serving does ('+' stays '+').
 */
final class RestRouter {

    private static final Pattern CALL = Pattern.compile(
            "/v1/models/([^/:]+)(?:/versions/(\\d+)|/labels/([^/:]+))?:(classify|regress|predict)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MODEL = Pattern.compile(
            "/v1/models(?:/([^/:]+))?(?:/versions/(\\d+)|/labels/([^/:]+))?(?:/(metadata))?",
            Pattern.CASE_INSENSITIVE);

    /** The Open Inference Protocol's paths all start so (and no TF Serving path does). */
    private static final String OPEN_INFERENCE_PREFIX = "/v2";
    private static final Pattern OPEN_INFERENCE_SERVER = Pattern.compile("/v2/?|/v2/health/(live|ready)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OPEN_INFERENCE_MODEL = Pattern.compile(
            "/v2/models/([^/]+)(?:/versions/([^/]+))?(/ready|/infer|/stats)?", Pattern.CASE_INSENSITIVE);
    /** The statistics extension's call for every model (a model named "stats" is reached through its versions). */
    private static final Pattern OPEN_INFERENCE_ALL_STATISTICS = Pattern.compile("/v2/models/stats",
            Pattern.CASE_INSENSITIVE);

    /** The model repository extension's paths: the index, and a model's load and unload. */
    private static final Pattern OPEN_INFERENCE_REPOSITORY = Pattern.compile(
            "/v2/repository/(?:(index)|models/([^/]+)/(load|unload))", Pattern.CASE_INSENSITIVE);

    private final MonitoringRoutes monitoring;

    RestRouter() {
        this(MonitoringRoutes.NONE);
    }

    RestRouter(MonitoringRoutes monitoring) {
        this.monitoring = monitoring;
    }

    RouteMatch route(HttpMethod method, String uri) {
        String path = pathOf(uri);
        RouteMatch.Monitoring.Kind monitored = monitoringKind(path);
        if (monitored != null) {
            return method.equals(HttpMethod.GET) ? new RouteMatch.Monitoring(monitored)
                    : methodNotAllowed(method, path, "GET");
        }
        if (isOpenInference(path)) {
            return openInference(method, path);
        }
        Matcher call = CALL.matcher(path);
        if (call.matches()) {
            return method.equals(HttpMethod.POST)
                    ? call(RestMethod.valueOf(call.group(4).toUpperCase(Locale.ROOT)), call.group(1), call.group(2),
                            call.group(3))
                    : methodNotAllowed(method, path, "POST");
        }
        Matcher model = MODEL.matcher(path);
        if (model.matches()) {
            if (!method.equals(HttpMethod.GET)) {
                return methodNotAllowed(method, path, "GET");
            }
            if (model.group(1) == null) {
                return new RouteMatch.Rejection(HttpResponseStatus.BAD_REQUEST, "Missing model name in request.", null);
            }
            RestMethod kind = model.group(4) != null ? RestMethod.METADATA : RestMethod.STATUS;
            return call(kind, model.group(1), model.group(2), model.group(3));
        }
        return new RouteMatch.Rejection(HttpResponseStatus.NOT_FOUND, malformed(method, path), null);
    }

    /** Whether a request line is on the Open Inference Protocol's paths (whose probes need no token). */
    boolean isOpenInference(HttpMethod method, String uri) {
        return isOpenInference(pathOf(uri));
    }

    private static boolean isOpenInference(String path) {
        return path.regionMatches(true, 0, OPEN_INFERENCE_PREFIX, 0, OPEN_INFERENCE_PREFIX.length())
                && (path.length() == OPEN_INFERENCE_PREFIX.length() || path.charAt(OPEN_INFERENCE_PREFIX.length()) == '/');
    }

    /** The protocol's paths: case-insensitive and percent-decoded as TF Serving's are. */
    private static RouteMatch openInference(HttpMethod method, String path) {
        Matcher server = OPEN_INFERENCE_SERVER.matcher(path);
        if (server.matches()) {
            if (!method.equals(HttpMethod.GET)) {
                return methodNotAllowed(method, path, "GET");
            }
            OpenInferenceMethod kind = server.group(1) == null ? OpenInferenceMethod.SERVER_METADATA
                    : server.group(1).equalsIgnoreCase("live") ? OpenInferenceMethod.SERVER_LIVE
                    : OpenInferenceMethod.SERVER_READY;
            return new RouteMatch.OpenInferenceCall(kind, "", "");
        }
        Matcher repository = OPEN_INFERENCE_REPOSITORY.matcher(path);
        if (repository.matches()) {
            return repositoryCall(method, path, repository);
        }
        if (OPEN_INFERENCE_ALL_STATISTICS.matcher(path).matches()) {
            return method.equals(HttpMethod.GET)
                    ? new RouteMatch.OpenInferenceCall(OpenInferenceMethod.MODEL_STATISTICS, "", "")
                    : methodNotAllowed(method, path, "GET");
        }
        Matcher model = OPEN_INFERENCE_MODEL.matcher(path);
        if (!model.matches()) {
            return new RouteMatch.Rejection(HttpResponseStatus.NOT_FOUND, malformed(method, path), null);
        }
        String suffix = model.group(3) == null ? "" : model.group(3).toLowerCase(Locale.ROOT);
        OpenInferenceMethod kind = switch (suffix) {
            case "/infer" -> OpenInferenceMethod.INFER;
            case "/ready" -> OpenInferenceMethod.MODEL_READY;
            case "/stats" -> OpenInferenceMethod.MODEL_STATISTICS;
            default -> OpenInferenceMethod.MODEL_METADATA;
        };
        HttpMethod allowed = kind == OpenInferenceMethod.INFER ? HttpMethod.POST : HttpMethod.GET;
        if (!method.equals(allowed)) {
            return methodNotAllowed(method, path, allowed.name());
        }
        String name = percentDecode(model.group(1));
        String version = model.group(2) == null ? "" : percentDecode(model.group(2));
        if (name == null || version == null) {
            return badRequest("Failed to decode the model name or version: " + path);
        }
        return new RouteMatch.OpenInferenceCall(kind, name, version);
    }

    /** Every repository call is a POST, the index too (its body may ask for ready models only). */
    private static RouteMatch repositoryCall(HttpMethod method, String path, Matcher repository) {
        if (!method.equals(HttpMethod.POST)) {
            return methodNotAllowed(method, path, "POST");
        }
        if (repository.group(1) != null) {
            return new RouteMatch.OpenInferenceCall(OpenInferenceMethod.REPOSITORY_INDEX, "", "");
        }
        String name = percentDecode(repository.group(2));
        if (name == null) {
            return badRequest("Failed to decode the model name: " + path);
        }
        OpenInferenceMethod kind = repository.group(3).equalsIgnoreCase("load")
                ? OpenInferenceMethod.REPOSITORY_LOAD : OpenInferenceMethod.REPOSITORY_UNLOAD;
        return new RouteMatch.OpenInferenceCall(kind, name, "");
    }

    /**
     * The monitoring path a GET names, or null: cheaper than {@link #route} (no pattern is matched), for a check
     * that needs to know only that much.
     */
    RouteMatch.Monitoring.Kind monitoringGet(HttpMethod method, String uri) {
        return method.equals(HttpMethod.GET) ? monitoringKind(pathOf(uri)) : null;
    }

    /** The metrics path is matched exactly, as configured; the health path like the model paths, in any case. */
    private RouteMatch.Monitoring.Kind monitoringKind(String path) {
        if (monitoring.metricsPath().isPresent() && monitoring.metricsPath().get().equals(path)) {
            return RouteMatch.Monitoring.Kind.METRICS;
        }
        if (monitoring.health().isPresent() && MonitoringRoutes.HEALTH_PATH.equalsIgnoreCase(path)) {
            return RouteMatch.Monitoring.Kind.HEALTH;
        }
        return null;
    }

    private static RouteMatch call(RestMethod kind, String rawName, String rawVersion, String rawLabel) {
        String name = percentDecode(rawName);
        if (name == null) {
            return badRequest("Failed to decode model name:" + rawName);
        }
        OptionalLong version = OptionalLong.empty();
        if (rawVersion != null) {
            try {
                version = OptionalLong.of(Long.parseLong(rawVersion));
            } catch (NumberFormatException e) {
                return badRequest("Failed to convert version: " + rawVersion + " to numeric.");
            }
        }
        Optional<String> label = Optional.empty();
        if (rawLabel != null) {
            String decoded = percentDecode(rawLabel);
            if (decoded == null) {
                return badRequest("Failed to decode model version label:" + rawLabel);
            }
            label = Optional.of(decoded);
        }
        return new RouteMatch.Call(kind, name, version, label);
    }

    private static RouteMatch methodNotAllowed(HttpMethod method, String path, String allow) {
        return new RouteMatch.Rejection(HttpResponseStatus.METHOD_NOT_ALLOWED, malformed(method, path), allow);
    }

    private static RouteMatch badRequest(String message) {
        return new RouteMatch.Rejection(HttpResponseStatus.BAD_REQUEST, message, null);
    }

    private static String malformed(HttpMethod method, String path) {
        return "Malformed request: " + method.name() + " " + path;
    }

    private static String pathOf(String uri) {
        int end = uri.length();
        int query = uri.indexOf('?');
        if (query >= 0) {
            end = query;
        }
        int fragment = uri.indexOf('#');
        if (fragment >= 0 && fragment < end) {
            end = fragment;
        }
        return end == uri.length() ? uri : uri.substring(0, end);
    }

    /** Decodes %XX escapes as UTF-8; null when an escape is malformed. */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= text.length()) {
                return null;
            }
            int high = Character.digit(text.charAt(i + 1), 16);
            int low = Character.digit(text.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write((high << 4) | low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
