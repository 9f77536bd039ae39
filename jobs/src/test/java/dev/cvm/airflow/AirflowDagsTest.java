package dev.cvm.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cvm.cli.CvmCli;
import dev.cvm.warehouse.Table;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Airflow DAGs (airflow/dags) call cvm the way its command line accepts, in the order the stages depend on.
 * Airflow is not needed: airflow/check_dags.py reads the DAG files with Python's ast and prints their tasks and
 * edges as JSON; this test checks them against the real picocli model of {@link CvmCli}.
 */
class AirflowDagsTest {
    static final List<String> NIGHTLY_COMMANDS = List.of("ingest", "features", "value-map", "clv", "score", "segment",
            "publish", "report", "monitor");
    static final String SPARK = "SparkSubmitOperator";

    private static JsonNode checked;

    static Path home() {
        return Path.of(System.getProperty("cvm.home", ".")).toAbsolutePath().normalize();
    }

    record ProcResult(int code, String out, String err) {}

    static ProcResult python(Path workDir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("cvm.python", "python3"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run python3 (needed for the Airflow DAG checks; .ci/run installs it): "
                    + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        return new ProcResult(p.exitValue(), out.get(), err.get());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The checker's JSON for airflow/dags; the checker must have run cleanly (no problems, exit code 0). */
    static synchronized JsonNode checked() throws Exception {
        if (checked == null) {
            ProcResult r = python(home(), Map.of(), "airflow/check_dags.py");
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(r.out());
            } catch (IOException e) {
                throw new AssertionError("airflow/check_dags.py printed no JSON (exit " + r.code() + "):\n" + r.out()
                        + r.err(), e);
            }
            assertTrue(json.path("problems").isEmpty(), "airflow/check_dags.py found problems:\n"
                    + json.path("problems").toPrettyString());
            assertEquals(0, r.code(), "airflow/check_dags.py exit code; stderr:\n" + r.err());
            checked = json;
        }
        return checked;
    }

    static JsonNode dag(String dagId) throws Exception {
        for (JsonNode d : checked().path("dags")) {
            if (dagId.equals(d.path("dag_id").asText())) {
                return d;
            }
        }
        throw new AssertionError("no DAG " + dagId + " in airflow/dags");
    }

    static List<JsonNode> sparkTasks(JsonNode dag) {
        List<JsonNode> out = new ArrayList<>();
        dag.path("tasks").forEach(t -> {
            if (SPARK.equals(t.path("operator").asText())) {
                out.add(t);
            }
        });
        return out;
    }

    static List<JsonNode> allSparkTasks() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        checked().path("dags").forEach(d -> out.addAll(sparkTasks(d)));
        return out;
    }

    static List<String> args(JsonNode task) {
        List<String> out = new ArrayList<>();
        task.path("args").forEach(a -> out.add(a.asText()));
        return out;
    }

    static String where(JsonNode task) {
        return task.path("task_id").asText() + " (" + String.join(" ", args(task)) + ")";
    }

    static boolean isTemplate(String s) {
        return s != null && s.strip().startsWith("{{") && s.strip().endsWith("}}");
    }

    /** The value after an option in a task's args, or null. */
    static String optionValue(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(option + "=")) {
                return args.get(i).substring(option.length() + 1);
            }
        }
        return null;
    }

    // ---- the DAG files themselves

    @Test
    void dagFilesCompile(@TempDir Path cache) throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(home().resolve("airflow/dags"))) {
            files = s.filter(p -> p.toString().endsWith(".py")).map(p -> home().relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
        assertFalse(files.isEmpty(), "no airflow/dags/*.py");
        List<String> cmd = new ArrayList<>(List.of("-m", "py_compile"));
        cmd.addAll(files);
        // Byte code goes to a temporary directory, not into the source tree.
        ProcResult r = python(home(), Map.of("PYTHONPYCACHEPREFIX", cache.toString()), cmd.toArray(String[]::new));
        assertEquals(0, r.code(), "python3 -m py_compile " + files + ":\n" + r.out() + r.err());
    }

    @Test
    void checkerRunsCleanOnBothDags() throws Exception {
        Set<String> ids = new TreeSet<>();
        checked().path("dags").forEach(d -> ids.add(d.path("dag_id").asText()));
        assertEquals(Set.of("cvm_nightly", "cvm_retrain"), ids);
    }

    /** The checker is not vacuous: what it cannot follow, or what Airflow would reject, it reports. */
    @Test
    void checkerReportsWhatItCannotFollow(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad_dag.py"), String.join("\n",
                "from airflow import DAG",
                "x = compute()",
                "with DAG(dag_id='bad'):",
                "    a = SparkSubmitOperator(task_id='a', application='j', java_class='dev.cvm.Main',",
                "                            application_args=['ingest', '--run-date', x])",
                "    b = EmptyOperator(task_id='b')",
                "    c = EmptyOperator(task_id='b')",
                "    [a] >> [b]",
                "    a >> b >> a",
                "    a >> nowhere",
                ""));
        Files.writeString(dir.resolve("broken_dag.py"), "with DAG(dag_id='broken'):\n    a = (\n");
        ProcResult r = python(home(), Map.of(), "airflow/check_dags.py", dir.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        String problems = new ObjectMapper().readTree(r.out()).path("problems").toString();
        for (String expected : List.of("broken_dag.py:", "does not compile", "is not a constant string",
                "'b' is used twice", "list RShift list", "dependency cycle", "'nowhere'")) {
            assertTrue(problems.contains(expected), "expected a problem with '" + expected + "' in " + problems);
        }
    }

    // ---- every task calls cvm the way its command line accepts

    @Test
    void everySparkTaskSubmitsTheCvmJarAndMainClass() throws Exception {
        List<JsonNode> tasks = allSparkTasks();
        assertFalse(tasks.isEmpty());
        for (JsonNode t : tasks) {
            assertEquals("dev.cvm.Main", t.path("java_class").asText(), where(t));
            assertFalse(t.path("application").asText().isBlank(), "application (the jar) of " + where(t));
            assertFalse(args(t).isEmpty(), "no cvm command in " + where(t));
            String conf = optionValue(args(t), "--conf");
            assertTrue(conf != null && !conf.isBlank(), "--conf FILE in " + where(t));
            assertTrue(t.path("has_execution_timeout").asBoolean(), "execution_timeout of " + where(t));
        }
    }

    @Test
    void everyTaskCallsARealCvmCommand() throws Exception {
        Set<String> known = CvmCli.commandLine().getSubcommands().keySet();
        Map<String, List<String>> missing = new LinkedHashMap<>();
        for (JsonNode t : allSparkTasks()) {
            String command = t.path("command").asText();
            if (!known.contains(command)) {
                missing.computeIfAbsent(command, k -> new ArrayList<>()).add(t.path("task_id").asText());
            }
        }
        assertTrue(missing.isEmpty(), "DAG tasks call cvm commands that CvmCli does not have: " + missing
                + " (command -> tasks); cvm has " + new TreeSet<>(known));
    }

    @Test
    void everyOptionIsAcceptedByItsCommand() throws Exception {
        List<String> problems = new ArrayList<>();
        for (JsonNode t : allSparkTasks()) {
            for (String p : CliArgs.problems(args(t))) {
                problems.add(t.path("task_id").asText() + ": " + p);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The argument check against picocli's model catches what cvm would reject (so it is not vacuous). */
    @Test
    void argumentCheckRejectsWhatCvmRejects() {
        assertEquals(List.of(), CliArgs.problems(List.of("features", "--training", "--conf", "c.conf", "--run-date",
                "{{ data_interval_end | ds }}")));
        assertEquals(List.of(), CliArgs.problems(List.of("features", "--as-of=2026-01-01", "--run-date", "{{ ds }}")));
        assertProblem(List.of("ingest", "--no-such-option", "--run-date", "{{ ds }}"), "has no option --no-such-option");
        assertProblem(List.of("ingest", "--run-date", "2026-11-01"), "--run-date must be an Airflow template");
        assertProblem(List.of("ingest", "--run-date"), "--run-date of cvm ingest needs a value");
        assertProblem(List.of("ingest", "--conf", "--run-date", "{{ ds }}"), "--conf of cvm ingest needs a value");
        assertProblem(List.of("ingest", "stray", "--run-date", "{{ ds }}"), "positional");
        assertProblem(List.of("features", "--training=yes", "--run-date", "{{ ds }}"), "takes no value");
        assertProblem(List.of("generate", "--out", "x", "--run-date", "{{ ds }}"), "missing required option --accounts");
    }

    private static void assertProblem(List<String> args, String expected) {
        List<String> problems = CliArgs.problems(args);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), args + ": expected '" + expected + "' in "
                + problems);
    }

    // ---- the business date

    @Test
    void runDateIsOneAirflowTemplateForEveryStage() throws Exception {
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode t : allSparkTasks()) {
            String v = optionValue(args(t), "--run-date");
            if (v != null) {
                assertTrue(isTemplate(v), "--run-date of " + where(t) + " must be an Airflow template, is " + v);
                values.add(v);
            }
        }
        for (JsonNode t : sparkTasks(dag("cvm_nightly"))) {
            assertTrue(args(t).contains("--run-date"), "--run-date in " + where(t));
        }
        for (String id : List.of("features_training", "train")) {
            assertTrue(args(task(dag("cvm_retrain"), id)).contains("--run-date"), "--run-date in retrain " + id);
        }
        assertEquals(1, values.size(), "one business date for every task of both DAGs: " + values);
        assertTrue(values.iterator().next().contains("data_interval_end"),
                "the run date comes from the data interval (see airflow/README.md): " + values);
    }

    // ---- order

    @Test
    void nightlyHasOneTaskPerStage() throws Exception {
        List<String> commands = sparkTasks(dag("cvm_nightly")).stream().map(t -> t.path("command").asText())
                .sorted().collect(Collectors.toList());
        assertEquals(NIGHTLY_COMMANDS.stream().sorted().collect(Collectors.toList()), commands);
    }

    @Test
    void nightlyOrderFollowsStageDependencies() throws Exception {
        JsonNode dag = dag("cvm_nightly");
        Graph g = Graph.of(dag);
        Map<String, String> byCommand = new HashMap<>();
        for (JsonNode t : sparkTasks(dag)) {
            byCommand.put(t.path("command").asText(), t.path("task_id").asText());
        }
        String[][] before = {
                {"ingest", "features"},
                {"features", "clv"}, {"features", "value-map"}, {"features", "score"},
                {"clv", "segment"}, {"score", "segment"},
                {"segment", "publish"},
                {"publish", "monitor"}, {"monitor", "report"},
        };
        for (String[] e : before) {
            String up = byCommand.get(e[0]);
            String down = byCommand.get(e[1]);
            assertTrue(up != null && down != null, "tasks for " + e[0] + " and " + e[1]);
            assertTrue(g.reaches(up, down), e[0] + " must run before " + e[1] + "; edges " + dag.path("edges"));
        }
        // Every stage waits for ingest.
        for (String c : NIGHTLY_COMMANDS) {
            if (!c.equals("ingest")) {
                assertTrue(g.reaches(byCommand.get("ingest"), byCommand.get(c)), "ingest before " + c);
            }
        }
        assertFalse(g.hasCycle(), "cycle in " + dag.path("edges"));
    }

    @Test
    void retrainTrainsThenListsAndGatesPromoteAndRollback() throws Exception {
        JsonNode dag = dag("cvm_retrain");
        Graph g = Graph.of(dag);
        JsonNode features = task(dag, "features_training");
        JsonNode train = task(dag, "train");
        JsonNode list = task(dag, "models_list");
        assertEquals("features", features.path("command").asText());
        assertTrue(args(features).contains("--training"), where(features));
        assertEquals("train", train.path("command").asText());
        assertEquals("all", optionValue(args(train), "--model"), where(train));
        assertEquals(List.of("models", "list"), args(list).subList(0, 2), where(list));
        assertTrue(g.reaches("features_training", "train"), "features --training before train");
        assertTrue(g.reaches("train", "models_list"), "train before models list");

        for (String id : List.of("promote", "rollback")) {
            JsonNode t = task(dag, id);
            assertEquals(List.of("models", id), args(t).subList(0, 2), where(t));
            // Only a branch or short-circuit task decides whether promote/rollback run.
            List<String> ups = g.upstream(id);
            assertFalse(ups.isEmpty(), id + " has no upstream task");
            for (String up : ups) {
                String op = task(dag, up).path("operator").asText();
                assertTrue(op.equals("BranchPythonOperator") || op.equals("ShortCircuitOperator"),
                        id + " must be gated by a branch/short-circuit task, its upstream " + up + " is " + op);
            }
            assertFalse(g.reaches("train", id) || g.reaches(id, "train"), id + " and train are alternatives");
            assertTrue(g.reaches(id, "models_list"), id + " then models list");
        }
        assertNotEquals("all_success", list.path("trigger_rule").asText(),
                "models_list follows whichever branch ran, so it cannot need all upstreams");
        assertFalse(g.hasCycle(), "cycle in " + dag.path("edges"));
    }

    // ---- Datasets

    @Test
    void outletsAreTablesCvmWrites() throws Exception {
        Set<String> tables = Arrays.stream(Table.values()).map(Table::tableName).collect(Collectors.toSet());
        for (JsonNode t : allSparkTasks()) {
            t.path("outlet_tables").forEach(o -> assertTrue(tables.contains(o.asText()),
                    where(t) + " declares a Dataset for " + o.asText() + ", which is not a cvm table " + tables));
        }
        JsonNode nightly = dag("cvm_nightly");
        for (String id : List.of("ingest", "features", "value_map", "clv", "score", "segment", "monitor")) {
            assertFalse(task(nightly, id).path("outlet_tables").isEmpty(), "outlets of nightly task " + id);
        }
        List<String> segmentOut = new ArrayList<>();
        task(nightly, "segment").path("outlet_tables").forEach(o -> segmentOut.add(o.asText()));
        assertTrue(segmentOut.containsAll(List.of("customer_scores", "campaign_targets", "segment_summary")),
                segmentOut.toString());
    }

    static JsonNode task(JsonNode dag, String taskId) {
        for (JsonNode t : dag.path("tasks")) {
            if (taskId.equals(t.path("task_id").asText())) {
                return t;
            }
        }
        throw new AssertionError("no task " + taskId + " in " + dag.path("dag_id").asText());
    }

    /** The dependency graph of one DAG, by task id. */
    record Graph(Map<String, List<String>> down, Map<String, List<String>> up) {
        static Graph of(JsonNode dag) {
            Map<String, List<String>> down = new HashMap<>();
            Map<String, List<String>> up = new HashMap<>();
            dag.path("edges").forEach(e -> {
                down.computeIfAbsent(e.get(0).asText(), k -> new ArrayList<>()).add(e.get(1).asText());
                up.computeIfAbsent(e.get(1).asText(), k -> new ArrayList<>()).add(e.get(0).asText());
            });
            return new Graph(down, up);
        }

        boolean reaches(String from, String to) {
            Deque<String> todo = new ArrayDeque<>(down.getOrDefault(from, List.of()));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (n.equals(to)) {
                    return true;
                }
                if (seen.add(n)) {
                    todo.addAll(down.getOrDefault(n, List.of()));
                }
            }
            return false;
        }

        List<String> upstream(String id) {
            return up.getOrDefault(id, List.of());
        }

        boolean hasCycle() {
            return down.keySet().stream().anyMatch(n -> reaches(n, n));
        }
    }

    /** Checks an application_args list against cvm's picocli model, as far as it can be known before rendering. */
    static final class CliArgs {
        private CliArgs() {}

        static List<String> problems(List<String> args) {
            List<String> problems = new ArrayList<>();
            CommandLine cmd = CvmCli.commandLine().getSubcommands().get(args.get(0));
            if (cmd == null) {
                return problems; // reported by everyTaskCallsARealCvmCommand
            }
            String name = args.get(0);
            int i = 1;
            while (i < args.size() && cmd.getSubcommands().containsKey(args.get(i))) {
                name += " " + args.get(i);
                cmd = cmd.getSubcommands().get(args.get(i));
                i++;
            }
            Set<String> subcommands = new TreeSet<>(cmd.getSubcommands().keySet());
            subcommands.remove("help");
            if (!subcommands.isEmpty()) {
                problems.add("cvm " + name + " needs one of its subcommands " + subcommands);
                return problems;
            }
            CommandSpec spec = cmd.getCommandSpec();
            Set<OptionSpec> given = new HashSet<>();
            int positionals = 0;
            for (; i < args.size(); i++) {
                String a = args.get(i);
                if (!looksLikeOption(a)) {
                    positionals++;
                    continue;
                }
                int eq = a.indexOf('=');
                String opt = eq > 0 ? a.substring(0, eq) : a;
                OptionSpec o = spec.findOption(opt);
                if (o == null) {
                    problems.add("cvm " + name + " has no option " + opt + "; it has " + optionNames(spec));
                    continue;
                }
                given.add(o);
                String value = eq > 0 ? a.substring(eq + 1) : null;
                if (o.arity().max() == 0 && value != null) {
                    problems.add(opt + " of cvm " + name + " takes no value, got " + a);
                } else if (o.arity().min() > 0 && value == null) {
                    if (i + 1 >= args.size() || looksLikeOption(args.get(i + 1))) {
                        problems.add(opt + " of cvm " + name + " needs a value");
                        continue;
                    }
                    value = args.get(++i);
                }
                if (opt.equals("--run-date") && !isTemplate(value)) {
                    problems.add("--run-date must be an Airflow template (the run's own date), got " + value);
                }
                Iterable<String> candidates = o.completionCandidates();
                if (value != null && !isTemplate(value) && candidates != null) {
                    List<String> allowed = new ArrayList<>();
                    candidates.forEach(allowed::add);
                    boolean anyCase = cmd.isCaseInsensitiveEnumValuesAllowed();
                    String v = value;
                    if (!allowed.isEmpty() && allowed.stream().noneMatch(c -> anyCase ? c.equalsIgnoreCase(v)
                            : c.equals(v))) {
                        problems.add(opt + " of cvm " + name + " must be one of " + allowed + ", got " + value);
                    }
                }
            }
            for (OptionSpec o : spec.options()) {
                if (o.required() && !given.contains(o)) {
                    problems.add("missing required option " + o.longestName() + " of cvm " + name);
                }
            }
            int min = 0;
            long max = 0;
            for (PositionalParamSpec p : spec.positionalParameters()) {
                min += p.arity().min();
                max += p.arity().max() == Integer.MAX_VALUE ? Integer.MAX_VALUE : p.arity().max();
            }
            if (positionals < min || positionals > max) {
                problems.add("cvm " + name + " takes " + (min == max ? String.valueOf(min) : min + ".." + max)
                        + " positional parameters, got " + positionals);
            }
            return problems;
        }

        private static boolean looksLikeOption(String a) {
            return a.startsWith("--") || (a.length() == 2 && a.charAt(0) == '-' && Character.isLetter(a.charAt(1)));
        }

        private static Set<String> optionNames(CommandSpec spec) {
            return spec.options().stream().map(OptionSpec::longestName).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
