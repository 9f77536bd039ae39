package dev.cvm.valuemap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.cvm.CvmException;
import dev.cvm.config.CvmConfig;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the value map (config section {@code cvm.value-map}; defaults and meaning in reference.conf).
 *
 * @param weights         configured importance-weight method (regression or stated)
 * @param minRespondents  groups with fewer respondents are suppressed; also the least number of usable responses a
 *                        weight method needs
 * @param segments        segment columns (of surveys or accounts); the "all" segment is always added
 * @param parityBand      ratios within 1 +- band are at parity in the quadrant classification
 * @param confidenceLevel two-sided level of the relative value confidence interval
 */
public record ValueMapSettings(WeightMethod weights, int minRespondents, List<String> segments, double parityBand,
                               double confidenceLevel) implements Serializable {
    private static final String SECTION = "cvm.value-map";

    public ValueMapSettings {
        segments = List.copyOf(segments);
        if (weights == WeightMethod.EQUAL) {
            throw CvmException.usage("config key " + SECTION + ".weights must be \"regression\" or \"stated\"");
        }
        if (minRespondents < 2) {
            throw CvmException.usage("config key " + SECTION + ".min-respondents must be at least 2, got "
                    + minRespondents);
        }
        Set<String> seen = new HashSet<>();
        for (String s : segments) {
            if (s == null || s.isBlank() || !seen.add(s)) {
                throw CvmException.usage("config key " + SECTION + ".segments must list distinct, non-empty column "
                        + "names, got " + segments);
            }
            if (s.equals(ValueMapColumns.ALL)) {
                throw CvmException.usage("config key " + SECTION + ".segments must not list \"all\": the all "
                        + "segment is always written");
            }
        }
        if (!(parityBand >= 0 && parityBand < 1)) {
            throw CvmException.usage("config key " + SECTION + ".parity-band must be >= 0 and < 1, got "
                    + parityBand);
        }
        if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
            throw CvmException.usage("config key " + SECTION + ".confidence-level must be between 0 and 1 "
                    + "(exclusive), got " + confidenceLevel);
        }
    }

    /** Reads and validates the section; every error names the key (exit code 2). */
    public static ValueMapSettings from(CvmConfig config) {
        return config.valueMap();
    }

    /** Parses the section from the resolved config tree; called once by CvmConfig. */
    public static ValueMapSettings fromRoot(Config root) {
        return from(root);
    }

    static ValueMapSettings from(Config root) {
        try {
            Config c = root.getConfig(SECTION);
            String method = c.getString("weights");
            WeightMethod weights = switch (method) {
                case "regression" -> WeightMethod.REGRESSION;
                case "stated" -> WeightMethod.STATED;
                default -> throw CvmException.usage("config key " + SECTION
                        + ".weights must be \"regression\" or \"stated\", got \"" + method + "\"");
            };
            return new ValueMapSettings(weights, c.getInt("min-respondents"), c.getStringList("segments"),
                    c.getDouble("parity-band"), c.getDouble("confidence-level"));
        } catch (ConfigException e) {
            throw CvmException.usage("invalid config: " + e.getMessage());
        }
    }

    public ValueMapSettings withWeights(WeightMethod method) {
        return new ValueMapSettings(method, minRespondents, segments, parityBand, confidenceLevel);
    }

    public ValueMapSettings withMinRespondents(int min) {
        return new ValueMapSettings(weights, min, segments, parityBand, confidenceLevel);
    }

    public ValueMapSettings withSegments(List<String> columns) {
        return new ValueMapSettings(weights, minRespondents, columns, parityBand, confidenceLevel);
    }
}
