package dev.cvm.valuemap;

import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;
import dev.cvm.valuemap.HandMadeSurvey.Response;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.cvm.valuemap.HandMadeSurvey.ATTRIBUTES;
import static dev.cvm.valuemap.HandMadeSurvey.WEIGHTS;
import static dev.cvm.valuemap.HandMadeSurvey.accounts;
import static dev.cvm.valuemap.HandMadeSurvey.ratings;
import static dev.cvm.valuemap.HandMadeSurvey.responses;
import static dev.cvm.valuemap.HandMadeSurvey.surveys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value map of a hand-made survey (HandMadeSurvey), where every number is known in advance. */
class ValueMapHandMadeTest {
    static final double EPS = 1e-9;
    /** Defaults except a minimum group size the eight-response fixture can meet (and fail, for region south). */
    static final ValueMapSettings SETTINGS = ValueMapSettings.from(CvmConfig.parse("cvm.value-map.min-respondents = 3"));

    static ValueMap.Result result;
    static Map<String, Row> segments = new HashMap<>();
    static Map<String, Row> attributes = new HashMap<>();

    @BeforeAll
    static void compute() {
        List<Response> all = responses();
        result = ValueMap.compute(surveys(all), ratings(all), accounts(), SETTINGS);
        for (Row r : result.segments().collectAsList()) {
            segments.put(r.getAs("segment_type") + "=" + r.getAs("segment_value"), r);
        }
        for (Row r : result.attributes().collectAsList()) {
            attributes.put(r.getAs("segment_type") + "=" + r.getAs("segment_value") + "/" + r.getAs("attribute"), r);
        }
    }

    @AfterAll
    static void release() {
        result.close();
    }

    @Test
    void regressionRecoversTheExactWeights() {
        assertEquals(WeightMethod.REGRESSION, result.weights().method());
        for (int i = 0; i < ATTRIBUTES.length; i++) {
            assertEquals(WEIGHTS[i], result.weights().weight(ATTRIBUTES[i]), EPS, ATTRIBUTES[i]);
            Row a = attributes.get("all=all/" + ATTRIBUTES[i]);
            assertEquals(WEIGHTS[i], a.<Double>getAs("weight"), EPS);
            assertEquals("regression", a.getAs("weight_method"));
        }
        // Within the quality axis: 0.5 / 0.8 and 0.3 / 0.8; price is alone on its axis.
        assertEquals(0.625, attributes.get("all=all/network_quality").<Double>getAs("weight_within_type"), EPS);
        assertEquals(0.375, attributes.get("all=all/customer_service").<Double>getAs("weight_within_type"), EPS);
        assertEquals(1.0, attributes.get("all=all/price").<Double>getAs("weight_within_type"), EPS);
    }

    @Test
    void attributeMeansAndRatiosOverAllRespondents() {
        assertAttribute("network_quality", "quality", 7.0, 5.6, 1.25);
        assertAttribute("customer_service", "quality", 6.0, 7.5, 0.8);
        assertAttribute("price", "price", 6.0, 8.0, 0.75);
    }

    private static void assertAttribute(String attribute, String type, double us, double them, double ratio) {
        Row a = attributes.get("all=all/" + attribute);
        assertEquals(type, a.getAs("attribute_type"));
        assertEquals(8L, a.<Long>getAs("respondents"));
        assertFalse(a.<Boolean>getAs("suppressed"));
        assertEquals(us, a.<Double>getAs("mean_rating_us"), EPS, attribute);
        assertEquals(them, a.<Double>getAs("mean_rating_competitor"), EPS, attribute);
        assertEquals(ratio, a.<Double>getAs("performance_ratio"), EPS, attribute);
    }

    @Test
    void relativeValueQualityPriceAndQuadrantOverall() {
        Row all = segments.get("all=all");
        assertEquals(8L, all.<Long>getAs("respondents"));
        // 0.5 * 1.25 + 0.3 * 0.8 + 0.2 * 0.75
        assertEquals(1.015, all.<Double>getAs("relative_value"), EPS);
        // (0.5 * 1.25 + 0.3 * 0.8) / 0.8: better quality than the competitor ...
        assertEquals(1.08125, all.<Double>getAs("quality_ratio"), EPS);
        // ... at a less attractive price: premium.
        assertEquals(0.75, all.<Double>getAs("price_ratio"), EPS);
        assertEquals(Quadrant.PREMIUM, all.getAs("quadrant"));
        assertEquals("regression", all.getAs("weight_method"));
    }

    @Test
    void confidenceIntervalIsTheDeltaMethodInterval() {
        double se = HandMadeSurvey.standardError(responses(), WEIGHTS);
        Row all = segments.get("all=all");
        assertEquals(se, all.<Double>getAs("relative_value_se"), EPS);
        double z = 1.959963984540054;
        assertEquals(1.015 - z * se, all.<Double>getAs("relative_value_ci_low"), EPS);
        assertEquals(1.015 + z * se, all.<Double>getAs("relative_value_ci_high"), EPS);
        assertEquals(0.95, all.<Double>getAs("confidence_level"), 0);
        assertTrue(se > 0.01 && se < 0.2, "a plausible SE for eight respondents: " + se);
    }

    @Test
    void segmentsByPlanRegionAndCompetitor() {
        // R8 is a market respondent: in "all" and its competitor's segment, in no plan or region segment.
        Map<String, Predicate<Response>> groups = Map.of(
                "plan=basic", x -> List.of("A1", "A2", "A3", "A4").contains(String.valueOf(x.account())),
                "plan=premium", x -> List.of("A5", "A6", "A7").contains(String.valueOf(x.account())),
                "region=north", x -> List.of("A1", "A2", "A3", "A4", "A5").contains(String.valueOf(x.account())),
                "competitor=rivalco", x -> x.competitor().equals("rivalco"),
                "competitor=netplus", x -> x.competitor().equals("netplus"));
        assertEquals(Map.of("all", 1L, "plan", 2L, "region", 2L, "competitor", 2L), segmentTypeCounts());
        for (Map.Entry<String, Predicate<Response>> g : groups.entrySet()) {
            List<Response> members = responses().stream().filter(g.getValue()).toList();
            Row s = segments.get(g.getKey());
            assertEquals(members.size(), s.<Long>getAs("respondents"), g.getKey());
            assertFalse(s.<Boolean>getAs("suppressed"), g.getKey());
            assertEquals(HandMadeSurvey.relativeValue(members, WEIGHTS), s.<Double>getAs("relative_value"),
                    EPS, g.getKey());
            assertEquals(HandMadeSurvey.standardError(members, WEIGHTS), s.<Double>getAs("relative_value_se"),
                    EPS, g.getKey());
        }
        // Basic by hand: nq 30/22.5, cs 26/30, price 23/32.
        double basic = 0.5 * 30 / 22.5 + 0.3 * 26 / 30 + 0.2 * 23 / 32;
        assertEquals(basic, segments.get("plan=basic").<Double>getAs("relative_value"), EPS);
    }

    private static Map<String, Long> segmentTypeCounts() {
        Map<String, Long> counts = new HashMap<>();
        segments.values().forEach(r -> counts.merge(r.getAs("segment_type"), 1L, Long::sum));
        return counts;
    }

    @Test
    void smallGroupsAreWrittenSuppressedWithNullValues() {
        // Region south has two respondents (A6, A7), below min-respondents = 3.
        Row south = segments.get("region=south");
        assertEquals(2L, south.<Long>getAs("respondents"));
        assertTrue(south.<Boolean>getAs("suppressed"));
        for (String c : List.of("relative_value", "relative_value_se", "relative_value_ci_low",
                "relative_value_ci_high", "quality_ratio", "price_ratio", "quadrant")) {
            assertNull(south.getAs(c), c);
        }
        for (String attribute : ATTRIBUTES) {
            Row a = attributes.get("region=south/" + attribute);
            assertEquals(2L, a.<Long>getAs("respondents"));
            assertTrue(a.<Boolean>getAs("suppressed"));
            assertNull(a.getAs("mean_rating_us"));
            assertNull(a.getAs("mean_rating_competitor"));
            assertNull(a.getAs("performance_ratio"));
        }
        // The same group at the default minimum (30): everything is suppressed, "all" included.
        List<Response> all = responses();
        try (ValueMap.Result strict = ValueMap.compute(surveys(all), ratings(all), accounts(),
                SETTINGS.withMinRespondents(30))) {
            assertEquals(0, strict.segments().where("NOT suppressed").count());
            assertEquals(0, strict.attributes().where("NOT suppressed").count());
        }
    }

    @Test
    void statedImportanceIsTheMeanNormalisedShare() {
        // R1 (5,3,2) -> .5/.3/.2; R2 (1,1,2) -> .25/.25/.5; R3 (2,2,0) -> .5/.5/0. Means: 5/12, 7/20, 7/30.
        List<Response> all = responses();
        try (ValueMap.Result stated = ValueMap.compute(surveys(all), ratings(all), accounts(),
                SETTINGS.withWeights(WeightMethod.STATED))) {
            AttributeWeights w = stated.weights();
            assertEquals(WeightMethod.STATED, w.method());
            assertEquals(5.0 / 12, w.weight("network_quality"), EPS);
            assertEquals(7.0 / 20, w.weight("customer_service"), EPS);
            assertEquals(7.0 / 30, w.weight("price"), EPS);
            double[] weights = {5.0 / 12, 7.0 / 20, 7.0 / 30};
            Row allRow = stated.segments().where("segment_type = 'all'").first();
            assertEquals(5.0 / 12 * 1.25 + 7.0 / 20 * 0.8 + 7.0 / 30 * 0.75, allRow.<Double>getAs("relative_value"),
                    EPS);
            assertEquals(HandMadeSurvey.standardError(all, weights), allRow.<Double>getAs("relative_value_se"),
                    EPS);
            assertEquals("stated", allRow.getAs("weight_method"));
        }
    }

    @Test
    void degenerateRegressionFallsBackToStated() {
        // Overall value falling with every rating: every coefficient is negative, so regression has no answer.
        List<Response> all = responses();
        Dataset<Row> inverted = surveys(all).withColumn("overall_value_us",
                org.apache.spark.sql.functions.expr("11 - overall_value_us"));
        try (ValueMap.Result r = ValueMap.compute(inverted, ratings(all), accounts(), SETTINGS)) {
            assertEquals(WeightMethod.STATED, r.weights().method());
            assertTrue(r.weights().notes().get(0).startsWith("regression: every coefficient was negative"),
                    r.weights().notes().toString());
            assertEquals(5.0 / 12, r.weights().weight("network_quality"), EPS);
        }
        // Too few usable responses for either method: equal weights.
        try (ValueMap.Result r = ValueMap.compute(surveys(all), ratings(all), accounts(),
                SETTINGS.withMinRespondents(9))) {
            assertEquals(WeightMethod.EQUAL, r.weights().method());
            assertEquals(1.0 / 3, r.weights().weight("price"), EPS);
        }
    }

    @Test
    void equalRatingsArePerfectParity() {
        List<Response> same = responses().stream()
                .map(x -> new Response(x.id(), x.account(), x.date(), x.competitor(), x.us(), x.us(), x.importance()))
                .toList();
        try (ValueMap.Result r = ValueMap.compute(surveys(same), ratings(same), accounts(), SETTINGS)) {
            for (Row a : r.attributes().where("NOT suppressed").collectAsList()) {
                assertEquals(1.0, a.<Double>getAs("performance_ratio"), 0.0, a.toString());
            }
            List<Row> published = r.segments().where("NOT suppressed").collectAsList();
            assertEquals(6, published.size());
            for (Row s : published) {
                assertEquals(1.0, s.<Double>getAs("relative_value"), 1e-15, s.toString());
                assertEquals(1.0, s.<Double>getAs("quality_ratio"), 1e-15, s.toString());
                assertEquals(1.0, s.<Double>getAs("price_ratio"), 1e-15, s.toString());
                assertEquals(0.0, s.<Double>getAs("relative_value_se"), 1e-15, s.toString());
                assertEquals(Quadrant.PARITY, s.getAs("quadrant"));
            }
        }
    }

    @Test
    void noSurveysGiveEmptyTables() {
        // Surveys are an optional dataset: absent, ingest writes empty tables, and so does the value map.
        try (ValueMap.Result r = ValueMap.compute(surveys(List.of()), ratings(List.of()), accounts(), SETTINGS)) {
            assertEquals(WeightMethod.EQUAL, r.weights().method());
            assertTrue(r.weights().weights().isEmpty());
            assertEquals(0, r.attributes().count());
            assertEquals(0, r.segments().count());
            assertEquals(ValueMap.SEGMENT_COLUMNS, List.of(r.segments().columns()));
        }
    }

    @Test
    void unknownSegmentColumnIsAUsageErrorNamingTheKey() {
        List<Response> all = responses();
        CvmException e = assertThrows(CvmException.class, () -> ValueMap.compute(surveys(all), ratings(all),
                accounts(), SETTINGS.withSegments(List.of("plan", "value_tier"))).close());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("cvm.value-map.segments") && e.getMessage().contains("value_tier"),
                e.getMessage());
    }
}
