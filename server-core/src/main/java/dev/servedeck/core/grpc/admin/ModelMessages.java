package dev.servedeck.core.grpc.admin;

import dev.servedeck.core.servable.ManagerState;
import dev.servedeck.core.servable.ServableState;
import dev.servedeck.proto.admin.v1.Model;
import dev.servedeck.proto.admin.v1.ModelVersion;
import dev.servedeck.proto.admin.v1.VersionPolicy;
import dev.servedeck.proto.admin.v1.VersionState;
import dev.servedeck.proto.config.FileSystemStoragePathSourceConfig.ServableVersionPolicy;
import dev.servedeck.proto.config.ModelConfig;
import java.util.Map;
import java.util.SortedMap;

/** Models, versions and policies between the admin API's messages and the config and states of the core. */
final class ModelMessages {

    private ModelMessages() {
    }

    /** A model of the config in force with every version the server has seen of it. */
    static Model model(ModelConfig config, SortedMap<Long, ServableState> versions) {
        Model.Builder model = Model.newBuilder()
                .setName(config.getName())
                .setBasePath(config.getBasePath())
                .setPolicy(policy(config.getModelVersionPolicy()))
                .putAllLabels(config.getVersionLabelsMap());
        versions.forEach((number, state) -> model.addVersions(version(state, config.getVersionLabelsMap())));
        return model.build();
    }

    static ModelVersion version(ServableState state, Map<String, Long> labels) {
        ModelVersion.Builder version = ModelVersion.newBuilder()
                .setVersion(state.id().version())
                .setState(state(state.state()))
                .setStatusCode(state.health().code().name())
                .setStatusMessage(state.health().message())
                .setSince(Timestamps.of(state.time()));
        labels.forEach((label, target) -> {
            if (target == state.id().version()) {
                version.addLabels(label);
            }
        });
        return version.build();
    }

    static VersionState state(ManagerState state) {
        return switch (state) {
            case START -> VersionState.START;
            case LOADING -> VersionState.LOADING;
            case AVAILABLE -> VersionState.AVAILABLE;
            case UNLOADING -> VersionState.UNLOADING;
            case END -> VersionState.END;
        };
    }

    /** TF Serving's default, latest 1, when the config sets no policy. */
    static VersionPolicy policy(ServableVersionPolicy config) {
        return switch (config.getPolicyChoiceCase()) {
            case ALL -> VersionPolicy.newBuilder().setAll(VersionPolicy.All.getDefaultInstance()).build();
            case SPECIFIC -> VersionPolicy.newBuilder().setSpecific(VersionPolicy.Specific.newBuilder()
                    .addAllVersions(config.getSpecific().getVersionsList())).build();
            case LATEST -> VersionPolicy.newBuilder().setLatest(VersionPolicy.Latest.newBuilder()
                    .setNumVersions(Math.max(1, config.getLatest().getNumVersions()))).build();
            case POLICYCHOICE_NOT_SET -> VersionPolicy.newBuilder().setLatest(VersionPolicy.Latest.newBuilder()
                    .setNumVersions(1)).build();
        };
    }

    /** The config's form of a policy; an unset policy stays unset (the core's default applies). */
    static ServableVersionPolicy configPolicy(VersionPolicy policy) {
        return switch (policy.getPolicyCase()) {
            case ALL -> ServableVersionPolicy.newBuilder()
                    .setAll(ServableVersionPolicy.All.getDefaultInstance()).build();
            case SPECIFIC -> ServableVersionPolicy.newBuilder().setSpecific(ServableVersionPolicy.Specific.newBuilder()
                    .addAllVersions(policy.getSpecific().getVersionsList())).build();
            case LATEST -> ServableVersionPolicy.newBuilder().setLatest(ServableVersionPolicy.Latest.newBuilder()
                    .setNumVersions(policy.getLatest().getNumVersions())).build();
            case POLICY_NOT_SET -> ServableVersionPolicy.getDefaultInstance();
        };
    }
}
