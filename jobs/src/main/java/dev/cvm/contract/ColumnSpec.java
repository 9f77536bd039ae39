package dev.cvm.contract;

import java.io.Serializable;

/**
 * One column of an input dataset: its type, whether it may be null, and the value rules that apply to it.
 *
 * @param min          smallest allowed value for numbers (inclusive), or null
 * @param max          largest allowed value for numbers (inclusive), or null
 * @param references   "dataset.column" this column must match (a foreign key), or null
 */
public record ColumnSpec(String name, LogicalType type, boolean required, String description,
                         Double min, Double max, String references) implements Serializable {

    public static ColumnSpec required(String name, LogicalType type, String description) {
        return new ColumnSpec(name, type, true, description, null, null, null);
    }

    public static ColumnSpec optional(String name, LogicalType type, String description) {
        return new ColumnSpec(name, type, false, description, null, null, null);
    }

    public ColumnSpec range(Double lo, Double hi) {
        return new ColumnSpec(name, type, required, description, lo, hi, references);
    }

    public ColumnSpec nonNegative() {
        return range(0.0, null);
    }

    public ColumnSpec references(String datasetDotColumn) {
        return new ColumnSpec(name, type, required, description, min, max, datasetDotColumn);
    }

    public boolean isTemporal() {
        return type == LogicalType.DATE || type == LogicalType.TIMESTAMP;
    }
}
