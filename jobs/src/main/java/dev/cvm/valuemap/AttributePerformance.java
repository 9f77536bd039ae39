package dev.cvm.valuemap;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.MEAN_RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.MEAN_RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.PERFORMANCE_RATIO;
import static dev.cvm.valuemap.ValueMapColumns.RATING_COMPETITOR;
import static dev.cvm.valuemap.ValueMapColumns.RATING_US;
import static dev.cvm.valuemap.ValueMapColumns.RESPONDENTS;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_VALUE;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_METHOD;
import static dev.cvm.valuemap.ValueMapColumns.WEIGHT_WITHIN_TYPE;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Per segment and attribute: respondents, our and the competitor's mean rating, the performance ratio
 * (ours / competitor's: Gale's ratio of mean scores, parity 1.0) and the attribute's importance weight.
 * Unsuppressed: suppression is applied when the table is written.
 */
final class AttributePerformance {
    private AttributePerformance() {}

    /** @param members response rows per segment ({@link SegmentMembership}); weights: {@link AttributeWeights#asFrame} */
    static Dataset<Row> compute(Dataset<Row> members, Dataset<Row> weights) {
        return members.groupBy(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(ATTRIBUTE))
                .agg(count(lit(1)).as(RESPONDENTS),
                        ExactSums.avg(col(RATING_US), ExactSums.FINE).as(MEAN_RATING_US),
                        ExactSums.avg(col(RATING_COMPETITOR), ExactSums.FINE).as(MEAN_RATING_COMPETITOR))
                .join(broadcast(weights), ATTRIBUTE)
                .withColumn(PERFORMANCE_RATIO, when(col(MEAN_RATING_COMPETITOR).gt(0),
                        col(MEAN_RATING_US).divide(col(MEAN_RATING_COMPETITOR))))
                .select(col(SEGMENT_TYPE), col(SEGMENT_VALUE), col(ATTRIBUTE), col(ATTRIBUTE_TYPE), col(RESPONDENTS),
                        col(MEAN_RATING_US), col(MEAN_RATING_COMPETITOR), col(PERFORMANCE_RATIO), col(WEIGHT),
                        col(WEIGHT_WITHIN_TYPE), col(WEIGHT_METHOD));
    }
}
