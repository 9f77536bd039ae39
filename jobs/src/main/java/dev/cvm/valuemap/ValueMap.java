package dev.cvm.valuemap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.List;
import java.util.Map;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.CONFIDENCE_LEVEL;
import static dev.cvm.valuemap.ValueMapColumns.MEAN_RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.MEAN_RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.PERFORMANCE_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.PRICE_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.QUADRANT;
import static dev.cvm.valuemap.ValueMapColumns.QUALITY_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_CI_HIGH;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_CI_LOW;
import static dev.cvm.valuemap.ValueMapColumns.RELATIVE_VALUE_SE;
import static dev.cvm.valuemap.ValueMapColumns.RESPONDENTS;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.SUPPRESSED;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_METHOD;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_WITHIN_TYPE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The customer value map of one survey snapshot, as the two output tables (docs/value-map.md): per segment and
 * attribute ({@code value_map_attributes}) and per segment ({@code value_map_segments}). No I/O: the stage reads and
 * writes. The frames are lazy over cached intermediates; close the result once they are written.
 */
public final class ValueMap {
    private ValueMap() {}

    /** Output columns of value_map_attributes, in order. */
    public static final List<String> ATTRIBUTE_COLUMNS = List.of(SEGMENT_TYPE, SEGMENT_VALUE, ATTRIBUTE,
            ATTRIBUTE_TYPE, RESPONDENTS, SUPPRESSED, MEAN_RATING_US, MEAN_RATING_COMPETITOR, PERFORMANCE_RATIO, WEIGHT,
            WEIGHT_WITHIN_TYPE, WEIGHT_METHOD);

    /** Output columns of value_map_segments, in order. */
    public static final List<String> SEGMENT_COLUMNS = List.of(SEGMENT_TYPE, SEGMENT_VALUE, RESPONDENTS, SUPPRESSED,
            RELATIVE_VALUE, RELATIVE_VALUE_SE, RELATIVE_VALUE_CI_LOW, RELATIVE_VALUE_CI_HIGH, CONFIDENCE_LEVEL,
            QUALITY_RATIO, PRICE_RATIO, QUADRANT, WEIGHT_METHOD);

    /**
     * @param weights    how the importance weights were obtained
     * @param conflicts  attributes whose rows disagree on attribute_type (the majority type was used)
     * @param attributes value_map_attributes rows (without run_date)
     * @param segments   value_map_segments rows (without run_date)
     */
    public record Result(AttributeWeights weights, Map<String, Map<String, Long>> conflicts,
                         Dataset<Row> attributes, Dataset<Row> segments, List<Dataset<Row>> cached)
            implements AutoCloseable {
        @Override
        public void close() {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * @param surveys           ingested surveys (contract columns)
     * @param ratings           ingested survey_ratings
     * @param accountAttributes a frame keyed by account_id with the account segment columns (the accounts table)
     */
    public static Result compute(Dataset<Row> surveys, Dataset<Row> ratings, Dataset<Row> accountAttributes,
                                 ValueMapSettings settings) {
        Dataset<Row> responses = SurveyResponses.withSegments(surveys, ratings, accountAttributes,
                settings.segments()).persist(StorageLevel.MEMORY_AND_DISK());
        AttributeCatalog catalog = AttributeCatalog.of(ratings);
        AttributeWeights weights = AttributeWeights.derive(responses, catalog, settings);
        Dataset<Row> members = SegmentMembership.explodeSegments(responses, settings.segments())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> stats = AttributePerformance.compute(members, weights.asFrame(surveys.sparkSession()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> scores = RelativeValueScore.compute(members, stats, settings.confidenceLevel())
                .withColumn(QUADRANT, Quadrant.classify(col(QUALITY_RATIO), col(PRICE_RATIO), settings.parityBand()))
                .withColumn(WEIGHT_METHOD, lit(weights.method().label()));

        Dataset<Row> attributeTable = Suppression.apply(stats, settings.minRespondents(),
                List.of(MEAN_RATING_US, MEAN_RATING_COMPETITOR, PERFORMANCE_RATIO));
        Dataset<Row> segmentTable = Suppression.apply(scores, settings.minRespondents(),
                List.of(RELATIVE_VALUE, RELATIVE_VALUE_SE, RELATIVE_VALUE_CI_LOW, RELATIVE_VALUE_CI_HIGH,
                        QUALITY_RATIO, PRICE_RATIO, QUADRANT));
        return new Result(weights, catalog.conflicts(), select(attributeTable, ATTRIBUTE_COLUMNS),
                select(segmentTable, SEGMENT_COLUMNS), List.of(stats, members, responses));
    }

    private static Dataset<Row> select(Dataset<Row> df, List<String> columns) {
        return df.select(columns.stream().map(c -> col(c)).toArray(Column[]::new));
    }
}
