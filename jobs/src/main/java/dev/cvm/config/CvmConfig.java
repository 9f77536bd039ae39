package dev.cvm.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.cvm.CvmException;

import java.io.File;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole cvm configuration, loaded and validated once at start-up.
 *
 * <p>Layers, strongest first: environment overrides ({@code CONFIG_FORCE_cvm_warehouse=...}, Typesafe's
 * convention), system properties, the deployment file ({@code --conf}), and the defaults in
 * {@code reference.conf}. Every error names the key that is wrong.
 */
public final class CvmConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Sub-trees whose keys are free-form (passed through, or user-defined names). */
    private static final Set<String> OPEN_SECTIONS = Set.of("cvm.spark.conf", "cvm.programs.product-margin",
            "cvm.programs.channel-cost", "cvm.publish.postgres.properties");

    private final transient Config raw;
    private final String home;
    private final SparkSettings spark;
    private final String warehouse;
    private final String inputRoot;
    private final IngestSettings ingest;
    private final dev.cvm.features.FeatureSettings features;
    private final dev.cvm.models.ModelSettings models;
    private final dev.cvm.segments.SegmentSettings segments;
    private final dev.cvm.programs.ProgramSettings programs;
    private final CatalogSettings catalog;
    private final dev.cvm.publish.PublishSettings publish;
    private final dev.cvm.valuemap.ValueMapSettings valueMap;
    private final ClvSettings clv;

    private CvmConfig(Config raw) {
        this.raw = raw;
        this.home = raw.getString("cvm.home");
        this.spark = SparkSettings.from(raw.getConfig("cvm.spark"));
        this.warehouse = nonBlank(raw, "cvm.warehouse");
        this.inputRoot = nonBlank(raw, "cvm.input.root");
        this.ingest = IngestSettings.from(raw);
        this.features = dev.cvm.features.FeatureSettings.from(raw);
        this.models = dev.cvm.models.ModelSettings.from(raw);
        this.segments = dev.cvm.segments.SegmentSettings.from(raw);
        this.programs = dev.cvm.programs.ProgramSettings.from(raw);
        this.catalog = CatalogSettings.from(raw);
        this.publish = dev.cvm.publish.PublishSettings.from(raw);
        this.valueMap = dev.cvm.valuemap.ValueMapSettings.fromRoot(raw);
        this.clv = ClvSettings.from(raw);
    }

    /** Loads {@code file} over the defaults; throws a usage error naming the key on any problem. */
    public static CvmConfig load(File file) {
        if (!file.isFile()) {
            throw CvmException.usage("config file not found: " + file.getAbsolutePath()
                    + " (pass --conf FILE or create conf/local.conf)");
        }
        try {
            Config user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            return fromUserConfig(user, file.getPath());
        } catch (ConfigException e) {
            throw CvmException.usage("invalid config " + file.getPath() + ": " + e.getMessage());
        }
    }

    /** Loads from a HOCON string; for tests and embedded use. */
    public static CvmConfig parse(String hocon) {
        try {
            return fromUserConfig(ConfigFactory.parseString(hocon), "<string>");
        } catch (ConfigException e) {
            throw CvmException.usage("invalid config: " + e.getMessage());
        }
    }

    private static CvmConfig fromUserConfig(Config user, String origin) {
        Config reference = ConfigFactory.parseResources(CvmConfig.class.getClassLoader(), "reference.conf");
        rejectUnknownKeys(user, reference, origin);
        Config overrides = ConfigFactory.systemEnvironmentOverrides()
                .withFallback(ConfigFactory.systemProperties());
        Config merged = overrides.withFallback(user).withFallback(reference)
                .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        return new CvmConfig(merged);
    }

    private static void rejectUnknownKeys(Config user, Config reference, String origin) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("cvm.")) {
                unknown.add(key);
                continue;
            }
            if (OPEN_SECTIONS.stream().anyMatch(s -> key.startsWith(s + "."))) {
                continue;
            }
            if (!reference.hasPathOrNull(key) && !isInsideOpenList(reference, key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw CvmException.usage("unknown config key(s) in " + origin + ": " + new TreeSet<>(unknown)
                    + " (see jobs/src/main/resources/reference.conf for every key)");
        }
    }

    /** Keys under a list or object-valued default (e.g. a rule table) are user data, not settings. */
    private static boolean isInsideOpenList(Config reference, String key) {
        String path = key;
        while (path.contains(".")) {
            path = path.substring(0, path.lastIndexOf('.'));
            if (reference.hasPathOrNull(path)) {
                ConfigValueType t = reference.getValue(path).valueType();
                return t == ConfigValueType.LIST;
            }
        }
        return false;
    }

    static String nonBlank(Config c, String key) {
        String v = c.getString(key);
        if (v.isBlank()) {
            throw CvmException.usage("config key " + key + " must not be empty");
        }
        return v;
    }

    static double fraction(Config c, String key) {
        double v = c.getDouble(key);
        if (!(v >= 0 && v <= 1)) {
            throw CvmException.usage("config key " + key + " must be between 0 and 1, got " + v);
        }
        return v;
    }

    static int positiveInt(Config c, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw CvmException.usage("config key " + key + " must be a positive integer, got " + v);
        }
        return v;
    }

    /** The resolved Typesafe tree, for stage sections that parse themselves. */
    public Config raw() {
        if (raw == null) {
            throw new IllegalStateException("raw config is driver-only");
        }
        return raw;
    }

    public String home() {
        return home;
    }

    public SparkSettings spark() {
        return spark;
    }

    public String warehouse() {
        return warehouse;
    }

    public String inputRoot() {
        return inputRoot;
    }

    public IngestSettings ingest() {
        return ingest;
    }

    public dev.cvm.features.FeatureSettings features() {
        return features;
    }

    public dev.cvm.models.ModelSettings models() {
        return models;
    }

    public dev.cvm.segments.SegmentSettings segments() {
        return segments;
    }

    public dev.cvm.programs.ProgramSettings programs() {
        return programs;
    }

    public CatalogSettings catalog() {
        return catalog;
    }

    public dev.cvm.publish.PublishSettings publish() {
        return publish;
    }

    public dev.cvm.valuemap.ValueMapSettings valueMap() {
        return valueMap;
    }

    public ClvSettings clv() {
        return clv;
    }

    public Path homePath() {
        return Path.of(home);
    }
}
