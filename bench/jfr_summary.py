#!/usr/bin/env python3
"""Where a JVM's CPU went, from a Java Flight Recorder file: bench/jfr_summary.py RECORDING.jfr [TITLE]

Prints a Markdown table of the execution samples (threads running Java code) by component, split into the driver's
threads and the executors' task threads. A sample whose stack is compiling generated code or (de)serialising a task
counts as that, wherever in the stack it happens; any other goes to the component of the frame nearest the running
method, since the bottom of a task's stack (the shuffle writer, Delta's file writer) wraps everything it computes.
The shares add up to 100%. Needs `jfr` (in every JDK 17) on the PATH. bench/run.sh --profile runs it on the chain.
"""
import collections
import subprocess
import sys

# Activities that count wherever they appear in a stack: their own inner frames are generic JDK code (a regex
# stripping comments from generated source, ObjectInputStream internals).
ANYWHERE = [
    ("code generation (Janino compile)", ("org.codehaus.janino", "org.codehaus.commons", "codegen.CodeGenerator",
                                         "codegen.CodeFormatter", "codegen.CodegenContext", "doCodeGen")),
    ("task and closure (de)serialisation", ("java.io.ObjectInputStream", "java.io.ObjectOutputStream",
                                            "serializer.JavaSerializer", "ClosureCleaner", "xbean.asm")),
]
# The rest: the first of these that a frame matches, from the running method down.
NEAREST = [
    ("Parquet read and write", ("org.apache.parquet", "datasources.parquet")),
    ("Delta log, commits and stats", ("io.delta", "org.apache.spark.sql.delta")),
    ("MLlib", ("org.apache.spark.ml.", "org.apache.spark.mllib.")),
    ("in-memory cache (persist)", ("sql.execution.columnar", "org.apache.spark.storage.memory")),
    ("shuffle and sort", ("org.apache.spark.shuffle", "UnsafeExternalSorter", "ShuffleExternalSorter",
                          "org.apache.spark.util.collection")),
    ("query planning (Catalyst)", ("catalyst.analysis", "catalyst.optimizer", "catalyst.rules", "QueryExecution",
                                   "catalyst.trees", "sql.execution.adaptive")),
    ("cvm's own code", ("dev.cvm",)),
    ("row processing (generated code, operators)", ("GeneratedClass", "org.apache.spark.sql", "org.apache.spark.unsafe")),
    ("Hive metastore (catalog)", ("hadoop.hive", "org.apache.derby", "datanucleus")),
    ("class loading and jar lookup", ("java.util.zip", "java.lang.ClassLoader", "jdk.internal.loader")),
]
OTHER = "other (JDK, Scala collections, RPC, ...)"


def samples(jfr_file):
    """(thread name, frames) per execution sample, streamed from `jfr print` (a long run's JSON would not fit)."""
    cmd = ["jfr", "print", "--stack-depth", "256", "--events", "jdk.ExecutionSample", jfr_file]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as p:
        thread, frames, in_stack = "?", [], False
        for line in p.stdout:
            line = line.strip()
            if line.startswith("sampledThread = "):
                thread = line.split('"')[1] if '"' in line else "?"
            elif line.startswith("stackTrace = ["):
                in_stack, frames = True, []
            elif in_stack and line == "]":
                in_stack = False
            elif in_stack and line != "...":
                frames.append(line.split("(")[0])
            elif line == "}":
                yield thread, frames
                thread, frames = "?", []
    if p.returncode != 0:
        sys.exit(f"jfr print failed on {jfr_file} (exit {p.returncode})")


def component(frames):
    for name, markers in ANYWHERE:
        if any(m in f for f in frames for m in markers):
            return name
    for f in frames:
        for name, markers in NEAREST:
            if any(m in f for m in markers):
                return name
    return OTHER


def main():
    jfr_file = sys.argv[1]
    title = sys.argv[2] if len(sys.argv) > 2 else jfr_file
    counts = collections.Counter()
    by_side = collections.defaultdict(collections.Counter)
    for thread, frames in samples(jfr_file):
        side = "executor" if thread.startswith("Executor task launch worker") else "driver"
        c = component(frames)
        counts[c] += 1
        by_side[side][c] += 1
    total = sum(counts.values()) or 1
    sides = {s: sum(c.values()) for s, c in by_side.items()}
    print(f"### CPU profile: {title}\n")
    print(f"{total:,} execution samples (Java Flight Recorder): driver threads "
          f"{100 * sides.get('driver', 0) / total:.0f}%, executor task threads "
          f"{100 * sides.get('executor', 0) / total:.0f}%.\n")
    print("| component | share of samples | driver | executors |")
    print("|---|---:|---:|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {100 * n / total:.1f}% | {100 * by_side['driver'][name] / total:.1f}% "
              f"| {100 * by_side['executor'][name] / total:.1f}% |")
    print()


if __name__ == "__main__":
    main()
