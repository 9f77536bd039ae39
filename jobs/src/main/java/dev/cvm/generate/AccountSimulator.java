package dev.cvm.generate;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Simulates one account's whole history up to the as-of date, from nothing but (seed, account index), so that
 * Spark can simulate accounts in parallel and the same seed always gives the same data.
 *
 * <p>Planted signal (see docs/data-contract.md, "Synthetic data"):
 * <ul>
 *   <li>purchases: a BG/NBD process (rate ~ Gamma(r, alpha) per week, dropout after each repeat purchase with
 *       p ~ Beta(a, b));
 *       spend per purchase ~ Gamma(p, nu) with nu ~ Gamma(q, v) (Gamma-Gamma); cut at account closure;</li>
 *   <li>account closure: a monthly hazard rising with usage decline, recent complaints and a value deficit against
 *       the competitor, falling with tenure;</li>
 *   <li>product adoption: a monthly hazard rising with usage level and products already held;</li>
 *   <li>campaign response: higher on the account's preferred channel.</li>
 * </ul>
 * Rows are returned in the column order of {@link dev.cvm.contract.InputContract}.
 */
public final class AccountSimulator implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String[] PLANS = {"basic", "plus", "premium"};
    private static final double[] PLAN_WEIGHTS = {0.5, 0.35, 0.15};
    private static final double[] PLAN_FEE = {20, 35, 60};
    private static final double[] PLAN_USAGE = {5, 12, 25};
    static final String[] REGIONS = {"north", "south", "east", "west", "central"};
    static final String[] ACQUISITION = {"web", "store", "partner", "telesales"};
    /** The first product is the base product every account holds from opening. */
    public static final String[] PRODUCTS = {"mobile", "broadband", "tv", "insurance", "cloud"};
    private static final double[] PRODUCT_OFFSET = {0, 0.0, -0.3, -0.6, 0.2};
    static final String[] CONTACT_CHANNELS = {"email", "sms", "phone", "app"};
    private static final double[] CHANNEL_RESPONSE = {0.08, 0.10, 0.20, 0.12};
    private static final String[] TXN_PRODUCTS = {"topup", "device", "accessory", "addon"};
    private static final String[] TXN_CHANNELS = {"web", "app", "store"};
    private static final String[] SUPPORT_TYPES = {"inquiry", "billing", "technical"};
    private static final String[] COMPETITORS = {"rivalco", "netplus"};
    static final String[] ATTRIBUTES = {"network_quality", "customer_service", "coverage", "billing_clarity", "price"};
    static final double[] ATTRIBUTE_WEIGHTS = {0.30, 0.25, 0.15, 0.10, 0.20};
    static final Map<String, Double> ATTRIBUTE_WEIGHTS_MAP = attributeWeights();
    private static final int MAX_PURCHASES = 5_000;

    private final long seed;
    private final LocalDate asOf;
    private final int months;
    private final GeneratorParams params;

    public AccountSimulator(long seed, LocalDate asOf, int months, GeneratorParams params) {
        this.seed = seed;
        this.asOf = asOf;
        this.months = months;
        this.params = params;
    }

    /** Everything one account contributes to each dataset, plus its latent truth. */
    public record SimulatedAccount(Row account, List<Row> transactions, List<Row> usage, List<Row> holdings,
                                   List<Row> contacts, List<Row> supportEvents, List<Row> surveys,
                                   List<Row> surveyRatings, Row truth) {}

    public SimulatedAccount simulate(long index) {
        // Every account gets its own stream: splitting on the index keeps draws independent of partitioning.
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        String accountId = accountId(index);
        String customerId = "C" + String.format("%08d", index % 10 == 9 ? index - 1 : index);

        LocalDate historyStart = asOf.minusMonths(months);
        long span = ChronoUnit.DAYS.between(historyStart, asOf) - 30;
        LocalDate openDate = historyStart.plusDays(rng.nextLong(Math.max(1, span)));
        int plan = Draws.categorical(rng, PLAN_WEIGHTS);
        double fee = Math.round(PLAN_FEE[plan] * Math.exp(0.1 * rng.nextGaussian()) * 100) / 100.0;
        String region = REGIONS[rng.nextInt(REGIONS.length)];
        String acquisition = ACQUISITION[rng.nextInt(ACQUISITION.length)];

        // Latent traits.
        double lambda = Draws.gamma(rng, params.bgR(), params.bgAlpha());
        double dropout = Draws.beta(rng, params.bgA(), params.bgB());
        double nu = Draws.gamma(rng, params.ggQ(), params.ggV());
        double relativeValue = Draws.clip(1.0 + 0.12 * rng.nextGaussian(), 0.6, 1.5);
        double baseUsage = PLAN_USAGE[plan] * Math.exp(0.5 * rng.nextGaussian());
        int preferredChannel = rng.nextInt(CONTACT_CHANNELS.length);
        long lifeMonths = ChronoUnit.MONTHS.between(YearMonth.from(openDate), YearMonth.from(asOf)) + 1;
        boolean disengages = Draws.bernoulli(rng, 0.35);
        long declineStart = disengages ? 1 + rng.nextLong(Math.max(1, lifeMonths)) : Long.MAX_VALUE;

        List<Row> usage = new ArrayList<>();
        List<Row> holdings = new ArrayList<>();
        List<Row> contacts = new ArrayList<>();
        List<Row> support = new ArrayList<>();

        // Product holdings: start dates (null = not held), end dates.
        LocalDate[] holdStart = new LocalDate[PRODUCTS.length];
        LocalDate[] holdEnd = new LocalDate[PRODUCTS.length];
        holdStart[0] = openDate;
        for (int j = 1; j < PRODUCTS.length; j++) {
            if (Draws.bernoulli(rng, 0.15)) {
                holdStart[j] = openDate;
            }
        }

        LocalDate closeDate = null;
        int[] complaintsByMonth = new int[(int) lifeMonths + 1];
        YearMonth month = YearMonth.from(openDate);
        YearMonth asOfMonth = YearMonth.from(asOf);
        int m = 0;
        int eventSeq = 0;
        int contactSeq = 0;
        while (!month.isAfter(asOfMonth)) {
            LocalDate first = month.atDay(1).isBefore(openDate) ? openDate : month.atDay(1);
            LocalDate last = month.atEndOfMonth().isBefore(asOf) ? month.atEndOfMonth() : asOf.minusDays(1);
            if (last.isBefore(first)) {
                break;
            }
            double declineFactor = m >= declineStart ? Math.exp(-0.25 * (m - declineStart + 1)) : 1.0;
            double declineRatio = 1.0 - declineFactor;
            double used = baseUsage * declineFactor * Math.exp(0.15 * rng.nextGaussian());
            // Usage rows cover complete months only: the current month is not over yet.
            if (month.isBefore(asOfMonth)) {
                long activeDays = Math.min(month.lengthOfMonth(),
                        Math.round(month.lengthOfMonth() * Draws.clip(0.3 + 0.7 * declineFactor, 0, 1)
                                * Draws.clip(1 + 0.1 * rng.nextGaussian(), 0, 1)));
                usage.add(RowFactory.create(accountId, month.atDay(1), round2(used), activeDays));
            }

            int complaints = Draws.poisson(rng, 0.04 + 0.35 * declineRatio);
            int inquiries = Draws.poisson(rng, 0.08);
            complaintsByMonth[m] = complaints;
            for (int k = 0; k < complaints + inquiries; k++) {
                boolean complaint = k < complaints;
                Instant ts = randomInstant(rng, first, last);
                support.add(RowFactory.create("E" + index + "-" + (eventSeq++), accountId, ts,
                        complaint ? "complaint" : SUPPORT_TYPES[rng.nextInt(SUPPORT_TYPES.length)],
                        complaint ? (declineRatio > 0.2 ? "network" : "billing") : "general"));
            }

            if (Draws.bernoulli(rng, 0.2)) {
                int channel = rng.nextInt(CONTACT_CHANNELS.length);
                String program = declineRatio > 0.2 && Draws.bernoulli(rng, 0.5) ? "retention"
                        : new String[] {"upsell", "loyalty", "retention", "upsell"}[rng.nextInt(4)];
                double p = CHANNEL_RESPONSE[channel] * (channel == preferredChannel ? 2.5 : 1.0);
                boolean responded = Draws.bernoulli(rng, p);
                boolean converted = responded && Draws.bernoulli(rng, 0.35);
                String offer = program.equals("upsell") ? PRODUCTS[1 + rng.nextInt(PRODUCTS.length - 1)] : "discount";
                contacts.add(RowFactory.create("K" + index + "-" + (contactSeq++), accountId,
                        "CMP-" + month + "-" + program, program, CONTACT_CHANNELS[channel], offer,
                        randomDate(rng, first, last), responded, converted));
            }

            // Adoption of products not held, driven by engagement and breadth of relationship.
            int held = 0;
            for (int j = 0; j < PRODUCTS.length; j++) {
                if (holdStart[j] != null && holdEnd[j] == null) {
                    held++;
                }
            }
            for (int j = 1; j < PRODUCTS.length; j++) {
                boolean holding = holdStart[j] != null && holdEnd[j] == null;
                if (holding) {
                    if (Draws.bernoulli(rng, 0.01)) {
                        holdEnd[j] = randomDate(rng, first, last);
                        if (holdEnd[j].isBefore(holdStart[j])) {
                            holdEnd[j] = holdStart[j];
                        }
                    }
                } else if (holdStart[j] == null) {
                    double logit = -4.3 + 0.9 * Math.log(Math.max(used, 1e-3) / PLAN_USAGE[plan])
                            + 0.5 * (held - 1) + PRODUCT_OFFSET[j];
                    if (Draws.bernoulli(rng, Draws.sigmoid(logit))) {
                        holdStart[j] = randomDate(rng, first, last);
                    }
                }
            }

            // Account closure.
            int recentComplaints = complaintsByMonth[m] + (m >= 1 ? complaintsByMonth[m - 1] : 0)
                    + (m >= 2 ? complaintsByMonth[m - 2] : 0);
            double logit = params.churnIntercept() + params.churnDecline() * declineRatio
                    + params.churnComplaints() * recentComplaints + params.churnTenure() * Math.log1p(m)
                    + params.churnValue() * (1.0 - relativeValue);
            if (Draws.bernoulli(rng, params.churnScale() * Draws.sigmoid(logit))) {
                closeDate = randomDate(rng, first, last);
                break;
            }
            month = month.plusMonths(1);
            m++;
        }

        for (int j = 0; j < PRODUCTS.length; j++) {
            if (holdStart[j] == null) {
                continue;
            }
            LocalDate end = holdEnd[j];
            if (closeDate != null && (end == null || end.isAfter(closeDate))) {
                end = closeDate.isBefore(holdStart[j]) ? holdStart[j] : closeDate;
            }
            if (closeDate != null && holdStart[j].isAfter(closeDate)) {
                continue;
            }
            holdings.add(RowFactory.create(accountId, PRODUCTS[j], holdStart[j], end));
        }

        List<Row> transactions = purchases(rng, index, accountId, openDate, closeDate, lambda, dropout, nu);
        List<Row> surveys = new ArrayList<>();
        List<Row> ratings = new ArrayList<>();
        LocalDate activeEnd = closeDate != null ? closeDate : asOf.minusDays(1);
        if (Draws.bernoulli(rng, params.surveyShare())) {
            LocalDate from = openDate.isAfter(asOf.minusDays(365)) ? openDate : asOf.minusDays(365);
            if (!activeEnd.isBefore(from)) {
                survey(rng, "R" + index, accountId, randomDate(rng, from, activeEnd), relativeValue, surveys, ratings);
            }
        }
        // Market respondents who are not our customers (account unknown), one per 50 accounts.
        if (index % 50 == 0) {
            survey(rng, "RM" + index, null, randomDate(rng, asOf.minusDays(365), asOf.minusDays(1)),
                    Draws.clip(0.95 + 0.12 * rng.nextGaussian(), 0.6, 1.5), surveys, ratings);
        }

        Row account = RowFactory.create(accountId, customerId, openDate, closeDate, PLANS[plan], region,
                acquisition, fee);
        Row truth = RowFactory.create(accountId, lambda, dropout, nu, relativeValue, disengages,
                disengages ? openDate.plusMonths(declineStart) : null, CONTACT_CHANNELS[preferredChannel],
                closeDate, transactions.size());
        return new SimulatedAccount(account, transactions, usage, holdings, contacts, support, surveys, ratings,
                truth);
    }

    /** BG/NBD purchases from the opening date (the first purchase), stopped by dropout, closure or the as-of date. */
    private List<Row> purchases(SplittableRandom rng, long index, String accountId, LocalDate openDate,
                                LocalDate closeDate, double lambda, double dropout, double nu) {
        Instant start = openDate.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(8 * 3600 + rng.nextInt(12 * 3600));
        Instant end = (closeDate != null ? closeDate.plusDays(1) : asOf).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Row> rows = new ArrayList<>();
        double weeks = 0;
        while (rows.size() < MAX_PURCHASES) {
            Instant ts = start.plusSeconds((long) (weeks * 7 * 86400));
            if (!ts.isBefore(end)) {
                break;
            }
            double amount = Math.max(0.01, round2(Draws.gamma(rng, params.ggP(), nu)));
            rows.add(RowFactory.create("T" + index + "-" + rows.size(), accountId, ts, amount,
                    TXN_PRODUCTS[rng.nextInt(TXN_PRODUCTS.length)], TXN_CHANNELS[rng.nextInt(TXN_CHANNELS.length)]));
            // BG/NBD: dropout only after a *repeat* purchase (for x = 0 its likelihood is e^(-lambda T)); dropping out
            // right after the first purchase would be MBG/NBD. The draw is still made after the first purchase so
            // every other draw of the account's random stream stays where it was.
            boolean dropsOut = Draws.bernoulli(rng, dropout);
            if (dropsOut && rows.size() > 1) {
                break;
            }
            weeks += Draws.exponential(rng, lambda);
        }
        return rows.isEmpty() ? Collections.emptyList() : rows;
    }

    /** A Gale-style survey: ratings of us are the competitor's scaled by the respondent's relative value. */
    private void survey(SplittableRandom rng, String responseId, String accountId, LocalDate date,
                        double relativeValue, List<Row> surveys, List<Row> ratings) {
        double overallUs = 0;
        double overallThem = 0;
        boolean stated = Draws.bernoulli(rng, 0.6);
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            double them = Draws.clip(6.5 + 1.2 * rng.nextGaussian(), 1, 10);
            double us = Draws.clip(them * relativeValue * Math.exp(0.08 * rng.nextGaussian()), 1, 10);
            them = round1(them);
            us = round1(us);
            overallUs += ATTRIBUTE_WEIGHTS[i] * us;
            overallThem += ATTRIBUTE_WEIGHTS[i] * them;
            Double importance = stated ? round1(ATTRIBUTE_WEIGHTS[i] * 100 * Math.exp(0.2 * rng.nextGaussian())) : null;
            ratings.add(RowFactory.create(responseId, ATTRIBUTES[i], i == ATTRIBUTES.length - 1 ? "price" : "quality",
                    us, them, importance));
        }
        double valueUs = round1(Draws.clip(overallUs + 0.3 * rng.nextGaussian(), 1, 10));
        double valueThem = round1(Draws.clip(overallThem + 0.3 * rng.nextGaussian(), 1, 10));
        long nps = Math.round(Draws.clip(valueUs + rng.nextGaussian(), 0, 10));
        surveys.add(RowFactory.create(responseId, accountId, date, COMPETITORS[rng.nextInt(COMPETITORS.length)],
                valueUs, valueThem, nps));
    }

    public static String accountId(long index) {
        return "A" + String.format("%08d", index);
    }

    private static LocalDate randomDate(SplittableRandom rng, LocalDate from, LocalDate to) {
        long days = ChronoUnit.DAYS.between(from, to);
        return days <= 0 ? from : from.plusDays(rng.nextLong(days + 1));
    }

    private static Instant randomInstant(SplittableRandom rng, LocalDate from, LocalDate to) {
        return randomDate(rng, from, to).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(rng.nextInt(86400));
    }

    private static double round2(double x) {
        return Math.round(x * 100) / 100.0;
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    /** SplitMix64 finaliser over (seed, index): well-spread, independent account streams. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Map<String, Double> attributeWeights() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            m.put(ATTRIBUTES[i], ATTRIBUTE_WEIGHTS[i]);
        }
        return Collections.unmodifiableMap(m);
    }
}
