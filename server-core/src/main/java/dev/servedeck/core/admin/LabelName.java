package dev.servedeck.core.admin;

import java.util.regex.Pattern;

/**
 * What a version label may be called: letters, digits, '_', '.' and '-', as TF Serving's REST paths
 * ({@code /labels/NAME}) can carry it. Public so that a form can say so as the operator types; the administration
 * checks it again on every change.
 */
public final class LabelName {

    /** The words a refusal uses, so the form and the server say the same. */
    public static final String RULE = "A label may hold letters, digits, '_', '.' and '-' only";

    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_.-]+");

    private LabelName() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
