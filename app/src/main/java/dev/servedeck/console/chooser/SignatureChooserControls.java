package dev.servedeck.console.chooser;

import dev.servedeck.core.signature.SignatureInfo;
import dev.servedeck.console.signatures.SignatureText;
import javafx.scene.control.ComboBox;
import javafx.util.StringConverter;

/**
 * Binds the three combo boxes of a page (model, version, signature, laid out by the page's FXML) to a
 * {@link SignatureChooser}, the same way on every page: the version box is editable (an operator may type a
 * version the list lacks, or a label) and signatures show with the verbs they take.
 */
public final class SignatureChooserControls {

    private SignatureChooserControls() {
    }

    public static void bind(SignatureChooser chooser, ComboBox<String> model, ComboBox<VersionOption> version,
            ComboBox<SignatureInfo> signature) {
        model.setItems(chooser.models());
        model.valueProperty().bindBidirectional(chooser.modelProperty());

        version.setItems(chooser.versions());
        version.setConverter(new StringConverter<>() {
            @Override
            public String toString(VersionOption option) {
                return option == null ? "" : option.text();
            }

            @Override
            public VersionOption fromString(String typed) {
                return VersionOption.parse(typed);
            }
        });
        version.valueProperty().bindBidirectional(chooser.versionProperty());

        signature.setItems(chooser.signatures());
        signature.setConverter(new StringConverter<>() {
            @Override
            public String toString(SignatureInfo info) {
                return info == null ? "" : SignatureText.title(info);
            }

            @Override
            public SignatureInfo fromString(String text) {
                return signature.getValue(); // not editable: words never turn back into a signature
            }
        });
        signature.valueProperty().bindBidirectional(chooser.signatureProperty());
    }
}
