package dev.servedeck.core;

import dev.servedeck.core.servable.ServableId;

/** What the answers to Classify and Regress share: the version that served them and the signature used. */
public interface ExampleResult {

    ServableId servedBy();

    String signatureName();
}
