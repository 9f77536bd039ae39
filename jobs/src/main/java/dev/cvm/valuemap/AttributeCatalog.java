package dev.cvm.valuemap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE;
import static dev.cvm.valuemap.ValueMapColumns.ATTRIBUTE_TYPE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

/**
 * The attributes rated in a set of survey ratings and the value-map axis (quality or price) of each: a small
 * aggregate (attributes x types), collected to the driver. An attribute whose rows disagree on its type gets the
 * type most of its rows carry (ties: alphabetical); {@link #conflicts()} lists them so the stage can say so.
 *
 * @param types     attribute -> type (lower-cased, trimmed), attributes in alphabetical order
 * @param conflicts attribute -> every type seen with its row count, for attributes whose rows disagree
 */
record AttributeCatalog(Map<String, String> types, Map<String, Map<String, Long>> conflicts) {

    static AttributeCatalog of(Dataset<Row> ratings) {
        List<Row> rows = ratings.groupBy(col(ATTRIBUTE), lower(trim(col(ATTRIBUTE_TYPE))).as(ATTRIBUTE_TYPE))
                .count().collectAsList();
        Map<String, Map<String, Long>> seen = new TreeMap<>();
        for (Row r : rows) {
            seen.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getLong(2));
        }
        Map<String, String> types = new TreeMap<>();
        Map<String, Map<String, Long>> conflicts = new TreeMap<>();
        for (Map.Entry<String, Map<String, Long>> e : seen.entrySet()) {
            // TreeMap order + strict comparison: the first of equally frequent types (alphabetical) wins.
            String type = e.getValue().entrySet().stream()
                    .max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .orElseThrow().getKey();
            types.put(e.getKey(), type);
            if (e.getValue().size() > 1) {
                conflicts.put(e.getKey(), e.getValue());
            }
        }
        return new AttributeCatalog(types, conflicts);
    }

    List<String> names() {
        return new ArrayList<>(types.keySet());
    }

    int size() {
        return types.size();
    }

    String type(String attribute) {
        return types.get(attribute);
    }
}
