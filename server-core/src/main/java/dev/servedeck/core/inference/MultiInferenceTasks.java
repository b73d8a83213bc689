package dev.servedeck.core.inference;

import dev.servedeck.core.servable.ExampleBatch;
import dev.servedeck.core.servable.Servable;
import dev.servedeck.core.status.Code;
import dev.servedeck.core.status.ServingException;
import dev.servedeck.proto.apis.InferenceTask;
import dev.servedeck.proto.apis.ModelSpec;
import dev.servedeck.proto.apis.MultiInferenceRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.SignatureDef;

/**
 * TF Serving's MultiInference rules (multi_inference.cc, multi_inference_helper.cc) in one place, for the gRPC
 * front end and for warmup replay: which tasks a request may hold, checked before anything runs, in TF
 * Serving's order and words; then every task on one model version, run by whoever holds that version.
 */
public final class MultiInferenceTasks {

    public static final String CLASSIFY_METHOD = "tensorflow/serving/classify";
    public static final String REGRESS_METHOD = "tensorflow/serving/regress";

    /** Runs one task on the version the request resolved to. */
    public interface TaskRunner<T> {
        T classify(String signature, ExampleBatch input);

        T regress(String signature, ExampleBatch input);
    }

    private final List<InferenceTask> tasks;

    private MultiInferenceTasks(List<InferenceTask> tasks) {
        this.tasks = tasks;
    }

    /**
     * Checks a request's tasks: at least one, each naming the same non-empty model, no signature twice, only the
     * classify and regress methods.
     *
     * @throws ServingException INVALID_ARGUMENT, or UNIMPLEMENTED for another method, with TF Serving's words
     */
    public static MultiInferenceTasks validate(MultiInferenceRequest request) {
        if (request.getTasksCount() == 0) {
            throw ServingException.invalidArgument("MultiInferenceRequest must contain at least one task.");
        }
        String modelName = "";
        Set<String> signatures = new HashSet<>();
        for (InferenceTask task : request.getTasksList()) {
            String name = task.getModelSpec().getName();
            if (name.isEmpty()) {
                throw ServingException.invalidArgument("Found ModelSpec with an empty model name.");
            }
            if (modelName.isEmpty()) {
                modelName = name;
            } else if (!modelName.equals(name)) {
                throw ServingException.invalidArgument(
                        "All ModelSpecs in a MultiInferenceRequest must access the same model name.");
            }
            String signature = signatureOf(task);
            if (!signatures.add(signature)) {
                throw ServingException.invalidArgument("Duplicate evaluation of signature: " + signature);
            }
            String method = task.getMethodName();
            if (!CLASSIFY_METHOD.equals(method) && !REGRESS_METHOD.equals(method)) {
                throw new ServingException(Code.UNIMPLEMENTED, "Unsupported signature method_name: " + method);
            }
        }
        return new MultiInferenceTasks(request.getTasksList());
    }

    /** The first task's model spec: it chooses the model version every task runs on. */
    public ModelSpec firstModelSpec() {
        return tasks.get(0).getModelSpec();
    }

    /** Whether the first task's model spec was set at all (the gRPC front end tells "no spec" apart). */
    public boolean firstHasModelSpec() {
        return tasks.get(0).hasModelSpec();
    }

    /**
     * Runs every task, in order, on a version with these signatures; checks that each signature exists before
     * any task runs.
     *
     * @return one result per task, in task order
     * @throws ServingException INVALID_ARGUMENT naming a signature the version does not have
     */
    public <T> List<T> run(Map<String, SignatureDef> signatureDefs, ExampleBatch input, TaskRunner<T> runner) {
        for (InferenceTask task : tasks) {
            String signature = signatureOf(task);
            if (!signatureDefs.containsKey(signature)) {
                throw ServingException.invalidArgument("Requested signature not found in model graph: " + signature);
            }
        }
        List<T> results = new ArrayList<>(tasks.size());
        for (InferenceTask task : tasks) {
            String signature = signatureOf(task);
            results.add(CLASSIFY_METHOD.equals(task.getMethodName())
                    ? runner.classify(signature, input) : runner.regress(signature, input));
        }
        return results;
    }

    private static String signatureOf(InferenceTask task) {
        String signature = task.getModelSpec().getSignatureName();
        return signature.isEmpty() ? Servable.DEFAULT_SIGNATURE : signature;
    }
}
