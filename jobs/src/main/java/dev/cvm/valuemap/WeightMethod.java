package dev.cvm.valuemap;

import java.util.Locale;

/** How attribute importance weights are derived (docs/value-map.md, "Importance weights"). */
public enum WeightMethod {
    /** Least squares of overall_value_us on our attribute ratings, non-negative, normalised to sum 1. */
    REGRESSION,
    /** Mean over respondents of each attribute's share of the respondent's total stated importance. */
    STATED,
    /** 1/K each: the last resort when neither other method has enough usable responses. Never configured. */
    EQUAL;

    /** The name used in config and in the output tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
