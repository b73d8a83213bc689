package dev.servedeck.core.tensorflow;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.proto.AssetFileDef;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;

/** The asset files a MetaGraphDef names, and where they lie in a version folder. */
final class SavedModelAssets {

    static final String ASSETS_FOLDER = "assets";
    private static final String ASSETS_COLLECTION = "saved_model_assets";

    private SavedModelAssets() {
    }

    /**
     * TF2 lists assets in the MetaGraphDef's {@code asset_file_def}, TF1 in the {@code saved_model_assets}
     * collection (read only when the first is empty, as TensorFlow's loader does).
     *
     * @throws IllegalArgumentException for a collection entry that is not an AssetFileDef
     */
    static List<AssetFileDef> of(MetaGraphDef metaGraph) {
        List<AssetFileDef> defs = new ArrayList<>(metaGraph.getAssetFileDefList());
        CollectionDef legacy = metaGraph.getCollectionDefMap().get(ASSETS_COLLECTION);
        if (defs.isEmpty() && legacy != null) {
            for (var any : legacy.getAnyList().getValueList()) {
                try {
                    defs.add(any.unpack(AssetFileDef.class));
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException("unreadable " + ASSETS_COLLECTION + " entry: " + e.getMessage(), e);
                }
            }
        }
        return defs;
    }

    /**
     * The path of an asset, which must lie inside the version's {@code assets/} folder: a SavedModel names
     * its assets by file name, and one that names {@code ../../etc/shadow} must not make the server read (or
     * tell a client about) files outside the model.
     *
     * @throws IllegalArgumentException for a name that leads outside {@code assets/}
     */
    static Path path(Path exportDir, String fileName) {
        Path assetsDir = exportDir.resolve(ASSETS_FOLDER).normalize();
        Path path = assetsDir.resolve(fileName).normalize();
        if (fileName.isEmpty() || !path.startsWith(assetsDir) || path.equals(assetsDir)) {
            throw new IllegalArgumentException("asset file \"" + fileName + "\" is not inside the version's assets/ folder");
        }
        return path;
    }
}
