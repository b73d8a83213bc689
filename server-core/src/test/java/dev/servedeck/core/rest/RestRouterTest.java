package dev.servedeck.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RestRouterTest {

    private final RestRouter router = new RestRouter();

    private RouteMatch.Call call(HttpMethod method, String uri) {
        RouteMatch match = router.route(method, uri);
        assertThat(match).isInstanceOf(RouteMatch.Call.class);
        return (RouteMatch.Call) match;
    }

    private RouteMatch.Rejection rejection(HttpMethod method, String uri) {
        RouteMatch match = router.route(method, uri);
        assertThat(match).isInstanceOf(RouteMatch.Rejection.class);
        return (RouteMatch.Rejection) match;
    }

    @Test
    void callsNameModelVersionOrLabel() {
        assertThat(call(HttpMethod.POST, "/v1/models/m:predict"))
                .isEqualTo(new RouteMatch.Call(RestMethod.PREDICT, "m", OptionalLong.empty(), Optional.empty()));
        assertThat(call(HttpMethod.POST, "/v1/models/m/versions/7:classify"))
                .isEqualTo(new RouteMatch.Call(RestMethod.CLASSIFY, "m", OptionalLong.of(7), Optional.empty()));
        assertThat(call(HttpMethod.POST, "/v1/models/m/labels/canary:regress"))
                .isEqualTo(new RouteMatch.Call(RestMethod.REGRESS, "m", OptionalLong.empty(), Optional.of("canary")));
        assertThat(call(HttpMethod.GET, "/v1/models/m")).isEqualTo(
                new RouteMatch.Call(RestMethod.STATUS, "m", OptionalLong.empty(), Optional.empty()));
        assertThat(call(HttpMethod.GET, "/v1/models/m/versions/3/metadata")).isEqualTo(
                new RouteMatch.Call(RestMethod.METADATA, "m", OptionalLong.of(3), Optional.empty()));
        assertThat(call(HttpMethod.GET, "/v1/models/m/labels/stable")).isEqualTo(
                new RouteMatch.Call(RestMethod.STATUS, "m", OptionalLong.empty(), Optional.of("stable")));
    }

    @Test
    void pathsAreCaseInsensitiveAndNamesPercentDecoded() {
        assertThat(call(HttpMethod.POST, "/V1/Models/MyModel/VERSIONS/2:PREDICT"))
                .isEqualTo(new RouteMatch.Call(RestMethod.PREDICT, "MyModel", OptionalLong.of(2), Optional.empty()));
        assertThat(call(HttpMethod.GET, "/v1/MODELS/m/METADATA").method()).isEqualTo(RestMethod.METADATA);
        assertThat(call(HttpMethod.POST, "/v1/models/my%20model+x:predict?debug=1").model()).isEqualTo("my model+x");
    }

    @Test
    void otherRequestsAreRejectedLikeTfServing() {
        RouteMatch.Rejection unknown = rejection(HttpMethod.POST, "/v1/foo");
        assertThat(unknown.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(unknown.message()).isEqualTo("Malformed request: POST /v1/foo");

        RouteMatch.Rejection getOnPredict = rejection(HttpMethod.GET, "/v1/models/m:predict");
        assertThat(getOnPredict.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(getOnPredict.allow()).isEqualTo("POST");
        assertThat(rejection(HttpMethod.POST, "/v1/models/m").allow()).isEqualTo("GET");
        assertThat(rejection(HttpMethod.DELETE, "/v1/models/m").status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(rejection(HttpMethod.GET, "/v1/models").message()).isEqualTo("Missing model name in request.");
        assertThat(rejection(HttpMethod.POST, "/v1/models/m/versions/99999999999999999999:predict").message())
                .isEqualTo("Failed to convert version: 99999999999999999999 to numeric.");
        assertThat(rejection(HttpMethod.POST, "/v1/models/m%zz:predict").message()).startsWith("Failed to decode model name");
        assertThat(rejection(HttpMethod.GET, "/metrics").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void theModelRepositoryExtensionIsPostOnlyAndNamesTheModel() {
        assertThat(router.route(HttpMethod.POST, "/v2/repository/index"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.REPOSITORY_INDEX, "", ""));
        assertThat(router.route(HttpMethod.POST, "/v2/repository/models/my%20model/load"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.REPOSITORY_LOAD, "my model", ""));
        assertThat(router.route(HttpMethod.POST, "/V2/Repository/Models/m/UNLOAD"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.REPOSITORY_UNLOAD, "m", ""));
        assertThat(rejection(HttpMethod.GET, "/v2/repository/index").allow()).isEqualTo("POST");
        assertThat(rejection(HttpMethod.POST, "/v2/repository/models/m").status())
                .isEqualTo(HttpResponseStatus.NOT_FOUND);
    }

    @Test
    void theStatisticsExtensionIsGetOnlyForAllModelsAModelOrAVersion() {
        assertThat(router.route(HttpMethod.GET, "/v2/models/stats"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.MODEL_STATISTICS, "", ""));
        assertThat(router.route(HttpMethod.GET, "/v2/models/my%20model/stats"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.MODEL_STATISTICS, "my model", ""));
        assertThat(router.route(HttpMethod.GET, "/V2/Models/m/Versions/3/STATS"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.MODEL_STATISTICS, "m", "3"));
        // A model named "stats" keeps its metadata under a version.
        assertThat(router.route(HttpMethod.GET, "/v2/models/stats/versions/1"))
                .isEqualTo(new RouteMatch.OpenInferenceCall(OpenInferenceMethod.MODEL_METADATA, "stats", "1"));
        assertThat(rejection(HttpMethod.POST, "/v2/models/stats").allow()).isEqualTo("GET");
        assertThat(rejection(HttpMethod.POST, "/v2/models/m/versions/3/stats").allow()).isEqualTo("GET");
    }
}
