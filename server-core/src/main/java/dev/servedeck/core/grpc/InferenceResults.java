package dev.servedeck.core.grpc;

import dev.servedeck.core.ClassifyResult;
import dev.servedeck.core.RegressResult;
import dev.servedeck.core.servable.Classification;
import dev.servedeck.proto.apis.Class;
import dev.servedeck.proto.apis.ClassificationResult;
import dev.servedeck.proto.apis.Classifications;
import dev.servedeck.proto.apis.Regression;
import dev.servedeck.proto.apis.RegressionResult;
import java.util.List;

/** The core's classify and regress answers as TF Serving's result messages. */
final class InferenceResults {

    private InferenceResults() {
    }

    static ClassificationResult classification(ClassifyResult result) {
        ClassificationResult.Builder proto = ClassificationResult.newBuilder();
        for (List<Classification> example : result.results()) {
            Classifications.Builder classes = proto.addClassificationsBuilder();
            for (Classification classification : example) {
                classes.addClasses(Class.newBuilder()
                        .setLabel(classification.label())
                        .setScore(classification.score()));
            }
        }
        return proto.build();
    }

    static RegressionResult regression(RegressResult result) {
        RegressionResult.Builder proto = RegressionResult.newBuilder();
        for (Float value : result.results()) {
            proto.addRegressions(Regression.newBuilder().setValue(value));
        }
        return proto.build();
    }
}
