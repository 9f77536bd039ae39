package dev.cvm.generate;

import com.typesafe.config.Config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ground truth the generator plants (config section {@code cvm.generate}). Time unit for BG/NBD is weeks.
 *
 * @param bgR        BG/NBD r: shape of the Gamma purchase-rate heterogeneity
 * @param bgAlpha    BG/NBD alpha: rate of that Gamma (per week)
 * @param bgA        BG/NBD a: Beta dropout heterogeneity
 * @param bgB        BG/NBD b
 * @param ggP        Gamma-Gamma p: shape of each transaction's spend
 * @param ggQ        Gamma-Gamma q: shape of the spend-scale heterogeneity
 * @param ggV        Gamma-Gamma v (gamma): rate of the spend-scale heterogeneity
 * @param churnScale multiplier on the monthly account-closure hazard (0 switches closures off, which keeps the
 *                   purchase process exactly BG/NBD)
 */
public record GeneratorParams(double bgR, double bgAlpha, double bgA, double bgB,
                              double ggP, double ggQ, double ggV,
                              double churnIntercept, double churnDecline, double churnComplaints,
                              double churnTenure, double churnValue, double churnScale,
                              double surveyShare) implements Serializable {

    public static GeneratorParams from(Config c) {
        return new GeneratorParams(
                c.getDouble("bgnbd.r"), c.getDouble("bgnbd.alpha"), c.getDouble("bgnbd.a"), c.getDouble("bgnbd.b"),
                c.getDouble("gamma-gamma.p"), c.getDouble("gamma-gamma.q"), c.getDouble("gamma-gamma.v"),
                c.getDouble("churn.intercept"), c.getDouble("churn.usage-decline"), c.getDouble("churn.complaints-3m"),
                c.getDouble("churn.log-tenure-months"), c.getDouble("churn.value-deficit"), c.getDouble("churn.scale"),
                c.getDouble("survey-share"));
    }

    public GeneratorParams withChurnScale(double scale) {
        return new GeneratorParams(bgR, bgAlpha, bgA, bgB, ggP, ggQ, ggV, churnIntercept, churnDecline,
                churnComplaints, churnTenure, churnValue, scale, surveyShare);
    }

    /** For the ground-truth file. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bgnbd", Map.of("r", bgR, "alpha", bgAlpha, "a", bgA, "b", bgB, "time_unit", "week"));
        m.put("gamma_gamma", Map.of("p", ggP, "q", ggQ, "v", ggV));
        m.put("churn_monthly_hazard_logit", Map.of("intercept", churnIntercept, "usage_decline", churnDecline,
                "complaints_last_3_months", churnComplaints, "log1p_tenure_months", churnTenure,
                "value_deficit", churnValue, "scale", churnScale));
        m.put("survey_attribute_weights", AccountSimulator.ATTRIBUTE_WEIGHTS_MAP);
        m.put("survey_share", surveyShare);
        return m;
    }
}
