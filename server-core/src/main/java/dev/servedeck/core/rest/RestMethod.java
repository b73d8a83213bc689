package dev.servedeck.core.rest;

import dev.servedeck.core.security.ApiOperation;

/** The TF Serving REST calls this front end answers, each with the API operation it is (for authorization). */
enum RestMethod {
    PREDICT(ApiOperation.PREDICT),
    CLASSIFY(ApiOperation.CLASSIFY),
    REGRESS(ApiOperation.REGRESS),
    /** GET /v1/models/{name}: GetModelStatus. */
    STATUS(ApiOperation.GET_MODEL_STATUS),
    /** GET /v1/models/{name}/metadata: GetModelMetadata. */
    METADATA(ApiOperation.GET_MODEL_METADATA);

    private final ApiOperation operation;

    RestMethod(ApiOperation operation) {
        this.operation = operation;
    }

    ApiOperation operation() {
        return operation;
    }
}
