package dev.cvm.features;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of the features and labels stage ({@code cvm.features}, {@code cvm.labels}).
 *
 * @param daysPerUnit 7 for weeks, 1 for days: the unit of the BG/NBD summary
 */
public record FeatureSettings(String timeUnit, double daysPerUnit, List<Integer> windowsDays, List<String> products,
                              List<String> contactChannels, int keepClosedDays, int trainingSnapshots,
                              int trainingStepDays, int horizonDays, String churnDefinition,
                              List<String> upsellProducts) implements Serializable {

    public static FeatureSettings from(Config root) {
        Config f = root.getConfig("cvm.features");
        Config l = root.getConfig("cvm.labels");
        String unit = f.getString("time-unit");
        double days = switch (unit) {
            case "week" -> 7.0;
            case "day" -> 1.0;
            default -> throw CvmException.usage("config key cvm.features.time-unit must be week or day, got " + unit);
        };
        List<Integer> windows = f.getIntList("windows-days");
        if (windows.isEmpty() || windows.stream().anyMatch(w -> w <= 0)) {
            throw CvmException.usage("config key cvm.features.windows-days must list positive day counts, got " + windows);
        }
        String churn = l.getString("churn-definition");
        if (!List.of("closed", "inactive", "closed-or-inactive").contains(churn)) {
            throw CvmException.usage("config key cvm.labels.churn-definition must be closed, inactive or "
                    + "closed-or-inactive, got " + churn);
        }
        int horizon = l.getInt("horizon-days");
        if (horizon <= 0 || horizon > 3660) {
            throw CvmException.usage("config key cvm.labels.horizon-days must be between 1 and 3660, got " + horizon);
        }
        int count = f.getInt("training-snapshots.count");
        int step = f.getInt("training-snapshots.step-days");
        if (count < 1 || step < 1) {
            throw CvmException.usage("config keys cvm.features.training-snapshots.count and .step-days must be >= 1");
        }
        List<String> products = f.getStringList("products");
        List<String> upsell = l.getStringList("upsell-products");
        for (String p : upsell) {
            if (!p.matches("[A-Za-z0-9_]+")) {
                throw CvmException.usage("config key cvm.labels.upsell-products: '" + p
                        + "' must be letters, digits or _ (it becomes a column name)");
            }
        }
        for (String p : products) {
            if (!p.matches("[A-Za-z0-9_]+")) {
                throw CvmException.usage("config key cvm.features.products: '" + p
                        + "' must be letters, digits or _ (it becomes a column name)");
            }
        }
        return new FeatureSettings(unit, days, List.copyOf(windows), List.copyOf(products),
                List.copyOf(f.getStringList("contact-channels")), f.getInt("keep-closed-days"), count, step, horizon,
                churn, List.copyOf(upsell));
    }
}
