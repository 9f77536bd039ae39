package dev.cvm.valuemap;

/** Column names of the value-map tables and of the intermediate frames (docs/value-map.md lists every one). */
public final class ValueMapColumns {
    private ValueMapColumns() {}

    // Input columns (docs/data-contract.md).
    public static final String RESPONSE_ID = "response_id";
    public static final String ACCOUNT_ID = "account_id";
    public static final String SURVEY_DATE = "survey_date";
    public static final String OVERALL_VALUE_US = "overall_value_us";
    public static final String ATTRIBUTE = "attribute";
    public static final String ATTRIBUTE_TYPE = "attribute_type";
    public static final String RATING_US = "rating_us";
    public static final String RATING_COMPETITOR = "rating_competitor";
    public static final String IMPORTANCE = "importance";

    // Attribute types: the two axes of the value map.
    public static final String QUALITY = "quality";
    public static final String PRICE = "price";

    // Segments.
    public static final String SEGMENT_TYPE = "segment_type";
    public static final String SEGMENT_VALUE = "segment_value";
    /** segment_type and segment_value of the segment every respondent belongs to. */
    public static final String ALL = "all";

    // value_map_attributes.
    public static final String RESPONDENTS = "respondents";
    public static final String SUPPRESSED = "suppressed";
    public static final String MEAN_RATING_US = "mean_rating_us";
    public static final String MEAN_RATING_COMPETITOR = "mean_rating_competitor";
    public static final String PERFORMANCE_RATIO = "performance_ratio";
    public static final String WEIGHT = "weight";
    public static final String WEIGHT_WITHIN_TYPE = "weight_within_type";
    public static final String WEIGHT_METHOD = "weight_method";

    // value_map_segments.
    public static final String RELATIVE_VALUE = "relative_value";
    public static final String RELATIVE_VALUE_SE = "relative_value_se";
    public static final String RELATIVE_VALUE_CI_LOW = "relative_value_ci_low";
    public static final String RELATIVE_VALUE_CI_HIGH = "relative_value_ci_high";
    public static final String CONFIDENCE_LEVEL = "confidence_level";
    public static final String QUALITY_RATIO = "quality_ratio";
    public static final String PRICE_RATIO = "price_ratio";
    public static final String QUADRANT = "quadrant";

    // AccountRelativeValue.
    public static final String VALUE_SURVEY_DATE = "value_survey_date";
}
