package dev.servedeck.core.testing;

/** --platform_config_file texts as TF Serving's documentation writes them. */
public final class PlatformConfigs {

    private PlatformConfigs() {
    }

    /** A PlatformConfigMap whose tensorflow platform loads with this SessionBundleConfig (the inside of legacy_config). */
    public static String tensorflow(String sessionBundleConfig) {
        return """
                platform_configs {
                  key: "tensorflow"
                  value {
                    source_adapter_config {
                      [type.googleapis.com/tensorflow.serving.SavedModelBundleSourceAdapterConfig] {
                        legacy_config {
                """ + sessionBundleConfig + """

                        }
                      }
                    }
                  }
                }
                """;
    }
}
