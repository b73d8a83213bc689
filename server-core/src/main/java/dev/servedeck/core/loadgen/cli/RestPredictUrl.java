package dev.servedeck.core.loadgen.cli;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST target as the command line takes it: a Predict URL ({@code .../v1/models/m[/versions/n]:predict}),
 * or a server's base URL with the model given apart.
 *
 * @param base the server, {@code http://host:port}
 * @param predict where requests go
 * @param version null for the latest
 */
record RestPredictUrl(URI base, URI predict, String model, Long version) {

    private static final Pattern PREDICT_PATH = Pattern.compile("/v1/models/([^/:]+)(?:/versions/(\\d+))?:predict");

    static RestPredictUrl of(String url, String model, Long version) {
        URI given = URI.create(url);
        URI base = URI.create(given.getScheme() + "://" + given.getRawAuthority());
        Matcher path = PREDICT_PATH.matcher(given.getRawPath() == null ? "" : given.getRawPath());
        if (path.matches()) {
            Long inUrl = path.group(2) == null ? null : Long.valueOf(path.group(2));
            return new RestPredictUrl(base, given, path.group(1), inUrl);
        }
        if (given.getRawPath() != null && !given.getRawPath().isEmpty() && !given.getRawPath().equals("/")) {
            // Any other path: sent as given (a body is then needed, since the model is not known).
            return new RestPredictUrl(base, given, model, version);
        }
        if (model == null) {
            throw new IllegalArgumentException("give a Predict URL (http://host:8501/v1/models/NAME:predict) or --model");
        }
        URI predict = base.resolve("/v1/models/" + model + (version == null ? "" : "/versions/" + version) + ":predict");
        return new RestPredictUrl(base, predict, model, version);
    }
}
