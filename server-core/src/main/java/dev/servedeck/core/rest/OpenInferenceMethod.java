package dev.servedeck.core.rest;

import dev.servedeck.core.security.ApiOperation;

/** The Open Inference Protocol's REST calls, each with the API operation it is (for authorization). */
enum OpenInferenceMethod {
    /** GET /v2/health/live. */
    SERVER_LIVE(ApiOperation.HEALTH),
    /** GET /v2/health/ready. */
    SERVER_READY(ApiOperation.HEALTH),
    /** GET /v2. */
    SERVER_METADATA(ApiOperation.SERVER_METADATA),
    /** GET /v2/models/{m}[/versions/{v}]/ready: a probe, open like the server's. */
    MODEL_READY(ApiOperation.HEALTH),
    /** GET /v2/models/{m}[/versions/{v}]. */
    MODEL_METADATA(ApiOperation.GET_MODEL_METADATA),
    /** POST /v2/models/{m}[/versions/{v}]/infer. */
    INFER(ApiOperation.PREDICT),
    /** POST /v2/repository/index (the model repository extension). */
    REPOSITORY_INDEX(ApiOperation.REPOSITORY_INDEX),
    /** POST /v2/repository/models/{m}/load. */
    REPOSITORY_LOAD(ApiOperation.REPOSITORY_MODEL_LOAD),
    /** POST /v2/repository/models/{m}/unload. */
    REPOSITORY_UNLOAD(ApiOperation.REPOSITORY_MODEL_UNLOAD),
    /** GET /v2/models[/{m}[/versions/{v}]]/stats (the statistics extension). */
    MODEL_STATISTICS(ApiOperation.MODEL_STATISTICS);

    private final ApiOperation operation;

    OpenInferenceMethod(ApiOperation operation) {
        this.operation = operation;
    }

    ApiOperation operation() {
        return operation;
    }
}
