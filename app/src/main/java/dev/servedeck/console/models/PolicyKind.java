package dev.servedeck.console.models;

/** The three version policies of TF Serving's config, as the policy choice names them. */
public enum PolicyKind {
    LATEST("Latest N"),
    ALL("All"),
    SPECIFIC("Specific");

    private final String text;

    PolicyKind(String text) {
        this.text = text;
    }

    /** What the choice box shows. */
    public String text() {
        return text;
    }

    /** Whether this policy needs a value (a count or a version list). */
    public boolean takesValue() {
        return this != ALL;
    }
}
