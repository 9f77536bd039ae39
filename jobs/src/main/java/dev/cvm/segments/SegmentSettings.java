package dev.cvm.segments;

import com.typesafe.config.Config;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Settings of value tiers, RFM segments, micro-segments and user-defined schemes ({@code cvm.segments}). */
public record SegmentSettings(List<Tier> tiers, String restTier, List<RfmRule> rfmRules, String rfmDefault,
                              List<String> microFeatures, int kMin, int kMax, int sampleSize, long seed,
                              List<CustomScheme> custom) implements Serializable {

    public record Tier(String name, double topShare) implements Serializable {}

    public record RfmRule(String name, int rLo, int rHi, int fLo, int fHi, int mLo, int mHi) implements Serializable {}

    public record CustomRule(String segment, String when) implements Serializable {}

    public record CustomScheme(String name, String defaultSegment, List<CustomRule> rules) implements Serializable {}

    public static SegmentSettings from(Config root) {
        Config c = root.getConfig("cvm.segments");
        List<Tier> tiers = new ArrayList<>();
        double last = 0;
        for (Config t : c.getConfigList("value-tiers")) {
            Tier tier = new Tier(t.getString("name"), t.getDouble("top-share"));
            if (!(tier.topShare() > last && tier.topShare() <= 1)) {
                throw CvmException.usage("config key cvm.segments.value-tiers: top-share must increase within (0, 1], "
                        + "got " + tier.topShare() + " for " + tier.name());
            }
            last = tier.topShare();
            tiers.add(tier);
        }
        List<RfmRule> rules = new ArrayList<>();
        for (Config r : c.getConfigList("rfm-segments")) {
            List<Integer> rr = range(r, "r");
            List<Integer> ff = range(r, "f");
            List<Integer> mm = r.hasPath("m") ? range(r, "m") : List.of(1, 5);
            rules.add(new RfmRule(r.getString("name"), rr.get(0), rr.get(1), ff.get(0), ff.get(1), mm.get(0), mm.get(1)));
        }
        Config m = c.getConfig("micro");
        int kMin = m.getInt("k-min");
        int kMax = m.getInt("k-max");
        if (kMin < 2 || kMax < kMin) {
            throw CvmException.usage("config keys cvm.segments.micro.k-min/k-max need 2 <= k-min <= k-max, got "
                    + kMin + ", " + kMax);
        }
        List<CustomScheme> custom = new ArrayList<>();
        for (Config s : c.getConfigList("custom")) {
            String name = s.getString("name");
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw CvmException.usage("config key cvm.segments.custom: scheme name '" + name
                        + "' must be letters, digits or _ (it becomes column custom_" + name + ")");
            }
            List<CustomRule> cr = new ArrayList<>();
            for (Config rule : s.getConfigList("rules")) {
                cr.add(new CustomRule(rule.getString("segment"), rule.getString("when")));
            }
            custom.add(new CustomScheme(name, s.hasPath("default") ? s.getString("default") : "other", List.copyOf(cr)));
        }
        return new SegmentSettings(List.copyOf(tiers), c.getString("rest-tier"), List.copyOf(rules),
                c.getString("rfm-default"), List.copyOf(m.getStringList("features")), kMin, kMax,
                m.getInt("sample-size"), m.getLong("seed"), List.copyOf(custom));
    }

    private static List<Integer> range(Config r, String key) {
        List<Integer> v = r.getIntList(key);
        if (v.size() != 2 || v.get(0) < 1 || v.get(1) > 5 || v.get(0) > v.get(1)) {
            throw CvmException.usage("config key cvm.segments.rfm-segments: '" + key + "' of "
                    + r.getString("name") + " must be [lo, hi] within 1..5, got " + v);
        }
        return v;
    }
}
