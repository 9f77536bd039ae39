package dev.cvm.ingest;

import dev.cvm.CvmException;
import dev.cvm.contract.ColumnSpec;
import dev.cvm.contract.DatasetSpec;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat$;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Fails fast, before any row is read, when a file breaks the contract's shape: unreadable file, missing required
 * column, unexpected column, or a type that cannot be converted without loss. Every message names the file, the
 * column, what was expected and what was found.
 */
final class SchemaCheck {
    private SchemaCheck() {}

    record Result(StructType physical, List<String> extraColumns) {}

    static Result check(SparkSession spark, DatasetSpec spec, List<String> files, boolean failOnExtra) {
        StructType first = null;
        String firstFile = null;
        for (String file : files) {
            StructType schema = readSchema(spark, file);
            checkOne(spec, file, schema, failOnExtra);
            if (first == null) {
                first = schema;
                firstFile = file;
            } else {
                sameTypes(spec, firstFile, first, file, schema);
            }
        }
        List<String> extra = new ArrayList<>();
        for (StructField f : first.fields()) {
            if (spec.column(f.name()).isEmpty()) {
                extra.add(f.name());
            }
        }
        return new Result(first, extra);
    }

    /**
     * The Spark schema of one file, from its footer read on the driver: a damaged file is one clear message, not a
     * failed task, and a delivery of many files costs no Spark job per file. The conversion is Spark's own (the one
     * its Parquet schema inference runs on each footer), with the session's Parquet settings.
     */
    private static StructType readSchema(SparkSession spark, String file) {
        try {
            Path path = new Path(file);
            ParquetMetadata footer;
            try (ParquetFileReader reader = ParquetFileReader.open(
                    HadoopInputFile.fromPath(path, spark.sparkContext().hadoopConfiguration()))) {
                footer = reader.getFooter();
            }
            // As nullable as Spark's reader makes every file source's schema: a REQUIRED Parquet column promises
            // nothing the rules do not check anyway.
            return ParquetFileFormat$.MODULE$.readSchemaFromFooter(new Footer(path, footer),
                    new ParquetToSparkSchemaConverter(sqlConf(spark))).asNullable();
        } catch (Exception e) {
            throw new CvmException("input file " + file + " is not a readable Parquet file (" + rootMessage(e)
                    + "); replace or remove it and re-run");
        }
    }

    /** This session's SQL settings (not the thread's: the checks of several datasets run on pool threads). */
    private static SQLConf sqlConf(SparkSession spark) {
        return ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().conf();
    }

    private static void checkOne(DatasetSpec spec, String file, StructType schema, boolean failOnExtra) {
        Set<String> present = new TreeSet<>();
        for (StructField f : schema.fields()) {
            present.add(f.name());
        }
        List<String> missing = spec.columns().stream().filter(ColumnSpec::required)
                .map(ColumnSpec::name).filter(n -> !present.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new CvmException(String.format(Locale.ROOT,
                    "dataset %s, file %s: missing required column(s) %s (found %s); see docs/data-contract.md",
                    spec.name(), file, missing, present));
        }
        for (StructField f : schema.fields()) {
            var col = spec.column(f.name());
            if (col.isEmpty()) {
                if (failOnExtra) {
                    throw new CvmException(String.format(Locale.ROOT,
                            "dataset %s, file %s: column '%s' is not in the contract (expected only %s); remove it, "
                                    + "or set cvm.ingest.extra-columns = ignore",
                            spec.name(), file, f.name(), spec.columnNames()));
                }
                continue;
            }
            if (!col.get().type().accepts(f.dataType())) {
                throw new CvmException(String.format(Locale.ROOT,
                        "dataset %s, file %s: column '%s' has type %s, expected %s; fix the export to deliver that "
                                + "type (numbers and dates as text are not guessed, see docs/data-contract.md)",
                        spec.name(), file, f.name(), f.dataType().simpleString(), col.get().type().description()));
            }
        }
    }

    private static void sameTypes(DatasetSpec spec, String fileA, StructType a, String fileB, StructType b) {
        String sa = a.fields().length == 0 ? "" : describe(a);
        String sb = describe(b);
        if (!sa.equals(sb)) {
            throw new CvmException(String.format(Locale.ROOT,
                    "dataset %s: files disagree on their columns or types: %s has [%s] but %s has [%s]; "
                            + "re-export the dataset with one schema",
                    spec.name(), fileA, sa, fileB, sb));
        }
    }

    private static String describe(StructType s) {
        return java.util.Arrays.stream(s.fields()).sorted(java.util.Comparator.comparing(StructField::name))
                .map(f -> f.name() + ":" + f.dataType().simpleString()).collect(Collectors.joining(", "));
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
