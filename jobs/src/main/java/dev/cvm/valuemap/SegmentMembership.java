package dev.cvm.valuemap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static dev.cvm.valuemap.ValueMapColumns.ALL;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_TYPE;
import static dev.cvm.valuemap.ValueMapColumns.SEGMENT_VALUE;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

/**
 * Repeats each response row once per segment it belongs to: ("all", "all") and (column, value) for every configured
 * segment column. A null value (a market respondent has no plan) puts the row in no segment of that column, so the
 * segments of one column need not add up to "all".
 */
final class SegmentMembership {
    private static final String MEMBERSHIP = "__membership";

    private SegmentMembership() {}

    static Dataset<Row> explodeSegments(Dataset<Row> responses, List<String> segments) {
        List<Column> memberships = new ArrayList<>();
        memberships.add(struct(lit(ALL).as(SEGMENT_TYPE), lit(ALL).as(SEGMENT_VALUE)));
        for (int i = 0; i < segments.size(); i++) {
            memberships.add(struct(lit(segments.get(i)).as(SEGMENT_TYPE),
                    col(SurveyResponses.segmentColumn(i)).as(SEGMENT_VALUE)));
        }
        Dataset<Row> exploded = responses
                .withColumn(MEMBERSHIP, explode(array(memberships.toArray(Column[]::new))))
                .withColumn(SEGMENT_TYPE, col(MEMBERSHIP + "." + SEGMENT_TYPE))
                .withColumn(SEGMENT_VALUE, col(MEMBERSHIP + "." + SEGMENT_VALUE))
                .where(col(SEGMENT_VALUE).isNotNull())
                .drop(MEMBERSHIP);
        for (String c : SurveyResponses.segmentColumns(segments.size())) {
            exploded = exploded.drop(c);
        }
        return exploded;
    }

    static Column[] keys() {
        return new Column[] {col(SEGMENT_TYPE), col(SEGMENT_VALUE)};
    }

    static String[] keyNames() {
        return new String[] {SEGMENT_TYPE, SEGMENT_VALUE};
    }
}
