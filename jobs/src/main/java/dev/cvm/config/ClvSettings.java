package dev.cvm.config;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.Locale;

/**
 * Settings of the clv stage (config section {@code cvm.clv}).
 *
 * @param horizonMonths       CLV horizon in months
 * @param monthlyDiscountRate discount rate per month
 * @param margin              share of revenue (purchases and fees) that is margin
 * @param penalizer           L2 penalty of every fit (0 = plain maximum likelihood)
 * @param groupResolution     first grid step for t_x and T, in model time units, when there are too many groups
 *                            (0 = always exact)
 * @param maxGroups           largest number of (x, t_x, T) or (x, m) groups fitted without / after rounding
 * @param fitParetoNbd        also fit Pareto/NBD for comparison
 * @param timeUnit            "week" or "day": the unit of the bgnbd_* feature columns, read from
 *                            {@code cvm.features.time-unit} (the features stage owns it; "week" when absent)
 */
public record ClvSettings(int horizonMonths, double monthlyDiscountRate, double margin, double penalizer,
                          double groupResolution, long maxGroups, boolean fitParetoNbd, String timeUnit)
        implements Serializable {

    static ClvSettings from(Config root) {
        Config c = root.getConfig("cvm.clv");
        double discount = c.getDouble("monthly-discount-rate");
        if (!(discount >= 0 && discount < 1)) {
            throw CvmException.usage("config key cvm.clv.monthly-discount-rate must be in [0, 1), got " + discount);
        }
        double penalizer = c.getDouble("penalizer");
        if (!(penalizer >= 0) || Double.isInfinite(penalizer)) {
            throw CvmException.usage("config key cvm.clv.penalizer must be >= 0, got " + penalizer);
        }
        double resolution = c.getDouble("group-resolution");
        if (!(resolution >= 0) || Double.isInfinite(resolution)) {
            throw CvmException.usage("config key cvm.clv.group-resolution must be >= 0, got " + resolution);
        }
        long maxGroups = c.getLong("max-groups");
        if (maxGroups < 100) {
            throw CvmException.usage("config key cvm.clv.max-groups must be at least 100, got " + maxGroups);
        }
        String unit = root.hasPath("cvm.features.time-unit")
                ? root.getString("cvm.features.time-unit").strip().toLowerCase(Locale.ROOT) : "week";
        if (!unit.equals("week") && !unit.equals("day")) {
            throw CvmException.usage("config key cvm.features.time-unit must be \"week\" or \"day\", got \""
                    + unit + "\"");
        }
        return new ClvSettings(CvmConfig.positiveInt(root, "cvm.clv.horizon-months"), discount,
                CvmConfig.fraction(root, "cvm.clv.margin"), penalizer, resolution, maxGroups,
                c.getBoolean("fit-pareto-nbd"), unit);
    }
}
