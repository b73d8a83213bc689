package dev.servedeck.core.rest;

/** The TF Serving REST calls this front end answers. */
enum RestMethod {
    PREDICT,
    CLASSIFY,
    REGRESS,
    /** GET /v1/models/{name}: GetModelStatus. */
    STATUS,
    /** GET /v1/models/{name}/metadata: GetModelMetadata. */
    METADATA
}
