package dev.servedeck.ui;

/**
 * CSS style classes the console's code sets (those FXML sets are in the FXML). Defined in console.css;
 * AtlantaFX's own classes (e.g. {@code accent}, {@code danger}) are named where they are used.
 */
public final class StyleClasses {

    /** The left navigation bar and its buttons. */
    public static final String SIDEBAR = "sd-sidebar";
    public static final String NAV_BUTTON = "sd-nav-button";
    /** A page's title row. */
    public static final String PAGE_TITLE = "sd-page-title";
    /** Server/version states, coloured by meaning. */
    public static final String STATE_OK = "sd-state-ok";
    public static final String STATE_BUSY = "sd-state-busy";
    public static final String STATE_ERROR = "sd-state-error";
    public static final String STATE_IDLE = "sd-state-idle";
    /** The bottom status bar. */
    public static final String STATUS_BAR = "sd-status-bar";
    public static final String BACKEND_NOTICE = "sd-backend-notice";
    public static final String CONNECTION_NAME = "sd-connection-name";
    /** Monospaced text: JSON, logs. */
    public static final String CODE = "sd-code";

    // ---- Logs page ----
    /** A log table row reporting an error (a failed request, an ERROR event). */
    public static final String LOG_ERROR = "sd-log-error";
    /** A log table row reporting a warning. */
    public static final String LOG_WARNING = "sd-log-warning";

    // ---- Predict page ----
    /** A history entry that got an error or no answer. */
    public static final String PREDICT_HISTORY_FAILED = "sd-history-failed";

    // ---- models ----
    /** A model's row in the models tree (its versions are the rows below it). */
    public static final String MODELS_MODEL_ROW = "sd-models-model-row";

    // ---- monitor ----
    /** A chart's card, its header row, title, current value and export button. */
    public static final String MONITOR_CARD = "sd-monitor-card";
    public static final String MONITOR_CARD_HEADER = "sd-monitor-card-header";
    public static final String MONITOR_CARD_TITLE = "sd-monitor-card-title";
    public static final String MONITOR_READOUT = "sd-monitor-readout";
    public static final String MONITOR_EXPORT = "sd-monitor-export";
    /** A chart line's legend entry and its colour swatch, coloured by the line's role. */
    public static final String MONITOR_LEGEND = "sd-monitor-legend";
    public static final String MONITOR_SWATCH = "sd-monitor-swatch";
    public static final String MONITOR_ROLE_ACCENT = "sd-monitor-role-accent";
    public static final String MONITOR_ROLE_SUCCESS = "sd-monitor-role-success";
    public static final String MONITOR_ROLE_WARNING = "sd-monitor-role-warning";
    public static final String MONITOR_ROLE_DANGER = "sd-monitor-role-danger";

    // ---- fleet ----
    /** The Fleet page's table: compact rows, so ten servers fit without scrolling. */
    public static final String FLEET_TABLE = "sd-fleet-table";
    /** A Fleet row whose server has a serious problem (unreachable, failed, a version failed to load). */
    public static final String FLEET_ROW_ERROR = "sd-fleet-row-error";
    /** A Fleet row whose server is not ready or has errors. */
    public static final String FLEET_ROW_WARNING = "sd-fleet-row-warning";
    /** The Fleet row of the server the console manages now. */
    public static final String FLEET_ROW_MANAGED = "sd-fleet-row-managed";

    private StyleClasses() {
    }
}
