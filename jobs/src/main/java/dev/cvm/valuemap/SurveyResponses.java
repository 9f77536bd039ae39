package dev.cvm.valuemap;

import dev.cvm.CvmException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static dev.cvm.valuemap.ValueMapColumns.ACCOUNT_ID;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.IMPORTANCE;
import static dev.cvm.valuemap.ValueMapColumns.OVERALL_VALUE_US;
import static dev.cvm.valuemap.ValueMapColumns.RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RESPONSE_ID;
import static dev.cvm.valuemap.ValueMapColumns.SURVEY_DATE;
import static org.apache.spark.sql.functions.col;

/**
 * Joins survey responses to their attribute ratings: one row per response and rated attribute, carrying the
 * response's overall rating, date, account and segment values. Responses without ratings drop out (nothing to
 * score); ratings are the ingested, validated ones (ingest already guarantees every rating has its response).
 */
final class SurveyResponses {
    private SurveyResponses() {}

    /** Segment values travel under internal names, so a segment column can never collide with a survey column. */
    static String segmentColumn(int i) {
        return "__segment_" + i;
    }

    /** Responses without segment columns (weights, per-account scores). */
    static Dataset<Row> of(Dataset<Row> surveys, Dataset<Row> ratings) {
        return withSegments(surveys, ratings, null, List.of());
    }

    /**
     * Responses with segment value {@code i} of {@code segments} in {@link #segmentColumn(int)} (as text). A segment
     * column is taken from surveys when it is one of theirs (e.g. competitor), else from {@code accountAttributes}
     * (any frame keyed by account_id: accounts today, accounts joined with value tiers later). Respondents without an
     * account (market respondents) have null account segments.
     */
    static Dataset<Row> withSegments(Dataset<Row> surveys, Dataset<Row> ratings, Dataset<Row> accountAttributes,
                                     List<String> segments) {
        Set<String> surveyColumns = Set.of(surveys.columns());
        Set<String> accountColumns = accountAttributes == null ? Set.of() : Set.of(accountAttributes.columns());
        List<Column> fromSurveys = new ArrayList<>(List.of(col(RESPONSE_ID), col(ACCOUNT_ID), col(SURVEY_DATE),
                col(OVERALL_VALUE_US)));
        List<Column> fromAccounts = new ArrayList<>(List.of(col(ACCOUNT_ID)));
        for (int i = 0; i < segments.size(); i++) {
            String name = segments.get(i);
            Column value = col("`" + name + "`").cast("string").as(segmentColumn(i));
            if (surveyColumns.contains(name)) {
                fromSurveys.add(value);
            } else if (accountColumns.contains(name) && !name.equals(ACCOUNT_ID)) {
                fromAccounts.add(value);
            } else {
                Set<String> available = new TreeSet<>(surveyColumns);
                available.addAll(accountColumns);
                throw CvmException.usage("config key cvm.value-map.segments: \"" + name + "\" is not a column of "
                        + "surveys or accounts (available: " + available + ")");
            }
        }
        Dataset<Row> respondents = surveys.select(fromSurveys.toArray(Column[]::new));
        if (fromAccounts.size() > 1) {
            respondents = respondents.join(accountAttributes.select(fromAccounts.toArray(Column[]::new)),
                    new String[] {ACCOUNT_ID}, "left");
        }
        Dataset<Row> rated = ratings.select(col(RESPONSE_ID), col(ATTRIBUTE), col(RATING_US), col(RATING_COMPETITOR),
                col(IMPORTANCE));
        return rated.join(respondents, new String[] {RESPONSE_ID}, "inner");
    }

    /** Names of the segment columns of a frame built by {@link #withSegments}, in order. */
    static List<String> segmentColumns(int count) {
        return IntStream.range(0, count).mapToObj(SurveyResponses::segmentColumn).toList();
    }
}
