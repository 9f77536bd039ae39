package dev.cvm.contract;

import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The type a contract column promises, and which Parquet physical types are accepted for it.
 * Only lossless widenings are accepted (int id to string, int to double, date to timestamp); anything else
 * (e.g. amounts stored as text) is a wrong type and fails the run, because guessing would hide a broken feed.
 */
public enum LogicalType {
    STRING(DataTypes.StringType, "string (or an integer id)"),
    LONG(DataTypes.LongType, "integer"),
    DOUBLE(DataTypes.DoubleType, "number (integer, decimal, float or double)"),
    BOOLEAN(DataTypes.BooleanType, "boolean"),
    DATE(DataTypes.DateType, "date (or timestamp, truncated to its UTC date)"),
    TIMESTAMP(DataTypes.TimestampType, "timestamp (or date, taken as midnight UTC)");

    private final DataType canonical;
    private final String description;

    LogicalType(DataType canonical, String description) {
        this.canonical = canonical;
        this.description = description;
    }

    /** The Spark type the ingested Delta column has. */
    public DataType canonical() {
        return canonical;
    }

    public String description() {
        return description;
    }

    public boolean accepts(DataType found) {
        return switch (this) {
            case STRING -> found instanceof StringType || isIntegral(found);
            case LONG -> isIntegral(found);
            case DOUBLE -> isIntegral(found) || found instanceof DoubleType || found instanceof FloatType
                    || found instanceof DecimalType;
            case BOOLEAN -> found instanceof BooleanType;
            case DATE, TIMESTAMP -> found instanceof DateType || found instanceof TimestampType
                    || found instanceof TimestampNTZType;
        };
    }

    private static boolean isIntegral(DataType t) {
        return t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType;
    }
}
