package dev.cvm.config;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.Locale;

/**
 * The ingest volume anomaly check ({@code cvm.ingest.volume-check}): a dataset's rows on the run date against the
 * previous ingested run date.
 *
 * @param maxGrowth more than this many times the previous count is an anomaly
 * @param minShare  less than this share of the previous count is an anomaly
 * @param minRows   counts below this on both dates are not compared (ratios of tiny counts are noise)
 * @param action    what an anomaly does
 */
public record VolumeCheckSettings(double maxGrowth, double minShare, long minRows, Action action)
        implements Serializable {

    public enum Action { FAIL, WARN, OFF }

    static VolumeCheckSettings from(Config root) {
        String p = "cvm.ingest.volume-check.";
        double growth = root.getDouble(p + "max-growth");
        if (!(growth >= 1) || Double.isInfinite(growth)) {
            throw CvmException.usage("config key " + p + "max-growth must be a number >= 1, got " + growth);
        }
        double share = CvmConfig.fraction(root, p + "min-share");
        long minRows = root.getLong(p + "min-rows");
        if (minRows < 0) {
            throw CvmException.usage("config key " + p + "min-rows must be >= 0, got " + minRows);
        }
        String a = root.getString(p + "action").strip().toLowerCase(Locale.ROOT);
        Action action = switch (a) {
            case "fail" -> Action.FAIL;
            case "warn" -> Action.WARN;
            case "off" -> Action.OFF;
            default -> throw CvmException.usage("config key " + p + "action must be fail, warn or off, got \""
                    + a + "\"");
        };
        return new VolumeCheckSettings(growth, share, minRows, action);
    }

    public VolumeCheckSettings withAction(Action a) {
        return new VolumeCheckSettings(maxGrowth, minShare, minRows, a);
    }
}
