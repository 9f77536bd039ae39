package dev.cvm.valuemap;

import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.InputContract;
import dev.cvm.testing.SparkTestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made survey whose answers are known exactly. Three attributes (network_quality and customer_service:
 * quality; price: price); every overall_value_us is exactly 0.5 nq + 0.3 cs + 0.2 price, so least squares recovers
 * the weights 0.5 / 0.3 / 0.2. Over all eight responses our means are 7, 6, 6 and the competitor's 5.6, 7.5, 8:
 * performance ratios 1.25, 0.8, 0.75.
 */
final class HandMadeSurvey {
    private HandMadeSurvey() {}

    static final String[] ATTRIBUTES = {"network_quality", "customer_service", "price"};
    static final String[] TYPES = {"quality", "quality", "price"};
    static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    /** One response: id, account (null = market respondent), date, competitor, ratings, stated importance. */
    record Response(String id, String account, LocalDate date, String competitor, double[] us, double[] them,
                    Double[] importance) {
        double overall() {
            double v = 0;
            for (int i = 0; i < WEIGHTS.length; i++) {
                v += WEIGHTS[i] * us[i];
            }
            return v;
        }
    }

    static Response response(String id, String account, String date, String competitor, double[] us, double[] them,
                             Double... importance) {
        return new Response(id, account, LocalDate.parse(date), competitor, us, them,
                importance.length == 0 ? new Double[3] : importance);
    }

    static double[] r(double... v) {
        return v;
    }

    /** The eight responses; R8 is a market respondent (no account). Stated importance on R1, R2, R3 only. */
    static List<Response> responses() {
        return List.of(
                response("R1", "A1", "2025-01-10", "rivalco", r(8, 6, 5), r(5.0, 7, 8), 5.0, 3.0, 2.0),
                response("R2", "A2", "2025-01-11", "netplus", r(7, 7, 7), r(6.0, 8, 8), 1.0, 1.0, 2.0),
                response("R3", "A3", "2025-01-12", "rivalco", r(9, 5, 3), r(5.5, 7, 8), 2.0, 2.0, 0.0),
                response("R4", "A4", "2025-01-13", "netplus", r(6, 8, 8), r(6.0, 8, 8)),
                response("R5", "A5", "2025-01-14", "rivalco", r(5, 6, 9), r(5.5, 7, 8)),
                response("R6", "A6", "2025-01-15", "netplus", r(8, 8, 8), r(5.8, 8, 8)),
                response("R7", "A7", "2025-01-16", "rivalco", r(7, 4, 6), r(5.5, 7, 8)),
                response("R8", null, "2025-01-17", "netplus", r(6, 4, 2), r(5.5, 8, 8)));
    }

    /** Accounts: A1-A4 basic, A5-A7 premium; A1-A5 north, A6-A7 south. */
    static Dataset<Row> accounts() {
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            rows.add(RowFactory.create("A" + i, "C" + i, LocalDate.parse("2020-01-01"), null,
                    i <= 4 ? "basic" : "premium", i <= 5 ? "north" : "south", "web", 20.0));
        }
        return SparkTestSupport.spark().createDataFrame(rows, ContractSchemas.of(InputContract.ACCOUNTS));
    }

    static Dataset<Row> surveys(List<Response> responses) {
        List<Row> rows = new ArrayList<>();
        for (Response x : responses) {
            rows.add(RowFactory.create(x.id(), x.account(), x.date(), x.competitor(), x.overall(), null, null));
        }
        return SparkTestSupport.spark().createDataFrame(rows, ContractSchemas.of(InputContract.SURVEYS));
    }

    static Dataset<Row> ratings(List<Response> responses) {
        List<Row> rows = new ArrayList<>();
        for (Response x : responses) {
            for (int i = 0; i < ATTRIBUTES.length; i++) {
                rows.add(RowFactory.create(x.id(), ATTRIBUTES[i], TYPES[i], x.us()[i], x.them()[i],
                        x.importance()[i]));
            }
        }
        return SparkTestSupport.spark().createDataFrame(rows, ContractSchemas.of(InputContract.SURVEY_RATINGS));
    }

    /**
     * The delta-method standard error of the relative value over {@code group}, computed directly from the formula
     * in docs/value-map.md (every response rates every attribute here), to check the Spark implementation against.
     */
    static double standardError(List<Response> group, double[] weights) {
        int n = group.size();
        int k = weights.length;
        double[] meanUs = new double[k];
        double[] meanThem = new double[k];
        for (Response x : group) {
            for (int a = 0; a < k; a++) {
                meanUs[a] += x.us()[a] / n;
                meanThem[a] += x.them()[a] / n;
            }
        }
        double ssq = 0;
        for (Response x : group) {
            double u = 0;
            for (int a = 0; a < k; a++) {
                double ratio = meanUs[a] / meanThem[a];
                u += weights[a] * (x.us()[a] - ratio * x.them()[a]) / (n * meanThem[a]);
            }
            ssq += u * u;
        }
        return Math.sqrt(ssq * n / (n - 1.0));
    }

    /** The relative value of a group: sum_a w_a mean_us_a / mean_them_a. */
    static double relativeValue(List<Response> group, double[] weights) {
        double rv = 0;
        for (int a = 0; a < weights.length; a++) {
            double us = 0;
            double them = 0;
            for (Response x : group) {
                us += x.us()[a];
                them += x.them()[a];
            }
            rv += weights[a] * us / them;
        }
        return rv;
    }
}
