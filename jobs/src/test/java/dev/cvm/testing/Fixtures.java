package dev.cvm.testing;

import dev.cvm.contract.ContractSchemas;
import dev.cvm.contract.DatasetSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

/** Tiny hand-made input datasets, written as Parquet the way a feed would deliver them. */
public final class Fixtures {
    private Fixtures() {}

    public static Row row(Object... values) {
        return RowFactory.create(values);
    }

    public static LocalDate d(String iso) {
        return LocalDate.parse(iso);
    }

    public static Instant ts(String iso) {
        return Instant.parse(iso.length() == 10 ? iso + "T12:00:00Z" : iso);
    }

    /** Writes rows in the contract's schema for {@code spec} under root/spec.name(). */
    public static void write(Path root, DatasetSpec spec, Row... rows) {
        // Every column nullable: fixtures deliberately break the contract's required columns.
        StructType schema = ContractSchemas.of(spec);
        StructType loose = new StructType(Arrays.stream(schema.fields())
                .map(f -> f.copy(f.name(), f.dataType(), true, f.metadata())).toArray(org.apache.spark.sql.types.StructField[]::new));
        write(root, spec.name(), loose, Arrays.asList(rows));
    }

    public static void write(Path root, String dataset, StructType schema, List<Row> rows) {
        SparkTestSupport.spark().createDataFrame(rows, schema).coalesce(1).write().mode("overwrite")
                .parquet(root.resolve(dataset).toString());
    }
}
