package dev.cvm.valuemap;

import dev.cvm.config.CvmConfig;
import dev.cvm.valuemap.HandMadeSurvey.Response;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.cvm.valuemap.HandMadeSurvey.r;
import static dev.cvm.valuemap.HandMadeSurvey.ratings;
import static dev.cvm.valuemap.HandMadeSurvey.response;
import static dev.cvm.valuemap.HandMadeSurvey.responses;
import static dev.cvm.valuemap.HandMadeSurvey.surveys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Per-account relative value for the analytic record: latest own response before the as-of date, point in time. */
class ValueMapAccountRelativeValueTest {
    static final double EPS = 1e-9;
    static final ValueMapSettings SETTINGS = ValueMapSettings.from(CvmConfig.parse("cvm.value-map.min-respondents = 3"));
    static final LocalDate AS_OF = LocalDate.parse("2025-04-01");

    /** The fixture plus a second, later response of A1 (consistent with the weights 0.5 / 0.3 / 0.2). */
    static List<Response> history() {
        List<Response> h = new ArrayList<>(responses());
        h.add(response("R9", "A1", "2025-03-01", "rivalco", r(9, 7, 4), r(6, 7, 8)));
        return h;
    }

    /**
     * Responses a run as of 2025-04-01 must not see: A1 answering on the as-of date itself with an overall value
     * that contradicts every weight, and a first response of A8 after it.
     */
    static List<Response> planted() {
        return List.of(
                new Response("R10", "A1", AS_OF, "rivalco", r(10, 10, 10), r(1, 1, 1), new Double[] {0.0, 0.0, 9.0}),
                response("R11", "A8", "2025-05-01", "netplus", r(2, 2, 2), r(9, 9, 9)));
    }

    static Map<String, Row> byAccount(Dataset<Row> df) {
        Map<String, Row> m = new HashMap<>();
        df.collectAsList().forEach(row -> m.put(row.getAs("account_id"), row));
        return m;
    }

    static Dataset<Row> latest(List<Response> responses, LocalDate asOf) {
        return AccountRelativeValue.latestBefore(surveys(responses), ratings(responses), asOf, SETTINGS);
    }

    @Test
    void latestOwnResponseWeightedByTheFittedImportance() {
        Dataset<Row> df = latest(history(), AS_OF);
        assertEquals(List.of("account_id", "relative_value", "value_survey_date"), List.of(df.columns()));
        Map<String, Row> rows = byAccount(df);
        // One row per surveyed account; R8 is a market respondent without an account.
        assertEquals(7, rows.size());
        // A1's latest is R9: 0.5 * 9/6 + 0.3 * 7/7 + 0.2 * 4/8.
        assertEquals(1.15, rows.get("A1").<Double>getAs("relative_value"), EPS);
        assertEquals(LocalDate.parse("2025-03-01"), rows.get("A1").getAs("value_survey_date"));
        // A2 (R2): 0.5 * 7/6 + 0.3 * 7/8 + 0.2 * 7/8.
        assertEquals(0.5 * 7 / 6 + 0.3 * 7 / 8 + 0.2 * 7 / 8, rows.get("A2").<Double>getAs("relative_value"), EPS);
    }

    @Test
    void responsesOnOrAfterTheAsOfDateChangeNothing() {
        List<Response> withLater = new ArrayList<>(history());
        withLater.addAll(planted());
        Dataset<Row> without = latest(history(), AS_OF);
        Dataset<Row> with = latest(withLater, AS_OF);
        assertEquals(7, with.count());
        assertEquals(0, with.exceptAll(without).count() + without.exceptAll(with).count());
        assertFalse(byAccount(with).containsKey("A8"));
    }

    @Test
    void thePlantedResponseCountsOnceItIsBeforeTheAsOfDate() {
        // The same planted rows, seen from one day later: A1's latest becomes R10 and A8 appears. This is what the
        // previous test shows cannot leak into a run as of 2025-04-01.
        List<Response> withLater = new ArrayList<>(history());
        withLater.addAll(planted());
        Map<String, Row> rows = byAccount(latest(withLater, AS_OF.plusDays(1)));
        assertEquals(AS_OF, rows.get("A1").getAs("value_survey_date"));
        assertFalse(rows.containsKey("A8"));
        Map<String, Row> later = byAccount(latest(withLater, LocalDate.parse("2025-06-01")));
        assertEquals(LocalDate.parse("2025-05-01"), later.get("A8").getAs("value_survey_date"));
    }

    @Test
    void aResponseOnTheAsOfDateIsNotYetKnown() {
        // As of 2025-03-01, A1's response of that day is excluded: its latest is R1 (8/5, 6/7, 5/8).
        Row a1 = byAccount(latest(history(), LocalDate.parse("2025-03-01"))).get("A1");
        assertEquals(LocalDate.parse("2025-01-10"), a1.getAs("value_survey_date"));
        assertEquals(0.5 * 8 / 5 + 0.3 * 6 / 7 + 0.2 * 5 / 8, a1.<Double>getAs("relative_value"), EPS);
    }
}
