package dev.cvm.contract;

import dev.cvm.warehouse.Table;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * One raw input dataset: its directory name under the input root, its columns, its key, and the table its
 * valid rows are ingested into.
 *
 * @param orderedDates pairs {start, end} of date columns where end may not precede start
 */
public record DatasetSpec(String name, String description, Table table, List<ColumnSpec> columns,
                          List<String> key, List<String[]> orderedDates) implements Serializable {

    public Optional<ColumnSpec> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnSpec::name).toList();
    }
}
