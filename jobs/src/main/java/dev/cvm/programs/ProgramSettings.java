package dev.cvm.programs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.cvm.CvmException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** CVM program rules, costs, margins and budgets ({@code cvm.programs}). */
public record ProgramSettings(Map<String, Double> productMargin, Map<String, Double> channelCost,
                              double responsePriorWeight, int cooldownDays, String suppressionPath,
                              List<Rule> rules) implements Serializable {

    public record Rule(String program, String when, String value, String offer, double budget) implements Serializable {}

    public static ProgramSettings from(Config root) {
        Config c = root.getConfig("cvm.programs");
        Map<String, Double> margin = numbers(c, "product-margin");
        Map<String, Double> cost = numbers(c, "channel-cost");
        if (cost.isEmpty()) {
            throw CvmException.usage("config key cvm.programs.channel-cost must name at least one channel");
        }
        cost.forEach((k, v) -> {
            if (!(v > 0)) {
                throw CvmException.usage("config key cvm.programs.channel-cost." + k + " must be positive, got " + v);
            }
            if (!k.matches("[A-Za-z0-9_]+")) {
                throw CvmException.usage("config key cvm.programs.channel-cost: channel '" + k
                        + "' must be letters, digits or _");
            }
        });
        List<Rule> rules = new ArrayList<>();
        for (Config r : c.getConfigList("rules")) {
            Rule rule = new Rule(r.getString("program"), r.getString("when"), r.getString("value"),
                    r.getString("offer"), r.getDouble("budget"));
            if (rule.budget() < 0) {
                throw CvmException.usage("config key cvm.programs.rules: budget of " + rule.program()
                        + " must not be negative");
            }
            rules.add(rule);
        }
        if (rules.isEmpty()) {
            throw CvmException.usage("config key cvm.programs.rules must list at least one program");
        }
        return new ProgramSettings(Map.copyOf(margin), Map.copyOf(cost), c.getDouble("response-prior-weight"),
                c.getInt("cooldown-days"), c.getString("suppression-path"), List.copyOf(rules));
    }

    private static Map<String, Double> numbers(Config c, String key) {
        Map<String, Double> m = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig(key).entrySet()) {
            Object v = e.getValue().unwrapped();
            if (!(v instanceof Number n)) {
                throw CvmException.usage("config key cvm.programs." + key + "." + e.getKey() + " must be a number");
            }
            m.put(e.getKey().replace("\"", ""), n.doubleValue());
        }
        return m;
    }
}
