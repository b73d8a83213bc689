package dev.servedeck.core.batching;

import dev.servedeck.core.servable.ServableId;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which requests may share a batch: same loaded version, signature and requested outputs, and inputs of the
 * same layout. Each key has its own queue.
 *
 * @param instance {@link BatchRequest#loadedInstance()}, whose class must keep Object's identity equality
 */
record BatchKey(ServableId servable, Object instance, String signatureName, List<String> outputAliases,
        SortedMap<String, InputLayout> layouts) {

    static BatchKey of(BatchRequest request, boolean padInnerDims) {
        SortedMap<String, InputLayout> layouts = new TreeMap<>();
        request.inputs().layouts().forEach((alias, layout) ->
                layouts.put(alias, padInnerDims ? layout.withPaddableInnerDims() : layout));
        return new BatchKey(request.servable(), request.loadedInstance(), request.signatureName(),
                request.inputs().outputAliases(), layouts);
    }

    @Override
    public String toString() {
        return "model " + servable.name() + " version " + servable.version() + " signature \"" + signatureName + "\"";
    }
}
