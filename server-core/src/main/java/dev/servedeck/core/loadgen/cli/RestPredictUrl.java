package dev.servedeck.core.loadgen.cli;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST target as the command line takes it: a Predict URL ({@code .../v1/models/m[/versions/n]:predict}) or an
 * Open Inference Protocol infer URL ({@code .../v2/models/m[/versions/n]/infer}), or a server's base URL with the
 * model given apart.
 *
 * @param base the server, {@code http://host:port}
 * @param predict where requests go
 * @param version null for the latest
 * @param protocol the protocol the URL speaks
 */
record RestPredictUrl(URI base, URI predict, String model, Long version, ServingProtocol protocol) {

    private static final Pattern PREDICT_PATH = Pattern.compile("/v1/models/([^/:]+)(?:/versions/(\\d+))?:predict");
    private static final Pattern INFER_PATH = Pattern.compile("/v2/models/([^/]+)(?:/versions/(\\d+))?/infer");

    /** @param protocol as asked for on the command line; null to take it from the URL (v1 for a base URL) */
    static RestPredictUrl of(String url, String model, Long version, ServingProtocol protocol) {
        URI given = URI.create(url);
        URI base = URI.create(given.getScheme() + "://" + given.getRawAuthority());
        String path = given.getRawPath() == null ? "" : given.getRawPath();
        for (ServingProtocol spoken : ServingProtocol.values()) {
            Matcher matched = (spoken == ServingProtocol.V1 ? PREDICT_PATH : INFER_PATH).matcher(path);
            if (matched.matches()) {
                if (protocol != null && protocol != spoken) {
                    throw new IllegalArgumentException("--protocol " + protocol.name().toLowerCase(Locale.ROOT) + " with a "
                            + spoken.name().toLowerCase(Locale.ROOT) + " URL: give the server's URL (http://host:8501) and "
                            + "--model, or a URL of that protocol");
                }
                Long inUrl = matched.group(2) == null ? null : Long.valueOf(matched.group(2));
                return new RestPredictUrl(base, given, matched.group(1), inUrl, spoken);
            }
        }
        ServingProtocol chosen = protocol == null ? ServingProtocol.V1 : protocol;
        if (!path.isEmpty() && !path.equals("/")) {
            // Any other path: sent as given (a body is then needed, since the model is not known).
            return new RestPredictUrl(base, given, model, version, chosen);
        }
        if (model == null) {
            throw new IllegalArgumentException("give a Predict URL (http://host:8501/v1/models/NAME:predict) or --model");
        }
        String versionPath = version == null ? "" : "/versions/" + version;
        URI predict = base.resolve(chosen == ServingProtocol.V1 ? "/v1/models/" + model + versionPath + ":predict"
                : "/v2/models/" + model + versionPath + "/infer");
        return new RestPredictUrl(base, predict, model, version, chosen);
    }
}
