package dev.servedeck.core;

import dev.servedeck.core.batching.BatchingOptions;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.config.ModelServerConfig;

/**
 * Told when what the server serves is changed as a whole: a model config applied or refused (whoever sent it: the
 * config file poller, gRPC's ReloadConfig, the admin API, the console) and batching parameters changed live. Version
 * state changes have their own feed (the state monitor). Called on the thread that made the change, after it took
 * effect; must be quick.
 */
public interface ConfigChangeListener {

    /** A model config is in force now. */
    default void configApplied(ModelServerConfig config) {
    }

    /** A model config was refused; the one in force stays (or, for refused labels, its models were applied). */
    default void configRefused(ServingException reason) {
    }

    /** Batching runs with these parameters from now on. */
    default void batchingChanged(BatchingOptions options) {
    }
}
