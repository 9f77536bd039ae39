package dev.cvm.contract;

import java.util.stream.Collectors;

/** Renders the input contract as Markdown; docs/data-contract.md embeds this text and a test keeps them equal. */
public final class ContractDoc {
    private ContractDoc() {}

    public static String markdown() {
        StringBuilder sb = new StringBuilder();
        for (DatasetSpec d : InputContract.ALL) {
            sb.append("### `").append(d.name()).append("`\n\n");
            sb.append(d.description()).append("\n\n");
            sb.append("Key: ").append(d.key().stream().map(k -> "`" + k + "`").collect(Collectors.joining(" + ")));
            sb.append(". Ingested into Delta table `").append(d.table().tableName()).append("`.");
            if (!d.orderedDates().isEmpty()) {
                sb.append(" ").append(d.orderedDates().stream().map(p -> "`" + p[1] + "` may not precede `" + p[0] + "`")
                        .collect(Collectors.joining("; "))).append(".");
            }
            sb.append("\n\n| column | type | required | rules | meaning |\n|---|---|---|---|---|\n");
            for (ColumnSpec c : d.columns()) {
                sb.append("| `").append(c.name()).append("` | ").append(c.type().name().toLowerCase())
                        .append(" | ").append(c.required() ? "yes" : "no")
                        .append(" | ").append(rules(c)).append(" | ").append(c.description()).append(" |\n");
            }
            sb.append("\n");
        }
        return sb.toString();
    }

    private static String rules(ColumnSpec c) {
        StringBuilder r = new StringBuilder();
        if (c.min() != null && c.max() != null) {
            r.append(fmt(c.min())).append("..").append(fmt(c.max()));
        } else if (c.min() != null) {
            r.append(">= ").append(fmt(c.min()));
        }
        if (c.references() != null) {
            r.append(r.length() > 0 ? "; " : "").append("must exist in `").append(c.references()).append("`");
        }
        if (c.isTemporal()) {
            r.append(r.length() > 0 ? "; " : "").append("not after the run date, not before min-date");
        }
        return r.length() == 0 ? "" : r.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
