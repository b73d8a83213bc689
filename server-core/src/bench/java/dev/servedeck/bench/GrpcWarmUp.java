package dev.servedeck.bench;

import dev.servedeck.proto.apis.PredictRequest;
import java.io.IOException;

/**
 * Before a server's first measured gRPC row of a model, h2load at c64 until the server stops getting faster
 * ({@link SteadyWarmUp}), the gRPC twin of {@link RestWarmUp}: a server warmed over REST is still cold on its
 * gRPC path.
 */
final class GrpcWarmUp {

    private final H2loadRunner h2load;
    private final SteadyWarmUp steady;
    private final Warnings warnings;

    GrpcWarmUp(H2loadRunner h2load, SteadyWarmUp steady, Warnings warnings) {
        this.h2load = h2load;
        this.steady = steady;
        this.warnings = warnings;
    }

    /** @param answerBytes the size of a correct answer, which h2load's calls are checked against */
    void run(RunningServer server, String label, PredictRequest request, int answerBytes)
            throws IOException, InterruptedException {
        String model = request.getModelSpec().getName();
        steady.warm(label + " gRPC " + model + " (h2load)", length -> {
            var result = h2load.predict(server.grpcUrl(), server.headers(), request, answerBytes, LoadLevel.C64,
                    length);
            if (result.failures() > 0) {
                warnings.warn(label + " gRPC warm-up " + model + " c64: " + result.failures() + " failed calls in "
                        + result.calls());
            }
            return result.callsPerSecond();
        });
    }
}
