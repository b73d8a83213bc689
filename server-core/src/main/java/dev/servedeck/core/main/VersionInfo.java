package dev.servedeck.core.main;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: ServeDeck's version (from the jar manifest) and the TensorFlow it embeds. */
final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ServerCommand.class.getPackage().getImplementationVersion();
        return new String[] {
            "ServeDeck model server " + (version == null ? "(development build)" : version),
            "TensorFlow Serving API compatible; TensorFlow Java 1.1.0 (TensorFlow 2.18)"
        };
    }
}
