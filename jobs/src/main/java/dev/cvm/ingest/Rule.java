package dev.cvm.ingest;

/** The names of the ingest rules, as written to the quarantine table and listed in docs/bad-input.md. */
public final class Rule {
    private Rule() {}

    public static final String NULL_KEY = "null_key";
    public static final String KEY_TOO_LONG = "key_too_long";
    public static final String NULL_VALUE = "null_value";
    public static final String NON_FINITE = "non_finite_value";
    public static final String NEGATIVE = "negative_value";
    public static final String OUT_OF_RANGE = "out_of_range";
    public static final String DATE_AFTER_RUN_DATE = "date_after_run_date";
    public static final String DATE_TOO_OLD = "date_before_min_date";
    public static final String END_BEFORE_START = "end_before_start";
    public static final String DUPLICATE_ROW = "duplicate_row";
    public static final String DUPLICATE_KEY = "duplicate_key";
    public static final String UNKNOWN_REFERENCE = "unknown_reference";
}
