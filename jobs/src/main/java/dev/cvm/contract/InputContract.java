package dev.cvm.contract;

import dev.cvm.warehouse.Table;

import java.util.List;

import static dev.cvm.contract.ColumnSpec.optional;
import static dev.cvm.contract.ColumnSpec.required;
import static dev.cvm.contract.LogicalType.BOOLEAN;
import static dev.cvm.contract.LogicalType.DATE;
import static dev.cvm.contract.LogicalType.DOUBLE;
import static dev.cvm.contract.LogicalType.LONG;
import static dev.cvm.contract.LogicalType.STRING;
import static dev.cvm.contract.LogicalType.TIMESTAMP;

/**
 * The raw datasets cvm reads, as code: the generator writes them, ingest enforces them, and
 * docs/data-contract.md describes them. Datasets are listed in dependency order (references point upwards).
 */
public final class InputContract {
    private InputContract() {}

    /** Ratings are on a 1-10 scale throughout. */
    private static final double RATING_MIN = 1.0;
    private static final double RATING_MAX = 10.0;

    public static final DatasetSpec ACCOUNTS = new DatasetSpec("accounts",
            "One row per account (a contract, subscription or loyalty membership) as it stands on the run date.",
            Table.ACCOUNTS,
            List.of(
                    required("account_id", STRING, "Account identifier; the key every other dataset refers to."),
                    required("customer_id", STRING, "The person or company holding the account (one customer may hold several accounts)."),
                    required("open_date", DATE, "Date the account was opened."),
                    optional("close_date", DATE, "Date the account was closed; null while it is open."),
                    required("plan", STRING, "Plan, tariff or main product of the account (e.g. basic, plus, premium)."),
                    optional("region", STRING, "Sales region or geography."),
                    optional("acquisition_channel", STRING, "Channel through which the account was acquired (web, store, partner, ...)."),
                    optional("monthly_fee", DOUBLE, "Recurring fee per month in the reporting currency; null for pay-as-you-go.").nonNegative()),
            List.of("account_id"),
            List.<String[]>of(new String[] {"open_date", "close_date"}));

    public static final DatasetSpec TRANSACTIONS = new DatasetSpec("transactions",
            "One row per purchase, payment or top-up: the non-contractual buying that BG/NBD and Gamma-Gamma model.",
            Table.TRANSACTIONS,
            List.of(
                    required("transaction_id", STRING, "Unique transaction identifier."),
                    required("account_id", STRING, "Account that made the transaction.").references("accounts.account_id"),
                    required("transaction_ts", TIMESTAMP, "When the transaction happened (UTC)."),
                    required("amount", DOUBLE, "Value in the reporting currency; refunds are separate datasets, not negative rows.").nonNegative(),
                    optional("product", STRING, "Product or category bought."),
                    optional("channel", STRING, "Sales channel (web, app, store, phone, ...).")),
            List.of("transaction_id"),
            List.of());

    public static final DatasetSpec USAGE = new DatasetSpec("usage",
            "One row per account and calendar month: how much the account used the service (engagement).",
            Table.USAGE,
            List.of(
                    required("account_id", STRING, "Account.").references("accounts.account_id"),
                    required("month", DATE, "First day of the month the row covers."),
                    required("usage_units", DOUBLE, "Usage volume in the service's unit (GB, minutes, logins, card spend, ...).").nonNegative(),
                    optional("active_days", LONG, "Days in the month with any activity (0-31).").range(0.0, 31.0)),
            List.of("account_id", "month"),
            List.of());

    public static final DatasetSpec HOLDINGS = new DatasetSpec("holdings",
            "One row per product an account holds or held, with its validity interval.",
            Table.HOLDINGS,
            List.of(
                    required("account_id", STRING, "Account.").references("accounts.account_id"),
                    required("product", STRING, "Product code (the upsell targets in config use these codes)."),
                    required("start_date", DATE, "First day the product was held."),
                    optional("end_date", DATE, "Last day the product was held; null while still held.")),
            List.of("account_id", "product", "start_date"),
            List.<String[]>of(new String[] {"start_date", "end_date"}));

    public static final DatasetSpec CAMPAIGN_CONTACTS = new DatasetSpec("campaign_contacts",
            "One row per marketing contact sent to an account, with its outcome.",
            Table.CAMPAIGN_CONTACTS,
            List.of(
                    required("contact_id", STRING, "Unique contact identifier."),
                    required("account_id", STRING, "Account contacted.").references("accounts.account_id"),
                    optional("campaign_id", STRING, "Campaign the contact belonged to."),
                    required("program", STRING, "CVM program (retention, upsell, winback, loyalty, acquisition, ...)."),
                    required("channel", STRING, "Contact channel (email, sms, phone, mail, app, ...)."),
                    optional("offer", STRING, "Offer or product proposed."),
                    required("sent_date", DATE, "Date the contact was sent."),
                    required("responded", BOOLEAN, "Whether the account responded (opened, clicked, called back)."),
                    required("converted", BOOLEAN, "Whether the account took the offer.")),
            List.of("contact_id"),
            List.of());

    public static final DatasetSpec SUPPORT_EVENTS = new DatasetSpec("support_events",
            "One row per support contact or complaint.",
            Table.SUPPORT_EVENTS,
            List.of(
                    required("event_id", STRING, "Unique event identifier."),
                    required("account_id", STRING, "Account concerned.").references("accounts.account_id"),
                    required("event_ts", TIMESTAMP, "When the event was opened (UTC)."),
                    required("event_type", STRING, "complaint, or any other support type (inquiry, technical, billing, ...)."),
                    optional("category", STRING, "Topic of the event.")),
            List.of("event_id"),
            List.of());

    public static final DatasetSpec SURVEYS = new DatasetSpec("surveys",
            "One row per survey response: overall perceived value of us and of a named competitor (Gale's customer value analysis).",
            Table.SURVEYS,
            List.of(
                    required("response_id", STRING, "Unique response identifier."),
                    optional("account_id", STRING, "Respondent's account; null for market respondents who are not customers.").references("accounts.account_id"),
                    required("survey_date", DATE, "Date of the response."),
                    required("competitor", STRING, "Competitor the respondent rated us against."),
                    required("overall_value_us", DOUBLE, "Overall value rating of us, 1-10.").range(RATING_MIN, RATING_MAX),
                    optional("overall_value_competitor", DOUBLE, "Overall value rating of the competitor, 1-10.").range(RATING_MIN, RATING_MAX),
                    optional("nps", LONG, "Likelihood to recommend us, 0-10.").range(0.0, 10.0)),
            List.of("response_id"),
            List.of());

    public static final DatasetSpec SURVEY_RATINGS = new DatasetSpec("survey_ratings",
            "One row per survey response and attribute: the attribute ratings behind the value map.",
            Table.SURVEY_RATINGS,
            List.of(
                    required("response_id", STRING, "Survey response.").references("surveys.response_id"),
                    required("attribute", STRING, "Attribute rated (e.g. network_quality, service, price)."),
                    required("attribute_type", STRING, "quality or price: which axis of the value map the attribute belongs to."),
                    required("rating_us", DOUBLE, "Rating of us on the attribute, 1-10.").range(RATING_MIN, RATING_MAX),
                    required("rating_competitor", DOUBLE, "Rating of the competitor on the attribute, 1-10.").range(RATING_MIN, RATING_MAX),
                    optional("importance", DOUBLE, "Stated importance of the attribute to the respondent (any non-negative scale).").nonNegative()),
            List.of("response_id", "attribute"),
            List.of());

    public static final List<DatasetSpec> ALL = List.of(ACCOUNTS, TRANSACTIONS, USAGE, HOLDINGS,
            CAMPAIGN_CONTACTS, SUPPORT_EVENTS, SURVEYS, SURVEY_RATINGS);

    public static DatasetSpec byName(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dataset named " + name));
    }
}
