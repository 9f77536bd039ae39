#!/usr/bin/env python3
"""Static check of the cvm Airflow DAGs, without Airflow: python3 and its standard library only.

Reads airflow/dags/*.py with ``ast`` (nothing is imported or executed) and prints, as JSON:

    {"dags": [{"dag_id", "file", "tasks": [...], "edges": [[upstream, downstream], ...]}], "problems": [...]}

Each task has task_id, variable, operator, line and trigger_rule; a SparkSubmitOperator task also has application,
java_class, args (application_args with constants such as cvm_common.RUN_DATE resolved), command (args[0]),
options (the --names in args), outlet_tables (the table names given to cvm_common.table_datasets) and
has_execution_timeout. Edges come from ``>>``, ``<<`` (with lists, chained), ``set_downstream``, ``set_upstream``
and ``chain``.

What the check cannot know, it reports under "problems" (and exits 1): syntax errors, a file that does not compile
or parse for Python 3.8 (Airflow 2.7's oldest Python), application_args it cannot resolve, task ids that are not
constants or repeat, dependencies on unknown variables, ``list >> list``. Whether the commands and options exist in
cvm is checked against the real command line by the JUnit test AirflowDagsTest, which runs this script.

Usage: python3 airflow/check_dags.py [DAGS_DIR]
"""
from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

SPARK_OPERATOR = "SparkSubmitOperator"
OLDEST_PYTHON = (3, 8)


class Unresolved:
    def __init__(self, source: str):
        self.source = source

    def __repr__(self) -> str:
        return f"<unresolved: {self.source}>"


def module_constants(tree: ast.Module, env: dict, modules: dict) -> dict:
    """Top-level NAME = <constant expression> assignments, in order."""
    out = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = resolve(stmt.value, {**env, **out}, modules)
            if not contains_unresolved(value):
                out[stmt.targets[0].id] = value
    return out


def contains_unresolved(value) -> bool:
    if isinstance(value, Unresolved):
        return True
    if isinstance(value, list):
        return any(contains_unresolved(v) for v in value)
    return False


def resolve(node: ast.AST, env: dict, modules: dict):
    """The value of a constant expression: literals, names and module.attr of constants, lists, + and *list."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name) and node.id in env:
        return env[node.id]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
        consts = modules[node.value.id]
        if node.attr in consts:
            return consts[node.attr]
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                inner = resolve(elt.value, env, modules)
                if isinstance(inner, list):
                    out.extend(inner)
                else:
                    out.append(Unresolved(ast.unparse(elt)))
            else:
                out.append(resolve(elt, env, modules))
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = resolve(node.left, env, modules), resolve(node.right, env, modules)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, list) and isinstance(right, list):
            return left + right
    return Unresolved(ast.unparse(node))


def callee_name(call: ast.Call) -> str:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ast.unparse(f)


def keyword(call: ast.Call, name: str):
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


class DagFile:
    def __init__(self, path: Path, rel: str, local_modules: dict, problems: list):
        self.path = path
        self.rel = rel
        self.problems = problems
        self.source = path.read_text(encoding="utf-8")
        self.tree = None
        self.env = {}
        self.modules = {}
        self.local_modules = local_modules

    def problem(self, line, message: str) -> None:
        where = f"{self.rel}:{line}" if line else self.rel
        self.problems.append(f"{where}: {message}")

    def parse(self) -> bool:
        try:
            compile(self.source, str(self.path), "exec", dont_inherit=True)
            self.tree = ast.parse(self.source, filename=str(self.path))
        except SyntaxError as e:
            self.problem(e.lineno, f"does not compile: {e.msg}")
            return False
        try:
            ast.parse(self.source, filename=str(self.path), feature_version=OLDEST_PYTHON)
        except SyntaxError as e:
            self.problem(e.lineno, f"not valid Python {'.'.join(map(str, OLDEST_PYTHON))}: {e.msg}")
        return True

    def bind_imports(self) -> None:
        for stmt in ast.walk(self.tree):
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name in self.local_modules:
                        self.modules[alias.asname or alias.name] = self.local_modules[alias.name]
            elif isinstance(stmt, ast.ImportFrom) and stmt.module in self.local_modules and stmt.level == 0:
                consts = self.local_modules[stmt.module]
                for alias in stmt.names:
                    if alias.name in consts:
                        self.env[alias.asname or alias.name] = consts[alias.name]
        self.env.update(module_constants(self.tree, self.env, self.modules))

    def dag_ids(self) -> list:
        ids = []
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and callee_name(node) == "DAG":
                arg = keyword(node, "dag_id") or (node.args[0] if node.args else None)
                value = resolve(arg, self.env, self.modules) if arg is not None else None
                if isinstance(value, str):
                    ids.append(value)
                else:
                    self.problem(node.lineno, "DAG without a constant dag_id")
        return ids

    def tasks(self) -> tuple:
        """Tasks (dicts, in source order) and variable name -> task_id."""
        tasks, by_var, seen = [], {}, set()
        for node in ast.walk(self.tree):
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
                continue
            call = node.value
            tid_node = keyword(call, "task_id")
            if tid_node is None:
                continue
            task_id = resolve(tid_node, self.env, self.modules)
            if not isinstance(task_id, str):
                self.problem(node.lineno, f"task_id is not a constant: {ast.unparse(tid_node)}")
                continue
            if task_id in seen:
                self.problem(node.lineno, f"task_id {task_id!r} is used twice")
            seen.add(task_id)
            variable = node.targets[0].id if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                else None
            if variable:
                by_var[variable] = task_id
            rule = keyword(call, "trigger_rule")
            task = {
                "task_id": task_id,
                "variable": variable,
                "operator": callee_name(call),
                "line": node.lineno,
                "trigger_rule": resolve(rule, self.env, self.modules) if rule is not None else "all_success",
            }
            if task["operator"] == SPARK_OPERATOR:
                task.update(self.spark_task(task_id, call))
            if isinstance(task["trigger_rule"], Unresolved):
                task["trigger_rule"] = repr(task["trigger_rule"])
            tasks.append(task)
        tasks.sort(key=lambda t: t["line"])
        return tasks, by_var

    def spark_task(self, task_id: str, call: ast.Call) -> dict:
        out = {}
        for name in ("application", "java_class"):
            node = keyword(call, name)
            value = resolve(node, self.env, self.modules) if node is not None else None
            if not isinstance(value, str):
                self.problem(call.lineno, f"{task_id}: {name} is not a constant"
                             + (f": {ast.unparse(node)}" if node is not None else " (missing)"))
                value = None if value is None else repr(value)
            out[name] = value
        args_node = keyword(call, "application_args")
        args = resolve(args_node, self.env, self.modules) if args_node is not None else []
        if not isinstance(args, list):
            self.problem(call.lineno, f"{task_id}: application_args is not a list: {ast.unparse(args_node)}")
            args = [args]
        for a in args:
            if not isinstance(a, str):
                self.problem(call.lineno, f"{task_id}: application_args element {a!r} is not a constant string")
        args = [a if isinstance(a, str) else repr(a) for a in args]
        if not args:
            self.problem(call.lineno, f"{task_id}: no application_args (no cvm command)")
        out["args"] = args
        out["command"] = args[0] if args else None
        out["options"] = [a.split("=", 1)[0] for a in args[1:] if a.startswith("--")]
        outlets = keyword(call, "outlets")
        tables = []
        if outlets is not None:
            for node in ast.walk(outlets):
                if isinstance(node, ast.Call) and callee_name(node) == "table_datasets":
                    for arg in node.args:
                        value = resolve(arg, self.env, self.modules)
                        if isinstance(value, str):
                            tables.append(value)
        out["outlet_tables"] = tables
        out["has_execution_timeout"] = keyword(call, "execution_timeout") is not None
        return out

    def edges(self, by_var: dict) -> list:
        edges = []

        def add(ups, downs, line):
            for u in ups:
                for d in downs:
                    if [u, d] not in edges:
                        edges.append([u, d])

        def tasks_of(node, line):
            """The task ids an operand stands for, adding the edges of nested >> / << on the way."""
            if isinstance(node, ast.Name):
                if node.id not in by_var:
                    self.problem(line, f"dependency on {node.id!r}, which is not a task variable")
                    return []
                return [by_var[node.id]]
            if isinstance(node, (ast.List, ast.Tuple)):
                out = []
                for elt in node.elts:
                    out.extend(tasks_of(elt, line))
                return out
            if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
                left = tasks_of(node.left, line)
                right = tasks_of(node.right, line)
                if isinstance(node.left, (ast.List, ast.Tuple)) and isinstance(node.right, (ast.List, ast.Tuple)):
                    self.problem(line, f"list {type(node.op).__name__} list is a TypeError: {ast.unparse(node)}")
                if isinstance(node.op, ast.RShift):
                    add(left, right, line)
                else:
                    add(right, left, line)
                return right  # a >> b returns b, a >> [b, c] returns [b, c], [a, b] >> c returns c
            self.problem(line, f"cannot follow dependency operand {ast.unparse(node)}")
            return []

        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Expr):
                continue
            value = node.value
            if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.RShift, ast.LShift)):
                tasks_of(value, node.lineno)
            elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                    and value.func.attr in ("set_downstream", "set_upstream"):
                this = tasks_of(value.func.value, node.lineno)
                other = []
                for arg in value.args:
                    other.extend(tasks_of(arg, node.lineno))
                if value.func.attr == "set_downstream":
                    add(this, other, node.lineno)
                else:
                    add(other, this, node.lineno)
            elif isinstance(value, ast.Call) and callee_name(value) == "chain":
                groups = [tasks_of(a, node.lineno) for a in value.args]
                for (a_node, a), (b_node, b) in zip(zip(value.args, groups), zip(value.args[1:], groups[1:])):
                    both_lists = all(isinstance(n, (ast.List, ast.Tuple)) for n in (a_node, b_node))
                    if both_lists:
                        if len(a) != len(b):
                            self.problem(node.lineno, "chain() of two lists of different lengths")
                        for u, d in zip(a, b):
                            add([u], [d], node.lineno)
                    else:
                        add(a, b, node.lineno)
        return edges


def find_cycle(edges: list) -> list:
    """A cycle as a list of task ids (first == last), or [] when the graph is acyclic."""
    downstream = {}
    for u, d in edges:
        downstream.setdefault(u, []).append(d)
    state = {}  # task id -> 1 while on the current path, 2 when done

    def visit(node, path):
        state[node] = 1
        for d in downstream.get(node, []):
            if state.get(d) == 1:
                return path[path.index(d):] + [node, d] if d in path else [node, d]
            if d not in state:
                found = visit(d, path + [node])
                if found:
                    return found
        state[node] = 2
        return []

    for node in list(downstream):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return []


def main(argv: list) -> int:
    dags_dir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "dags"
    files = sorted(dags_dir.glob("*.py"))
    problems = []
    if not files:
        problems.append(f"{dags_dir}: no DAG files")
    parsed = []
    for f in files:
        rel = os.path.relpath(f)
        df = DagFile(f, rel, {}, problems)
        if df.parse():
            parsed.append(df)
    # Constants of every module in the folder (cvm_common.RUN_DATE, ...), for the files that import them.
    local = {}
    for df in parsed:
        local[df.path.stem] = module_constants(df.tree, {}, {})
    dags = []
    for df in parsed:
        df.local_modules = local
        df.bind_imports()
        ids = df.dag_ids()
        if not ids:
            continue
        if len(ids) > 1:
            df.problem(None, f"more than one DAG in a file: {ids}")
        tasks, by_var = df.tasks()
        edges = df.edges(by_var)
        cycle = find_cycle(edges)
        if cycle:
            df.problem(None, f"dependency cycle: {' >> '.join(cycle)}")
        dags.append({"dag_id": ids[0], "file": df.rel, "tasks": tasks, "edges": edges})
    json.dump({"dags": dags, "problems": problems}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
