package dev.servedeck.core.loadgen;

import java.io.IOException;

/**
 * Starts a run of a plan against one fixed target (a model over one API), as many times as asked: a sweep or the
 * batching tuner runs plan after plan, each on fresh connections, since a {@link LoadRun} owns and closes its
 * target. The command line opens a new {@link LoadTarget} per run; the console starts one through its backend.
 */
@FunctionalInterface
public interface LoadRunner {

    /** Opens the plan's connections and starts sending (see {@link LoadRun#start}). */
    LoadRun start(LoadPlan plan) throws IOException, InterruptedException;
}
