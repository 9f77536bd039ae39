package dev.cvm.models;

import dev.cvm.CvmException;
import dev.cvm.features.FeatureSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model predicts. {@code churn}: P(churned within the horizon | active at the as-of date), label
 * {@code churned}. {@code upsell_<product>}: P(adopts the product within the horizon | does not hold it at the as-of
 * date), label {@code adopted_<product>}, trained on rows where that label is not null.
 *
 * @param product the upsell product, null for churn
 */
public record ModelTarget(String name, String labelColumn, String product) {
    public static final String CHURN = "churn";

    public static List<ModelTarget> all(FeatureSettings fs) {
        List<ModelTarget> out = new ArrayList<>();
        out.add(new ModelTarget(CHURN, "churned", null));
        for (String p : fs.upsellProducts()) {
            out.add(new ModelTarget("upsell_" + p, "adopted_" + p, p));
        }
        return out;
    }

    /** {@code churn}, {@code upsell} (every upsell product), {@code all}, or one model name such as upsell_tv. */
    public static List<ModelTarget> select(FeatureSettings fs, String which) {
        List<ModelTarget> all = all(fs);
        List<ModelTarget> out = switch (which) {
            case "all" -> all;
            case "upsell" -> all.stream().filter(t -> t.product() != null).toList();
            default -> all.stream().filter(t -> t.name().equals(which)).toList();
        };
        if (out.isEmpty()) {
            throw CvmException.usage("unknown model '" + which + "': use churn, upsell, all or one of "
                    + all.stream().map(ModelTarget::name).toList()
                    + (which.equals("upsell") ? " (cvm.labels.upsell-products is empty)" : ""));
        }
        return out;
    }

    /** The holding flag that makes an account ineligible for this upsell model (holds_<product>). */
    public String holdsColumn() {
        return product == null ? null : "holds_" + product;
    }
}
