package dev.cvm.features;

import dev.cvm.spark.ExactSums;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.time.LocalDate;
import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/** The as-of dates of one features run, and the column helpers every feature family uses. */
final class AsOf {
    static final String AS_OF = "as_of_date";

    private AsOf() {}

    /** A tiny broadcast table of as-of dates; joining events to it computes all snapshots in one pass. */
    static Dataset<Row> dates(SparkSession spark, List<LocalDate> asOfDates) {
        List<Row> rows = asOfDates.stream().map(d -> RowFactory.create(d)).toList();
        return broadcast(spark.createDataFrame(rows,
                DataTypes.createStructType(List.of(DataTypes.createStructField(AS_OF, DataTypes.DateType, false)))));
    }

    /** The day is within the {@code days} days before the as-of date: [as_of - days, as_of). */
    static Column within(Column day, int days) {
        return day.geq(date_sub(col(AS_OF), days)).and(day.lt(col(AS_OF)));
    }

    /** The day is in [as_of - to, as_of - from). */
    static Column between(Column day, int fromDaysBack, int toDaysBack) {
        return day.geq(date_sub(col(AS_OF), toDaysBack)).and(day.lt(date_sub(col(AS_OF), fromDaysBack)));
    }

    static Column countIf(Column cond, Column value) {
        return org.apache.spark.sql.functions.sum(when(cond, value).otherwise(lit(0)));
    }

    /** The exact sum of the money amounts where {@code cond} holds, 0 where it never does. */
    static Column amountIf(Column cond, Column amount) {
        return ExactSums.sum(when(cond, amount).otherwise(lit(0.0)), ExactSums.MONEY);
    }

    /**
     * Symmetric change (recent - prior) / (recent + prior), in [-1, 1]: -1 = stopped, 0 = flat, 1 = new.
     * Zero when both are zero, so it is defined for every account without dividing by zero.
     */
    static Column symmetricChange(Column recent, Column prior) {
        Column sum = recent.plus(prior);
        return when(sum.equalTo(0), lit(0.0)).otherwise(recent.minus(prior).divide(sum));
    }

    static Column clamp(Column c, double lo, double hi) {
        return least(greatest(c, lit(lo)), lit(hi));
    }
}
