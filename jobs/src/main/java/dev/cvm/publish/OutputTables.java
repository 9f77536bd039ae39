package dev.cvm.publish;

import dev.cvm.features.FeatureCatalog;
import dev.cvm.features.FeatureSettings;
import dev.cvm.warehouse.Table;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contract of the output tables, as code: what each table is, its grain and key, and every column with its type
 * and meaning. {@code cvm publish} writes these as table and column comments (catalog and PostgreSQL), and
 * docs/output-tables.md embeds {@link #markdown()} (a test keeps the two, and the real tables, in step).
 */
public final class OutputTables {
    private OutputTables() {}

    /** A documented column; {@code name} may hold a {@code <placeholder>} standing for a configured name. */
    public record Col(String name, String type, String meaning) {
        public boolean isPattern() {
            return name.contains("<");
        }

        public boolean matches(String column) {
            if (!isPattern()) {
                return name.equals(column);
            }
            String regex = Pattern.quote(name).replaceAll("<[a-z_]+>", "\\\\E[A-Za-z0-9_]+\\\\Q");
            return column.matches(regex);
        }
    }

    /** One output table: purpose, grain, key (within a run date) and columns in table order. */
    public record Doc(Table table, String purpose, String grain, List<String> key, List<Col> columns) {}

    public static final String RUN_DATE_MEANING = "Run date that wrote the row; the Delta table's partition column "
            + "(one complete run per date). In PostgreSQL: the run being served";

    /** Stands for the columns of account_features in customer_scores. */
    public static final String FEATURES = "<account_features column>";
    /** Stands for further columns of account_propensity, passed through. */
    public static final String PASS_THROUGH = "<account_propensity column>";

    public static final Doc CUSTOMER_SCORES = new Doc(Table.CUSTOMER_SCORES,
            "Everything known about each account on the run date: its analytic record, CLV and propensities, value "
                    + "at risk and upside, segments, CVM program, chosen channel and whether it is targeted",
            "one row per account in the run date's analytic record (active accounts, and closed ones kept as win-back "
                    + "candidates)",
            List.of("account_id"),
            List.of(
                    new Col("account_id", "string", "Account identifier (the input contract's key)"),
                    new Col("micro_segment", "int", "Behavioural micro-segment (k-means cluster id; k chosen by "
                            + "silhouette); its profile is in segment_summary"),
                    new Col(FEATURES, "(as in account_features)", "Every column of account_features for the run "
                            + "date's as-of date except as_of_date, with its catalog definition (docs/features.md): "
                            + "customer_id, account_status, tenure, RFM windows, usage, holdings, support, campaigns, "
                            + "survey"),
                    new Col("clv", "double", "Customer lifetime value: discounted expected future value (currency), "
                            + "customer_clv.total_clv; 0 when the account has no CLV row"),
                    new Col("transactional_clv", "double", "Discounted margin of future purchases (currency), from "
                            + "customer_clv (docs/clv.md)"),
                    new Col("subscription_clv", "double", "Discounted future subscription fees (currency), from "
                            + "customer_clv"),
                    new Col("p_alive", "double", "Probability that the customer is still buying (BG/NBD), from "
                            + "customer_clv; null without purchases"),
                    new Col("expected_purchases", "double", "Expected purchases over the CLV horizon, from customer_clv"),
                    new Col("expected_avg_spend", "double", "Expected spend per purchase (Gamma-Gamma, currency), "
                            + "from customer_clv"),
                    new Col("clv_model", "string", "The transactional CLV model used (customer_clv.model)"),
                    new Col("churn_probability", "double", "Probability that the account churns within the label "
                            + "horizon (cvm.labels), from account_propensity; null when it was not scored"),
                    new Col("upsell_<product>", "double", "Probability that the account adopts the product in the "
                            + "column's name within the label horizon (one column per cvm.labels.upsell-products), "
                            + "from account_propensity; null when not scored (e.g. it already holds the product)"),
                    new Col("best_upsell_product", "string", "The product with the highest upsell probability, from "
                            + "account_propensity (the upsell program's offer); null when the account holds them all"),
                    new Col("best_upsell_probability", "double", "That product's upsell probability"),
                    new Col("model_versions", "map<string,int>", "Model name to the champion version that scored "
                            + "the account (PostgreSQL: JSON text)"),
                    new Col(PASS_THROUGH, "(as in the source)", "Further columns of account_propensity, passed "
                            + "through unchanged"),
                    new Col("value_at_risk", "double", "clv x churn_probability (currency): the value expected to be "
                            + "lost to churn; 0 when either is missing"),
                    new Col("upside", "double", "The best upsell propensity x the product's margin "
                            + "(cvm.programs.product-margin), over the products (currency); 0 when there is none"),
                    new Col("value_tier", "string", "Value tier by CLV rank (cvm.segments.value-tiers: platinum = "
                            + "top 1%, gold = top 5%, ...; the rest cvm.segments.rest-tier)"),
                    new Col("r_score", "int", "RFM recency quintile 1-5 (5 = most recent); 1 without a transaction "
                            + "in 365 days"),
                    new Col("f_score", "int", "RFM frequency quintile 1-5 over 365 days (5 = most frequent)"),
                    new Col("m_score", "int", "RFM monetary quintile 1-5 over 365 days (5 = highest spend)"),
                    new Col("rfm_segment", "string", "RFM segment: the first of cvm.segments.rfm-segments whose "
                            + "score ranges match, else cvm.segments.rfm-default"),
                    new Col("custom_<scheme>", "string", "Segment of the user-defined scheme in the column's name "
                            + "(cvm.segments.custom): the first rule that holds, else the scheme's default"),
                    new Col("program", "string", "Primary CVM program: the first of cvm.programs.rules whose "
                            + "condition holds; none when no rule holds"),
                    new Col("program_value", "double", "What a response to the program is worth (currency; the "
                            + "rule's value expression)"),
                    new Col("offer", "string", "The program's offer or product for this account"),
                    new Col("contact_blocked", "string", "Why the account must not be contacted this run: "
                            + "suppression_list or cooldown (contacted within cvm.programs.cooldown-days); null when "
                            + "it may be"),
                    new Col("channel", "string", "Contact channel with the highest expected net value"),
                    new Col("response_probability", "double", "Expected response rate on that channel: the "
                            + "account's own history blended with its micro-segment's rate"),
                    new Col("contact_cost", "double", "Cost of one contact on that channel (cvm.programs.channel-cost)"),
                    new Col("expected_net_value", "double", "response_probability x program_value - contact_cost "
                            + "(currency)"),
                    new Col("targeted", "boolean", "True when the account is in campaign_targets for this run"),
                    new Col("run_date", "date", RUN_DATE_MEANING)));

    public static final Doc CAMPAIGN_TARGETS = new Doc(Table.CAMPAIGN_TARGETS,
            "The contacts to make this run: per program, the accounts picked within its budget, with channel and offer",
            "one row per targeted account (an account has one program, so at most one row)",
            List.of("program", "account_id"),
            List.of(
                    new Col("program", "string", "CVM program (cvm.programs.rules)"),
                    new Col("account_id", "string", "Account to contact (customer_scores.account_id)"),
                    new Col("channel", "string", "Channel to contact it on"),
                    new Col("offer", "string", "Offer or product to present"),
                    new Col("response_probability", "double", "Expected response rate on the channel"),
                    new Col("program_value", "double", "What a response is worth (currency)"),
                    new Col("expected_value", "double", "Expected net value of the contact: response_probability x "
                            + "program_value - cost (currency); always > 0"),
                    new Col("cost", "double", "Cost of the contact (currency)"),
                    new Col("rank", "int", "Position within the program by expected net value per cost (1 = first "
                            + "to contact); the program's spend up to any rank fits its budget"),
                    new Col("run_date", "date", RUN_DATE_MEANING)));

    public static final Doc SEGMENT_SUMMARY = new Doc(Table.SEGMENT_SUMMARY,
            "Size and value of every segment of every scheme, for dashboards",
            "one row per scheme and segment",
            List.of("scheme", "segment"),
            List.of(
                    new Col("scheme", "string", "Segmentation scheme: value_tier, rfm_segment, micro_segment, program "
                            + "or a custom_ scheme (the customer_scores column it summarises)"),
                    new Col("segment", "string", "Segment within the scheme (the column's value, as text)"),
                    new Col("accounts", "bigint", "Accounts in the segment"),
                    new Col("total_clv", "double", "Sum of clv (currency)"),
                    new Col("mean_clv", "double", "Mean clv (currency)"),
                    new Col("share_of_clv", "double", "total_clv / the run's total CLV (0..1); null when the total "
                            + "is 0"),
                    new Col("mean_churn_probability", "double", "Mean churn_probability of the scored accounts"),
                    new Col("total_value_at_risk", "double", "Sum of value_at_risk (currency)"),
                    new Col("profile", "string", "For micro_segment: what sets the cluster apart (its largest "
                            + "standardised feature means); null for other schemes"),
                    new Col("run_date", "date", RUN_DATE_MEANING)));

    public static final List<Doc> OUTPUTS = List.of(CUSTOMER_SCORES, CAMPAIGN_TARGETS, SEGMENT_SUMMARY);

    private static final Map<Table, String> COMMENTS = new EnumMap<>(Table.class);

    static {
        for (Doc d : OUTPUTS) {
            COMMENTS.put(d.table(), "cvm output: " + d.purpose() + ". Grain: " + d.grain() + ". Key: "
                    + String.join(", ", d.key()) + ", run_date. Contract: docs/output-tables.md");
        }
        COMMENTS.put(Table.ACCOUNTS, "cvm ingest: valid rows of the accounts input (docs/data-contract.md)");
        COMMENTS.put(Table.TRANSACTIONS, "cvm ingest: valid rows of the transactions input (docs/data-contract.md)");
        COMMENTS.put(Table.USAGE, "cvm ingest: valid rows of the usage input (docs/data-contract.md)");
        COMMENTS.put(Table.HOLDINGS, "cvm ingest: valid rows of the holdings input (docs/data-contract.md)");
        COMMENTS.put(Table.CAMPAIGN_CONTACTS, "cvm ingest: valid rows of the campaign_contacts input "
                + "(docs/data-contract.md)");
        COMMENTS.put(Table.SUPPORT_EVENTS, "cvm ingest: valid rows of the support_events input (docs/data-contract.md)");
        COMMENTS.put(Table.SURVEYS, "cvm ingest: valid rows of the surveys input (docs/data-contract.md)");
        COMMENTS.put(Table.SURVEY_RATINGS, "cvm ingest: valid rows of the survey_ratings input (docs/data-contract.md)");
        COMMENTS.put(Table.QUARANTINE, "cvm ingest: input rows that broke a contract rule, with the rule");
        COMMENTS.put(Table.ACCOUNT_FEATURES, "cvm features: the point-in-time analytic record, one row per account "
                + "and as-of date (docs/features.md)");
        COMMENTS.put(Table.ACCOUNT_LABELS, "cvm features: training labels (churned, adopted_<product>) of matured "
                + "as-of dates (docs/features.md)");
    }

    /** The comment of a served (PostgreSQL) table: one run, keyed without run_date. */
    public static String servedComment(Doc d) {
        return "cvm output: " + d.purpose() + ". Grain: " + d.grain() + ". Key: " + String.join(", ", d.key())
                + ". One run, the latest published (run_date; publish_log). Contract: docs/output-tables.md";
    }

    /** The table comment of any cvm table. */
    public static String tableComment(Table t) {
        return COMMENTS.getOrDefault(t, "cvm table " + t.tableName() + ", partitioned by run_date "
                + "(docs/architecture.md)");
    }

    public static Doc doc(Table t) {
        return OUTPUTS.stream().filter(d -> d.table() == t).findFirst().orElse(null);
    }

    /**
     * Comments for the given columns of {@code t}: documented output columns, account_features columns from the
     * feature catalog (in account_features and customer_scores), run_date everywhere. Undocumented columns get none.
     */
    public static Map<String, String> columnComments(Table t, List<String> columns, FeatureSettings features) {
        Map<String, String> featureDefs = new LinkedHashMap<>();
        if (features != null) {
            for (FeatureCatalog.Entry e : FeatureCatalog.entries(features)) {
                featureDefs.put(e.name(), e.definition() + " (" + e.window() + ", " + e.unit() + "; null: "
                        + e.nulls() + ")");
            }
        }
        Doc doc = doc(t);
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : columns) {
            String comment = null;
            if (doc != null) {
                for (Col col : doc.columns()) {
                    if (col.matches(c)) {
                        comment = col.meaning();
                        break;
                    }
                }
            }
            if (comment == null && (t == Table.CUSTOMER_SCORES || t == Table.ACCOUNT_FEATURES)) {
                comment = featureDefs.get(c);
            }
            if (comment == null && c.equals(Table.RUN_DATE)) {
                comment = RUN_DATE_MEANING;
            }
            if (comment == null && c.equals("account_id")) {
                comment = "Account identifier";
            }
            if (comment != null) {
                out.put(c, comment);
            }
        }
        return out;
    }

    /** The tables section of docs/output-tables.md. */
    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        for (Doc d : OUTPUTS) {
            sb.append("### `").append(d.table().tableName()).append("`\n\n")
                    .append(d.purpose()).append(".\n\n")
                    .append("Grain: ").append(d.grain()).append(". Key: `")
                    .append(String.join("`, `", d.key())).append("` within a run date (`")
                    .append(String.join("`, `", d.key())).append("`, `run_date` in the Delta table).\n\n")
                    .append("| column | type | meaning |\n|---|---|---|\n");
            for (Col c : d.columns()) {
                String name = c.name().startsWith("<") ? "*" + c.name().substring(1, c.name().length() - 1) + "s*"
                        : "`" + c.name() + "`";
                // Markdown would read map<string,int> as an HTML tag.
                String type = c.type().contains("<") ? "`" + c.type() + "`" : c.type();
                sb.append("| ").append(name).append(" | ").append(type).append(" | ").append(c.meaning())
                        .append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
