package dev.cvm.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Every column of {@code account_features}: name, definition, window and unit, and what null means.
 * A test checks this list against the table, and docs/features.md is rendered from it.
 */
public final class FeatureCatalog {
    public record Entry(String name, String family, String definition, String window, String unit, String nulls) {}

    private FeatureCatalog() {}

    public static List<Entry> entries(FeatureSettings s) {
        List<Entry> e = new ArrayList<>();
        String unit = s.timeUnit() + "s";
        e.add(new Entry("customer_id", "account", "Customer holding the account", "as-of", "id", "never"));
        e.add(new Entry("account_status", "account", "'active', or 'closed' when closed before the as-of date (kept for "
                + s.keepClosedDays() + " days as win-back candidates)", "as-of", "category", "never"));
        e.add(new Entry("days_since_close", "account", "Days from closure to the as-of date", "as-of", "days", "account active"));
        e.add(new Entry("tenure_days", "account", "Days from opening to the as-of date", "as-of", "days", "never"));
        e.add(new Entry("tenure_months", "account", "Whole months from opening to the as-of date", "as-of", "months", "never"));
        e.add(new Entry("plan", "account", "Plan or tariff (from the run-date snapshot: the contract has no plan history)", "as-of", "category", "never"));
        e.add(new Entry("region", "account", "Region", "as-of", "category", "not delivered"));
        e.add(new Entry("acquisition_channel", "account", "Acquisition channel", "as-of", "category", "not delivered"));
        e.add(new Entry("monthly_fee", "account", "Recurring monthly fee", "as-of", "currency", "pay-as-you-go"));
        for (int w : s.windowsDays()) {
            e.add(new Entry("txn_count_" + w + "d", "rfm", "Transactions in the window (frequency)", w + " days", "count", "never (0)"));
            e.add(new Entry("txn_amount_" + w + "d", "rfm", "Sum of transaction amounts in the window (monetary)", w + " days", "currency", "never (0)"));
        }
        e.add(new Entry("txn_count_life", "rfm", "Transactions ever", "lifetime", "count", "never (0)"));
        e.add(new Entry("txn_amount_life", "rfm", "Sum of all transaction amounts", "lifetime", "currency", "never (0)"));
        e.add(new Entry("first_purchase_date", "rfm", "UTC day of the first transaction", "lifetime", "date", "no transaction yet"));
        e.add(new Entry("last_purchase_date", "rfm", "UTC day of the latest transaction", "lifetime", "date", "no transaction yet"));
        e.add(new Entry("max_order_value", "rfm", "Largest single transaction amount", "lifetime", "currency", "no transaction yet"));
        e.add(new Entry("recency_days", "rfm", "Days from the latest transaction day to the as-of date (recency)", "lifetime", "days", "no transaction yet"));
        e.add(new Entry("avg_order_value", "rfm", "txn_amount_life / txn_count_life", "lifetime", "currency", "no transaction yet"));
        e.add(new Entry("spend_trend_90d", "trend", "(spend last 90 d - spend prior 90 d) / (sum of both); 0 when both are 0", "90 + 90 days", "ratio in [-1, 1]", "never (0)"));
        e.add(new Entry("txn_trend_90d", "trend", "The same symmetric change for transaction counts", "90 + 90 days", "ratio in [-1, 1]", "never (0)"));
        e.add(new Entry("bgnbd_x", "bgnbd", "Repeat purchase days: distinct transaction days after the first (same-day purchases merged)", "lifetime", "count", "no transaction yet"));
        e.add(new Entry("bgnbd_t_x", "bgnbd", "Time from the first to the last transaction day", "lifetime", unit, "no transaction yet"));
        e.add(new Entry("bgnbd_T", "bgnbd", "Time from the first transaction day to the day before the as-of date", "lifetime", unit, "no transaction yet"));
        e.add(new Entry("bgnbd_m_x", "bgnbd", "Mean spend per repeat purchase day (first day excluded)", "lifetime", "currency", "no repeat purchase (x = 0)"));
        e.add(new Entry("usage_avg_3m", "usage", "Mean monthly usage over the last 3 complete months", "3 months", "usage units", "no usage rows"));
        e.add(new Entry("usage_avg_prior_3m", "usage", "Mean monthly usage over complete months 4-6 back", "months 4-6", "usage units", "no usage rows"));
        e.add(new Entry("usage_avg_12m", "usage", "Mean monthly usage over the last 12 complete months", "12 months", "usage units", "no usage rows"));
        e.add(new Entry("active_days_avg_3m", "usage", "Mean active days per month over the last 3 complete months", "3 months", "days", "no usage rows"));
        e.add(new Entry("usage_trend_3m", "usage", "Symmetric change of usage_avg_3m against usage_avg_prior_3m (negative = decline)", "6 months", "ratio in [-1, 1]", "no usage rows"));
        e.add(new Entry("products_held", "holdings", "Products held at the as-of date", "as-of", "count", "never (0)"));
        e.add(new Entry("months_since_new_product", "holdings", "Whole months since the latest product start", "lifetime", "months", "no holdings"));
        for (String p : s.products()) {
            e.add(new Entry("holds_" + p, "holdings", "Holds " + p + " at the as-of date", "as-of", "boolean", "never (false)"));
        }
        for (int w : s.windowsDays()) {
            e.add(new Entry("complaints_" + w + "d", "support", "Support events of type complaint", w + " days", "count", "never (0)"));
            e.add(new Entry("support_contacts_" + w + "d", "support", "Support events of any type", w + " days", "count", "never (0)"));
        }
        e.add(new Entry("days_since_complaint", "support", "Days since the latest complaint", "lifetime", "days", "never complained"));
        for (int w : s.windowsDays()) {
            e.add(new Entry("contacts_" + w + "d", "campaigns", "Marketing contacts sent", w + " days", "count", "never (0)"));
        }
        e.add(new Entry("contacts_life", "campaigns", "Marketing contacts ever sent", "lifetime", "count", "never (0)"));
        e.add(new Entry("response_rate", "campaigns", "Share of contacts responded to", "lifetime", "ratio", "never contacted"));
        e.add(new Entry("conversion_rate", "campaigns", "Share of contacts converted", "lifetime", "ratio", "never contacted"));
        for (String ch : s.contactChannels()) {
            e.add(new Entry("response_rate_" + ch, "campaigns", "Share of " + ch + " contacts responded to", "lifetime", "ratio", "never contacted by " + ch));
        }
        e.add(new Entry("days_since_contact", "campaigns", "Days since the latest contact", "lifetime", "days", "never contacted"));
        e.add(new Entry("survey_value_us", "survey", "Overall value rating of us in the latest response", "latest", "1-10", "never surveyed"));
        e.add(new Entry("survey_value_gap", "survey", "Our overall value rating minus the competitor's, latest response", "latest", "rating points", "never surveyed or competitor not rated"));
        e.add(new Entry("survey_nps", "survey", "Likelihood to recommend, latest response", "latest", "0-10", "never surveyed or not answered"));
        e.add(new Entry("days_since_survey", "survey", "Days since the latest response", "latest", "days", "never surveyed"));
        e.add(new Entry("relative_value", "survey", "Relative customer value of the latest rated response: importance-weighted "
                + "ratio of our attribute ratings to the competitor's (parity 1.0; docs/value-map.md)", "latest", "ratio",
                "never surveyed or no rated attribute"));
        return e;
    }

    public static String markdown(FeatureSettings s) {
        StringBuilder sb = new StringBuilder("| feature | family | definition | window | unit | null means |\n|---|---|---|---|---|---|\n");
        for (Entry e : entries(s)) {
            sb.append("| `").append(e.name()).append("` | ").append(e.family()).append(" | ").append(e.definition())
                    .append(" | ").append(e.window()).append(" | ").append(e.unit()).append(" | ").append(e.nulls())
                    .append(" |\n");
        }
        return sb.toString();
    }
}
