package dev.cvm.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A static guard for scale-out: no stage may pull per-account rows to the driver. Every call that brings all rows of a
 * Dataset to the driver (collect, collectAsList, toLocalIterator) must sit in a statement that visibly bounds what
 * it brings (an aggregation, distinct, a limit), or carry a {@code // bounded: <why>} comment on the line before,
 * saying why the rows are few whatever the number of accounts. A new unbounded collect fails here and must be
 * argued for in review.
 */
class DriverCollectGuardTest {
    private static final Path MAIN = Path.of("src", "main", "java");
    /** Spark's calls that bring every row of a Dataset; take(n), head(n) and tail(n) are bounded by their n. */
    private static final Pattern TO_DRIVER = Pattern.compile("\\.(collect|collectAsList|toLocalIterator)\\(\\)");
    private static final Pattern BOUNDED = Pattern.compile(
            "\\.(groupBy|agg|count|distinct|limit|summary|describe)\\(|DESCRIBE|SHOW ");
    private static final String JUSTIFIED = "// bounded:";

    @Test
    void everyCollectToTheDriverIsBounded() throws IOException {
        List<String> unbounded = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        int checked = 0;
        for (Path file : files) {
            String src = Files.readString(file);
            Matcher m = TO_DRIVER.matcher(src);
            while (m.find()) {
                checked++;
                String statement = statementBefore(src, m.start());
                if (!BOUNDED.matcher(statement).find() && !justified(src, m.start())) {
                    int line = (int) src.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    unbounded.add(MAIN.relativize(file) + ":" + line);
                }
            }
        }
        assertTrue(checked > 20, "the guard found only " + checked + " calls: is it still looking at the sources?");
        assertTrue(unbounded.isEmpty(), "rows collected to the driver without a visible bound (aggregate, distinct, "
                + "limit) or a '" + JUSTIFIED + " <why>' comment on the line before: " + unbounded);
    }

    /** The text of the statement up to {@code at}: back to the previous ';', '{' or '}' outside parentheses. */
    private static String statementBefore(String src, int at) {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            char c = src.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    return src.substring(i + 1, at);
                }
                depth--;
            } else if (depth == 0 && (c == ';' || c == '{' || c == '}')) {
                return src.substring(i + 1, at);
            }
        }
        return src.substring(0, at);
    }

    /** A "// bounded: why" comment on one of the lines just before the statement's first line. */
    private static boolean justified(String src, int at) {
        String statement = statementBefore(src, at);
        int start = at - statement.length();
        int from = Math.max(0, start - 400);
        return src.substring(from, at).contains(JUSTIFIED);
    }
}
