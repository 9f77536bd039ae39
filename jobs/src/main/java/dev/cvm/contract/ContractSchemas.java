package dev.cvm.contract;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/** Spark schemas derived from the contract: what the generator writes and what ingest produces. */
public final class ContractSchemas {
    private ContractSchemas() {}

    public static StructType of(DatasetSpec spec) {
        List<StructField> fields = new ArrayList<>();
        for (ColumnSpec c : spec.columns()) {
            fields.add(DataTypes.createStructField(c.name(), c.type().canonical(), !c.required()));
        }
        return DataTypes.createStructType(fields);
    }
}
