#!/usr/bin/env python3
#SBATCH --job-name=scrubtext-merge
#SBATCH --cpus-per-task=1
"""Checks that a sharded scrubtext run is complete and merges it into one JSONL file.

    merge.py [--check-only] [--jsonl FILE] [--errors FILE] SCRUBTEXT INPUT OUT N [scrubtext options...]

The arguments after the merge options are those given to every scrubtext-shard.sbatch task.
The result, OUT/pages.jsonl and OUT/errors.tsv unless told otherwise, is byte for byte what
`scrubtext --format jsonl --errors errors.tsv [options] INPUT` prints on one machine (for
@LISTFILE: `scrubtext ... $(cat LISTFILE)`, entries in list order).

Complete means: every shard finished (directory: OUT/shards/K.errors.tsv for each K;
list: OUT/inputs/<i>.jsonl and .errors.tsv for each entry), and, for a directory, every input
file has exactly one page output or exactly one recorded failure. Pages that failed have no
file of their own in the mirror; their JSONL line (`{"source","status","error"}`) is
produced again by the same binary with the same options, and must fail the same way.

Exit status: 0 merged (or complete, with --check-only); 1 incomplete or inconsistent (what
is missing is printed, with the shards to resubmit; nothing is written); 2 usage error.
"""

import fnmatch
import json
import os
import subprocess
import sys

WALK_VALUE_OPTIONS = ("--include", "--exclude")


def fail_usage(msg):
    print(f"merge: {msg}", file=sys.stderr)
    print(__doc__.strip().splitlines()[2], file=sys.stderr)
    sys.exit(2)


def fnv1a(data):
    h = 1469598103934665603
    for b in data:
        h ^= b
        h = (h * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def walk_options(options):
    """The scrubtext options that decide which files a directory walk takes."""
    include, exclude, follow = [], [], False
    i = 0
    while i < len(options):
        opt = options[i]
        name, eq, value = opt.partition("=")
        if name in WALK_VALUE_OPTIONS:
            target = include if name == "--include" else exclude
            if eq:
                target.append(value)
            else:
                while i + 1 < len(options) and not options[i + 1].startswith("-"):
                    i += 1
                    target.append(options[i])
        elif opt == "--follow-symlinks":
            follow = True
        i += 1
    return include, exclude, follow


def selected(rel, include, exclude):
    def match(glob):
        return fnmatch.fnmatchcase(rel if "/" in glob else rel.rsplit("/", 1)[-1], glob)

    if include and not any(match(g) for g in include):
        return False
    return not any(match(g) for g in exclude)


def walk(root, include, exclude, follow):
    """(path, rel) of every file scrubtext takes from directory `root`, in its order."""
    found = []
    stack = [(root, "")]
    while stack:
        directory, rel_dir = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as e:
            print(f"merge: {directory}: {e.strerror}", file=sys.stderr)
            continue
        for e in entries:
            rel = f"{rel_dir}/{e.name}" if rel_dir else e.name
            if e.is_symlink() and not follow:
                continue
            if e.is_dir():
                stack.append((os.path.join(directory, e.name), rel))
            elif selected(rel, include, exclude):
                found.append((os.path.join(directory, e.name), rel))
    found.sort(key=lambda pr: os.fsencode(pr[1]))
    return found


def read_errors(path):
    """path<TAB>reason lines of a scrubtext --errors file, as (source, line) pairs."""
    with open(path, "rb") as f:
        data = f.read()
    pairs = []
    for line in data.splitlines(keepends=True):
        source = line.split(b"\t", 1)[0]
        pairs.append((source, line))
    return pairs


def rerun_failures(binary, options, paths, scratch):
    """Runs scrubtext again on the inputs that failed, given as operands: returns their JSONL
    lines keyed by source (unreadable inputs have none) and the sources that failed again."""
    lines = {}
    failed_again = set()
    chunk = 500
    for at in range(0, len(paths), chunk):
        part = paths[at:at + chunk]
        proc = subprocess.run([binary, "-q", "-j", "1", "--format", "jsonl", "--errors", scratch,
                               *options, "--", *part], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode not in (0, 1):
            sys.stderr.write(proc.stderr.decode(errors="replace"))
            raise SystemExit(f"merge: re-running failed inputs: scrubtext exit {proc.returncode}")
        failed_again.update(source for source, _ in read_errors(scratch))
        for line in proc.stdout.splitlines(keepends=True):
            source = json.loads(line)["source"].encode("utf-8", "surrogateescape")
            lines[source] = line
    os.remove(scratch)
    return lines, failed_again


def write_atomically(path, chunks):
    tmp = f"{path}.tmp-{os.uname().nodename}-{os.getpid()}"
    with open(tmp, "wb") as f:
        for c in chunks:
            f.write(c)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def merge_directory(binary, root, out, n, options, check_only):
    include, exclude, follow = walk_options(options)
    inputs = walk(root, include, exclude, follow)
    problems = []
    missing_shards = [k for k in range(n) if not os.path.isfile(os.path.join(out, "shards", f"{k}.errors.tsv"))]
    if missing_shards:
        problems.append(f"{len(missing_shards)} of {n} shards did not finish: {fmt_shards(missing_shards)}")

    errors = {}
    for k in range(n):
        path = os.path.join(out, "shards", f"{k}.errors.tsv")
        if k in missing_shards:
            continue
        for source, line in read_errors(path):
            if source in errors:
                problems.append(f"{source.decode(errors='replace')}: recorded twice (shards overlap: was N changed?)")
            errors[source] = line

    pages_dir = os.path.join(out, "pages")
    plan = []  # per input: ("page", output path) or ("failed", source)
    missing, both, warcs = [], [], []
    known = set()
    for path, rel in inputs:
        source = os.fsencode(path)
        known.add(source)
        page = os.path.join(pages_dir, rel + ".jsonl")
        have_page = os.path.isfile(page)
        have_error = source in errors
        if have_page and have_error:
            both.append(rel)
        elif have_page:
            plan.append(("page", page))
        elif have_error:
            plan.append(("failed", source))
        elif os.path.isdir(os.path.join(pages_dir, rel)):
            warcs.append(rel)
        else:
            missing.append(rel)
    stray = [s for s in errors if s not in known and b"#" not in s]
    if missing:
        shards = sorted({fnv1a(os.fsencode(rel)) % n for rel in missing})
        problems.append(f"{len(missing)} inputs have neither an output nor a recorded failure "
                        f"(first: {missing[0]}), in shards {fmt_shards(shards)}")
    if both:
        problems.append(f"{len(both)} inputs have an output and a recorded failure (first: {both[0]})")
    if warcs:
        problems.append(f"{len(warcs)} WARC files inside the crawl directory (first: {warcs[0]}): "
                        "give WARC files as a list (@LISTFILE) instead")
    if stray:
        problems.append(f"{len(stray)} recorded failures name no input of this crawl "
                        f"(first: {stray[0].decode(errors='replace')}): other options or another INPUT?")
    if problems:
        return problems, None, None

    failed_paths = [os.fsdecode(s) for kind, s in plan if kind == "failed"]
    scratch = os.path.join(out, f"rerun-errors.tmp-{os.uname().nodename}-{os.getpid()}")
    lines, failed_again = rerun_failures(binary, options, failed_paths, scratch) if failed_paths else ({}, set())
    changed = [p for p in failed_paths if os.fsencode(p) not in failed_again]
    if changed:
        return [f"{len(changed)} inputs recorded as failed are cleaned now (first: {changed[0]}): "
                "resubmit their shards"], None, None
    print(f"merge: {len(inputs)} inputs, {len(inputs) - len(failed_paths)} pages, "
          f"{len(failed_paths)} failed", file=sys.stderr)
    if check_only:
        return [], None, None

    def jsonl():
        for kind, what in plan:
            if kind == "page":
                with open(what, "rb") as f:
                    yield f.read()
            else:
                line = lines.get(what)
                if line is not None:  # unreadable inputs have no line, as in a single run
                    yield line

    def errs():
        for kind, what in plan:
            if kind == "failed":
                yield errors[what]

    return [], jsonl, errs


def merge_list(listfile, out, n, check_only):
    with open(listfile, "rb") as f:
        entries = [e for e in f.read().split(b"\n")]
    if entries and entries[-1] == b"":
        entries.pop()
    missing = []
    for i in range(len(entries)):
        base = os.path.join(out, "inputs", f"{i:08d}")
        if not (os.path.isfile(base + ".jsonl") and os.path.isfile(base + ".errors.tsv")):
            missing.append(i)
    if missing:
        shards = sorted({i % n for i in missing})
        return [f"{len(missing)} of {len(entries)} list entries are not done (first: line {missing[0] + 1}, "
                f"{entries[missing[0]].decode(errors='replace')}), in shards {fmt_shards(shards)}"], None, None
    print(f"merge: {len(entries)} list entries, all done", file=sys.stderr)
    if check_only:
        return [], None, None

    def concat(ext):
        def gen():
            for i in range(len(entries)):
                with open(os.path.join(out, "inputs", f"{i:08d}{ext}"), "rb") as f:
                    while True:
                        block = f.read(1 << 20)
                        if not block:
                            break
                        yield block
        return gen

    return [], concat(".jsonl"), concat(".errors.tsv")


def fmt_shards(shards):
    return ",".join(str(k) for k in shards)


def main(argv):
    check_only = False
    jsonl_path = errors_path = None
    i = 0
    while i < len(argv) and argv[i].startswith("--"):
        if argv[i] == "--check-only":
            check_only = True
        elif argv[i] in ("--jsonl", "--errors") and i + 1 < len(argv):
            if argv[i] == "--jsonl":
                jsonl_path = argv[i + 1]
            else:
                errors_path = argv[i + 1]
            i += 1
        else:
            fail_usage(f"unknown option {argv[i]}")
        i += 1
    rest = argv[i:]
    if len(rest) < 4:
        fail_usage("missing arguments")
    binary, input_, out, n_text = rest[:4]
    options = rest[4:]
    if not n_text.isdigit() or int(n_text) < 1:
        fail_usage(f"N must be a positive number, not {n_text}")
    n = int(n_text)
    jsonl_path = jsonl_path or os.path.join(out, "pages.jsonl")
    errors_path = errors_path or os.path.join(out, "errors.tsv")

    if input_.startswith("@"):
        problems, jsonl, errs = merge_list(input_[1:], out, n, check_only)
    elif os.path.isdir(input_):
        problems, jsonl, errs = merge_directory(binary, input_, out, n, options, check_only)
    else:
        fail_usage(f"{input_} is neither a directory nor @LISTFILE")
    if problems:
        for p in problems:
            print(f"merge: incomplete: {p}", file=sys.stderr)
        print("merge: nothing written; resubmit (submit.sh does only what is missing)", file=sys.stderr)
        return 1
    if check_only:
        print("merge: complete", file=sys.stderr)
        return 0
    write_atomically(errors_path, errs())
    write_atomically(jsonl_path, jsonl())
    print(f"merge: wrote {jsonl_path} and {errors_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
