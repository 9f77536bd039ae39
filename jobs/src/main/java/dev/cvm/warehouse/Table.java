package dev.cvm.warehouse;

/**
 * Every Delta table cvm writes. The one place that knows table names; {@link Warehouse} knows where they live.
 * All tables carry a {@code run_date} partition column, so one run date is replaced atomically on a re-run.
 */
public enum Table {
    // ingest: valid rows of each input dataset, and the rows that failed a rule
    ACCOUNTS("accounts"),
    TRANSACTIONS("transactions"),
    USAGE("usage"),
    HOLDINGS("holdings"),
    CAMPAIGN_CONTACTS("campaign_contacts"),
    SUPPORT_EVENTS("support_events"),
    SURVEYS("surveys"),
    SURVEY_RATINGS("survey_ratings"),
    QUARANTINE("quarantine"),
    // features
    ACCOUNT_FEATURES("account_features"),
    ACCOUNT_LABELS("account_labels"),
    // clv
    CLV_PARAMS("clv_params"),
    CUSTOMER_CLV("customer_clv"),
    // models
    MODEL_REGISTRY("model_registry"),
    ACCOUNT_PROPENSITY("account_propensity"),
    // segments and programs
    CUSTOMER_SCORES("customer_scores"),
    CAMPAIGN_TARGETS("campaign_targets"),
    SEGMENT_SUMMARY("segment_summary"),
    // value map
    VALUE_MAP_ATTRIBUTES("value_map_attributes"),
    VALUE_MAP_SEGMENTS("value_map_segments"),
    // operations
    DRIFT("drift"),
    RUN_LOG("run_log");

    private final String tableName;

    Table(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    public static final String RUN_DATE = "run_date";
}
