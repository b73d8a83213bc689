package dev.servedeck.core.security;

import java.util.Optional;

/**
 * Every operation a client can ask of the server, whichever front end it comes through, with what it needs.
 * The one place that says which scope an operation needs: the REST front end maps its routes and the gRPC
 * front end its methods to these, and {@link Authorizer} decides.
 */
public enum ApiOperation {
    PREDICT("Predict", Scope.PREDICT),
    CLASSIFY("Classify", Scope.PREDICT),
    REGRESS("Regress", Scope.PREDICT),
    MULTI_INFERENCE("MultiInference", Scope.PREDICT),
    GET_MODEL_METADATA("GetModelMetadata", Scope.PREDICT),
    GET_MODEL_STATUS("GetModelStatus", Scope.PREDICT),
    /** The Open Inference Protocol's server metadata (name, version, extensions): read by the same clients as predict. */
    SERVER_METADATA("ServerMetadata", Scope.PREDICT),
    HANDLE_RELOAD_CONFIG("HandleReloadConfigRequest", Scope.ADMIN),
    // The Open Inference Protocol's model repository extension: 'admin', its index too (it lists every model the
    // server has seen, with load errors, which predict clients have no need to read).
    REPOSITORY_INDEX("RepositoryIndex", Scope.ADMIN),
    REPOSITORY_MODEL_LOAD("RepositoryModelLoad", Scope.ADMIN),
    REPOSITORY_MODEL_UNLOAD("RepositoryModelUnload", Scope.ADMIN),
    // The Open Inference Protocol's statistics extension: 'metrics', as the Prometheus path. It is a second reading
    // of the same recording (counts and durations per model version; no tensors, no load errors), so whoever may
    // scrape may read it, and a predict token learns no more about other clients' traffic than it did before.
    MODEL_STATISTICS("ModelStatistics", Scope.METRICS),
    // The admin API (servedeck.admin.v1.AdminService): what only reads needs 'monitor' (which 'admin' includes),
    // what changes the server needs 'admin'.
    ADMIN_GET_SERVER_INFO("AdminService/GetServerInfo", Scope.MONITOR),
    ADMIN_LIST_MODELS("AdminService/ListModels", Scope.MONITOR),
    ADMIN_GET_BATCHING_PARAMETERS("AdminService/GetBatchingParameters", Scope.MONITOR),
    ADMIN_GET_MODEL_CONFIG("AdminService/GetModelConfig", Scope.MONITOR),
    ADMIN_STREAM_STATISTICS("AdminService/StreamStatistics", Scope.MONITOR),
    ADMIN_STREAM_EVENTS("AdminService/StreamEvents", Scope.MONITOR),
    ADMIN_TAIL_REQUEST_LOG("AdminService/TailRequestLog", Scope.MONITOR),
    ADMIN_ADD_MODEL("AdminService/AddModel", Scope.ADMIN),
    ADMIN_REMOVE_MODEL("AdminService/RemoveModel", Scope.ADMIN),
    ADMIN_SET_VERSION_POLICY("AdminService/SetVersionPolicy", Scope.ADMIN),
    ADMIN_LOAD_VERSION("AdminService/LoadVersion", Scope.ADMIN),
    ADMIN_UNLOAD_VERSION("AdminService/UnloadVersion", Scope.ADMIN),
    ADMIN_SET_LABEL("AdminService/SetLabel", Scope.ADMIN),
    ADMIN_REMOVE_LABEL("AdminService/RemoveLabel", Scope.ADMIN),
    ADMIN_APPLY_BATCHING_PARAMETERS("AdminService/ApplyBatchingParameters", Scope.ADMIN),
    ADMIN_REPLACE_MODEL_CONFIG("AdminService/ReplaceModelConfig", Scope.ADMIN),
    METRICS("the Prometheus metrics path", Scope.METRICS),
    /**
     * REST {@code /v1/health}, gRPC health and the Open Inference Protocol's liveness and readiness calls (server and
     * model): open, so that probes and load balancers need no token.
     */
    HEALTH("health", Access.OPEN),
    /** gRPC server reflection: open, it describes the API (the same protos anyone can download), no data. */
    REFLECTION("server reflection", Access.OPEN),
    /** A browser's CORS preflight (with CORS enabled): browsers never send credentials on it. */
    CORS_PREFLIGHT("a CORS preflight", Access.OPEN),
    /**
     * A path or method that names no operation (answered 404 or 405): any valid token, so that a client
     * without one learns nothing about the server beyond that it wants a token.
     */
    UNKNOWN("an unknown path", Access.ANY_TOKEN);

    /** What an operation asks of the caller. */
    enum Access { OPEN, ANY_TOKEN, SCOPE }

    private final String displayName;
    private final Access access;
    private final Scope scope;

    ApiOperation(String displayName, Scope scope) {
        this.displayName = displayName;
        this.access = Access.SCOPE;
        this.scope = scope;
    }

    ApiOperation(String displayName, Access access) {
        this.displayName = displayName;
        this.access = access;
        this.scope = null;
    }

    /** How error messages name the operation (TF Serving's method names where there is one). */
    public String displayName() {
        return displayName;
    }

    /** True for operations served without a token. */
    public boolean open() {
        return access == Access.OPEN;
    }

    /** The scope a token needs for this operation; empty for open operations and for {@link #UNKNOWN}. */
    public Optional<Scope> requiredScope() {
        return Optional.ofNullable(scope);
    }

    Access access() {
        return access;
    }
}
