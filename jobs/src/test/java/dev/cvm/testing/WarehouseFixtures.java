package dev.cvm.testing;

import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.DatasetSpec;
import dev.cvm.contract.InputContract;
import dev.cvm.warehouse.Warehouse;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Puts hand-made rows straight into the ingested tables of a run date, to test the stages after ingest. */
public final class WarehouseFixtures {
    private WarehouseFixtures() {}

    public static StructType loose(DatasetSpec spec) {
        StructType schema = ContractSchemas.of(spec);
        return new StructType(Arrays.stream(schema.fields())
                .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata())).toArray(StructField[]::new));
    }

    /** Every contract table of {@code runDate}: the given rows, or empty. */
    public static void ingested(Warehouse warehouse, LocalDate runDate, Map<DatasetSpec, List<Row>> rows) {
        for (DatasetSpec spec : InputContract.ALL) {
            List<Row> r = rows.getOrDefault(spec, List.of());
            warehouse.replaceRunDate(spec.table(), SparkTestSupport.spark().createDataFrame(r, loose(spec)), runDate);
        }
    }
}
