package dev.cvm.models;

import dev.cvm.CvmException;
import dev.cvm.warehouse.Table;
import dev.cvm.warehouse.Warehouse;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Delta table {@code model_registry}: every trained version of every model, one row each, keyed by
 * (name, version). All changes of one operation (a new version and the retirement of the champion it replaces, a
 * promotion, a rollback) are written by one Delta MERGE, so the table moves from one consistent state to the next and
 * never shows two champions or none in between. The table is small: it is read whole to the driver.
 */
public final class ModelRegistry {
    private final Warehouse warehouse;

    public ModelRegistry(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    public List<ModelVersion> all() {
        if (!warehouse.exists(Table.MODEL_REGISTRY)) {
            return List.of();
        }
        List<ModelVersion> out = new ArrayList<>();
        // bounded: one row per trained model version.
        for (Row r : warehouse.read(Table.MODEL_REGISTRY).collectAsList()) {
            out.add(ModelVersion.fromRow(r));
        }
        out.sort(Comparator.comparing(ModelVersion::name).thenComparingInt(ModelVersion::version));
        return out;
    }

    public List<ModelVersion> versions(String name) {
        return all().stream().filter(v -> v.name().equals(name)).toList();
    }

    public Optional<ModelVersion> champion(String name) {
        return champion(all(), name);
    }

    public int nextVersion(String name) {
        return versions(name).stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
    }

    public Optional<ModelVersion> version(String name, int version) {
        return find(all(), name, version);
    }

    /**
     * Registers a newly trained version. When it is the new champion, the current champion is retired in the same
     * commit.
     */
    public void register(ModelVersion added) {
        List<ModelVersion> all = all();
        List<ModelVersion> changes = new ArrayList<>();
        if (added.status().equals(ModelVersion.CHAMPION)) {
            champion(all, added.name()).ifPresent(c -> changes.add(c.withStatus(ModelVersion.RETIRED,
                    "replaced by v" + added.version() + " (" + added.promotionReason() + ")", added.statusChangedAt())));
        }
        changes.add(added);
        apply(all, changes);
    }

    /** Makes {@code version} the champion by hand (no gate); the current champion is retired. */
    public ModelVersion promote(String name, int version, String reason) {
        List<ModelVersion> all = all();
        ModelVersion target = find(all, name, version).orElseThrow(() -> new CvmException("model " + name
                + " has no version " + version + ": see `cvm models list`"));
        Optional<ModelVersion> current = champion(all, name);
        if (current.isPresent() && current.get().version() == version) {
            throw new CvmException(name + " v" + version + " is already the champion");
        }
        Instant now = Instant.now();
        List<ModelVersion> changes = new ArrayList<>();
        current.ifPresent(c -> changes.add(c.withStatus(ModelVersion.RETIRED, "replaced by v" + version
                + " (manual promotion)", now)));
        ModelVersion promoted = target.asChampion(reason, now, current.map(ModelVersion::version).orElse(null));
        changes.add(promoted);
        apply(all, changes);
        return promoted;
    }

    /** Restores the champion the current champion replaced; the current one is retired. */
    public ModelVersion rollback(String name) {
        List<ModelVersion> all = all();
        ModelVersion current = champion(all, name).orElseThrow(() -> new CvmException("model " + name
                + " has no champion to roll back" + (all.stream().noneMatch(v -> v.name().equals(name))
                ? ": it was never trained" : "")));
        if (current.replacedVersion() == null) {
            throw new CvmException(name + " v" + current.version() + " did not replace an earlier champion: nothing to "
                    + "roll back to (use `cvm models promote " + name + " VERSION` to pick a version)");
        }
        ModelVersion previous = find(all, name, current.replacedVersion()).orElseThrow(() -> new CvmException(
                name + ": the previous champion v" + current.replacedVersion() + " is not in the registry"));
        Instant now = Instant.now();
        ModelVersion restored = previous.restored("rollback from v" + current.version(), now);
        apply(all, List.of(current.withStatus(ModelVersion.RETIRED, "rolled back to v" + previous.version(), now),
                restored));
        return restored;
    }

    private static Optional<ModelVersion> champion(List<ModelVersion> all, String name) {
        return all.stream().filter(v -> v.name().equals(name) && v.status().equals(ModelVersion.CHAMPION)).findFirst();
    }

    private static Optional<ModelVersion> find(List<ModelVersion> all, String name, int version) {
        return all.stream().filter(v -> v.name().equals(name) && v.version() == version).findFirst();
    }

    /** One MERGE on (name, version): changed rows are updated, new rows inserted. */
    private void apply(List<ModelVersion> before, List<ModelVersion> changes) {
        checkOneChampion(before, changes);
        var spark = warehouse.spark();
        String path = warehouse.path(Table.MODEL_REGISTRY);
        DeltaTable.createIfNotExists(spark).location(path).addColumns(ModelVersion.SCHEMA).execute();
        var source = spark.createDataFrame(changes.stream().map(ModelVersion::toRow).toList(), ModelVersion.SCHEMA);
        DeltaTable.forPath(spark, path).as("t")
                .merge(source.as("s"), "t.name = s.name AND t.version = s.version")
                .whenMatched().updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    /** The registry after {@code changes} must hold at most one champion per model. */
    private static void checkOneChampion(List<ModelVersion> before, List<ModelVersion> changes) {
        Map<String, ModelVersion> after = new HashMap<>();
        for (ModelVersion v : before) {
            after.put(v.name() + "#" + v.version(), v);
        }
        for (ModelVersion v : changes) {
            after.put(v.name() + "#" + v.version(), v);
        }
        Map<String, Integer> champions = new HashMap<>();
        for (ModelVersion v : after.values()) {
            if (v.status().equals(ModelVersion.CHAMPION)) {
                champions.merge(v.name(), 1, Integer::sum);
            }
        }
        champions.forEach((n, c) -> {
            if (c > 1) {
                throw new IllegalStateException("registry change would leave " + c + " champions of " + n);
            }
        });
    }
}
