package dev.cvm.valuemap;

import dev.cvm.pipeline.StepLog;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.LocalDate;

/**
 * {@code cvm value-map}: reads the ingested surveys, survey_ratings and accounts of a run date, and replaces that
 * date in value_map_attributes and value_map_segments (one Delta transaction each).
 */
public final class ValueMapStage {
    private final ValueMapSettings settings;
    private final Warehouse warehouse;
    private final StepLog log;

    public record Outcome(AttributeWeights weights, long attributeRows, long segmentRows) {}

    public ValueMapStage(ValueMapSettings settings, Warehouse warehouse, StepLog log) {
        this.settings = settings;
        this.warehouse = warehouse;
        this.log = log;
    }

    public Outcome run(LocalDate runDate) {
        Dataset<Row> surveys = warehouse.readRunDate(Table.SURVEYS, runDate, "ingest");
        Dataset<Row> ratings = warehouse.readRunDate(Table.SURVEY_RATINGS, runDate, "ingest");
        Dataset<Row> accounts = warehouse.readRunDate(Table.ACCOUNTS, runDate, "ingest");
        try (ValueMap.Result result = log.run("value-map importance weights",
                () -> ValueMap.compute(surveys, ratings, accounts, settings))) {
            AttributeWeights w = result.weights();
            log.info("  weights (%s): %s", w.method().label(), w.weights().isEmpty() ? "no attributes" : w.describe());
            for (String note : w.notes()) {
                log.info("    %s", note);
            }
            result.conflicts().forEach((attribute, types) -> log.info(
                    "  attribute %s has rows of several types %s: using the most frequent", attribute, types));
            long attributes = log.step("write " + Table.VALUE_MAP_ATTRIBUTES.tableName(),
                    () -> warehouse.replaceRunDate(Table.VALUE_MAP_ATTRIBUTES, result.attributes(), runDate));
            long segments = log.step("write " + Table.VALUE_MAP_SEGMENTS.tableName(),
                    () -> warehouse.replaceRunDate(Table.VALUE_MAP_SEGMENTS, result.segments(), runDate));
            return new Outcome(w, attributes, segments);
        }
    }
}
