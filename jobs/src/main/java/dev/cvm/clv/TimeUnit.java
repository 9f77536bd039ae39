package dev.cvm.clv;

import java.util.Locale;

/**
 * The time unit of t_x, T, horizons and the rate parameters (alpha, beta) of the repeat-purchase models.
 *
 * <p>A month is pinned to the mean Gregorian month, 365.25 / 12 = 30.4375 days, in <em>both</em> units: 30.4375 days
 * or 30.4375 / 7 = 4.348214 weeks. The same calendar month in both units keeps a CLV unchanged when the time unit
 * changes, and twelve months are exactly one year. (lifetimes uses 4.345 weeks and 30 days, which disagree with
 * each other by 1.4 %; {@link dev.cvm.clv.math.DiscountedClv} keeps those constants for its reference tests.)
 */
public enum TimeUnit {
    DAY(1.0),
    WEEK(7.0);

    /** Mean Gregorian month in days: 365.25 / 12. */
    public static final double DAYS_PER_MONTH = 365.25 / 12;

    private final double days;

    TimeUnit(double days) {
        this.days = days;
    }

    /** Length of one unit in days (1 or 7). */
    public double days() {
        return days;
    }

    /** Model time units per month: 30.4375 for days, 4.348214 for weeks. */
    public double unitsPerMonth() {
        return DAYS_PER_MONTH / days;
    }

    /** "day" or "week", as written in config, params.json and clv_params. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "day" or "week" (case-insensitive); anything else is an IllegalArgumentException naming both. */
    public static TimeUnit parse(String s) {
        if (s != null) {
            for (TimeUnit u : values()) {
                if (u.label().equalsIgnoreCase(s.strip())) {
                    return u;
                }
            }
        }
        throw new IllegalArgumentException("time unit must be \"day\" or \"week\", got \"" + s + "\"");
    }
}
