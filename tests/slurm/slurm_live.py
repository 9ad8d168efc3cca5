#!/usr/bin/env python3
"""Live test of contrib/slurm on a real one-node Slurm cluster started for the occasion.

    slurm_live.py SCRUBTEXT SOURCE_DIR

Starts munged, slurmctld and slurmd from Debian's slurm-wlm and munge (installed when missing
and running as root) with a configuration in a temporary directory, generates a crawl of
more than 2,000 pages, submits it as a 4-task array with contrib/slurm/submit.sh, cancels one
task half-way, checks that the merge job refuses the incomplete run, resubmits (only the
cancelled shard runs, and no page already written is written again), and compares the merged
JSONL and errors with a single-machine run, byte for byte. Every daemon and job it started is
stopped before it exits.

Exit status: 0 passed, 1 failed, 77 skipped (the packages are missing and cannot be installed,
or the benchmark pages the crawl is made from, SCRUBTEXT_SHARED_DIR/bench/aeb/html, are absent).
"""

import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
COPIES = 12  # 12 x 181 benchmark pages, plus a few inputs that fail
SHARDS = 4
DAEMONS = ("munged", "slurmctld", "slurmd", "slurmstepd")
TERMINAL = {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED",
            "BOOT_FAIL", "DEADLINE"}


class TestFailure(Exception):
    pass


def log(msg):
    print(f"slurm_live: {msg}", flush=True)


def fnv1a(data):
    h = 1469598103934665603
    for b in data:
        h = ((h ^ b) * 1099511628211) & 0xFFFFFFFFFFFFFFFF
    return h


def ensure_packages():
    tools = ("munged", "munge", "slurmctld", "slurmd", "sbatch", "scancel", "scontrol", "sinfo")
    if all(shutil.which(t) for t in tools):
        return True
    if os.geteuid() != 0:
        log("slurm-wlm and munge are missing and this is not root: skipped (run scripts/setup.sh as root)")
        return False
    log("installing slurm-wlm and munge")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"]
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise TestFailure(f"still missing after the install: {missing}")
    return True


def process_table():
    """pid -> (comm, cmdline) of every process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{name}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        table[int(name)] = (comm, cmdline)
    return table


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, root):
        self.root = root
        self.node = socket.gethostname().split(".")[0]
        self.conf = os.path.join(root, "slurm.conf")
        self.socket = os.path.join(root, "munge", "munge.socket")
        self.procs = []  # (name, Popen), in start order
        self.before = set(process_table())
        self.env = dict(os.environ, SLURM_CONF=self.conf)
        self.logs = {
            "munged": os.path.join(root, "log", "munged.log"),
            "slurmctld": os.path.join(root, "log", "slurmctld.log"),
            "slurmd": os.path.join(root, "log", "slurmd.log"),
        }

    def start(self):
        for d in ("munge", "log", "state", "spool"):
            os.makedirs(os.path.join(self.root, d), mode=0o700)
        key = os.path.join(self.root, "munge", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        self.spawn("munged", ["munged", "--foreground", "--force", f"--key-file={key}",
                              f"--socket={self.socket}", f"--log-file={self.logs['munged']}",
                              f"--pid-file={os.path.join(self.root, 'munge', 'munged.pid')}",
                              f"--seed-file={os.path.join(self.root, 'munge', 'munged.seed')}"])
        self.wait_for(lambda: os.path.exists(self.socket), 20, "munged's socket")
        cred = subprocess.run(["munge", "-n", "-S", self.socket], stdout=subprocess.PIPE)
        check = subprocess.run(["unmunge", "-S", self.socket], input=cred.stdout, stdout=subprocess.DEVNULL)
        if cred.returncode or check.returncode:
            raise TestFailure("munge cannot encode and decode a credential")

        cpus = os.cpu_count() or 1
        r = self.root
        conf = f"""\
ClusterName=scrubtextlive
SlurmctldHost={self.node}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.socket}
StateSaveLocation={r}/state
SlurmdSpoolDir={r}/spool
SlurmctldPidFile={r}/slurmctld.pid
SlurmdPidFile={r}/slurmd.pid
SlurmctldLogFile={self.logs['slurmctld']}
SlurmdLogFile={self.logs['slurmd']}
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
InactiveLimit=0
PlugStackConfig={r}/plugstack.conf
NodeName={self.node} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=live Nodes={self.node} Default=YES MaxTime=INFINITE State=UP
"""
        with open(os.path.join(r, "plugstack.conf"), "w"):
            pass
        with open(self.conf, "w") as f:
            f.write(conf)
        self.spawn("slurmctld", ["slurmctld", "-D", "-c", "-f", self.conf])
        self.spawn("slurmd", ["slurmd", "-D", "-f", self.conf, "-N", self.node])
        self.wait_for(lambda: self.node_state() == "idle", 60, "the node to be idle")
        log(f"cluster up: node {self.node}, {cpus} CPUs")

    def spawn(self, name, argv):
        out = open(os.path.join(self.root, "log", f"{name}.stderr"), "wb")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=self.env, start_new_session=True)
        out.close()
        self.procs.append((name, p))

    def wait_for(self, cond, seconds, what):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, p in self.procs:
                if p.poll() is not None:
                    raise TestFailure(f"{name} exited with {p.returncode} while waiting for {what}")
            if cond():
                return
            time.sleep(0.2)
        raise TestFailure(f"timed out after {seconds} s waiting for {what}")

    def run(self, argv, check=True):
        p = subprocess.run(argv, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if check and p.returncode != 0:
            raise TestFailure(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()}")
        return p

    def node_state(self):
        p = self.run(["sinfo", "-h", "-N", "-o", "%T"], check=False)
        return p.stdout.strip() if p.returncode == 0 else None

    def jobs(self, job_id):
        """JobId -> (state, exit code) of a job, or of every task of an array."""
        p = self.run(["scontrol", "-o", "show", "job", job_id], check=False)
        result = {}
        for line in p.stdout.splitlines():
            fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
            key = fields.get("JobId")
            if fields.get("ArrayTaskId") not in (None, "(null)"):
                key = f"{fields['ArrayJobId']}_{fields['ArrayTaskId']}"
            result[key] = (fields.get("JobState"), fields.get("ExitCode"))
        return result

    def wait_jobs(self, job_id, seconds):
        def done():
            states = self.jobs(job_id)
            return states and all(s in TERMINAL for s, _ in states.values())
        self.wait_for(done, seconds, f"job {job_id} to end")
        return self.jobs(job_id)

    def stop(self):
        if os.path.exists(self.conf) and any(n == "slurmctld" and p.poll() is None for n, p in self.procs):
            self.run(["scancel", "--full", "--user=root"], check=False)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                p = self.run(["squeue", "-h", "-o", "%i"], check=False)
                if p.returncode != 0 or not p.stdout.strip():
                    break
                time.sleep(0.3)
        # A step daemon outlives its job by a moment; let it finish before its slurmd goes.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(
                comm == "slurmstepd" and pid not in self.before for pid, (comm, _) in process_table().items()):
            time.sleep(0.2)
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    log(f"{name} ignored SIGTERM; killing it")
                    p.kill()
                    p.wait()

    def dump_logs(self, extra_dirs=()):
        paths = list(self.logs.values())
        paths += [os.path.join(self.root, "log", f"{n}.stderr") for n, _ in self.procs]
        for d in extra_dirs:
            if os.path.isdir(d):
                paths += [os.path.join(d, f) for f in sorted(os.listdir(d))]
        for path in paths:
            try:
                with open(path, errors="replace") as f:
                    lines = f.readlines()
            except OSError:
                continue
            print(f"----- {path} (last 40 lines)")
            sys.stdout.write("".join(lines[-40:]))
        sys.stdout.flush()


def make_crawl(bench_html, crawl):
    """COPIES copies of the benchmark pages, half decompressed, in nested directories, plus
    inputs that fail (empty, binary, corrupt gzip) and names that test the byte order."""
    pages = sorted(os.listdir(bench_html))
    count = 0
    for c in range(COPIES):
        site = os.path.join(crawl, f"site-{c:02d}", "2024" if c % 2 else "", "articles")
        os.makedirs(site, exist_ok=True)
        for i, name in enumerate(pages):
            src = os.path.join(bench_html, name)
            if (c + i) % 2:
                with gzip.open(src, "rb") as f:
                    data = f.read()
                with open(os.path.join(site, name[:-3]), "wb") as f:
                    f.write(data)
            else:
                shutil.copyfile(src, os.path.join(site, name))
            count += 1
    odd = os.path.join(crawl, "odd")
    os.makedirs(odd)
    with open(os.path.join(bench_html, pages[0]), "rb") as f:
        sample = gzip.decompress(f.read())
    files = {
        "empty.html": b"",
        "blank.html": b"  \n\t\n",
        "report.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\0\0\0",
        "truncated.html.gz": gzip.compress(sample)[:300],
        "caf\u00e9 page.html": sample,
        "Zed.html": sample,
        "a-b.html": sample,
    }
    for name, data in files.items():
        with open(os.path.join(odd, name), "wb") as f:
            f.write(data)
    return count + len(files)


def shard_inputs(crawl, shards):
    """Relative paths of the inputs of each shard, as scrubtext --shard splits them."""
    result = [[] for _ in range(shards)]
    for dirpath, _, files in os.walk(crawl):
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), crawl)
            result[fnv1a(os.fsencode(rel)) % shards].append(rel)
    return result


def snapshot(pages_dir):
    snap = {}
    for dirpath, _, files in os.walk(pages_dir):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            snap[path] = (st.st_ino, st.st_mtime_ns)
    return snap


def leftovers(before, root):
    """Processes started during the test that are still there: daemons, or anything naming
    the test's directory on its command line (jobs)."""
    found = {}
    for pid, (comm, cmdline) in process_table().items():
        if pid == os.getpid() or pid in before:
            continue
        if comm in DAEMONS or root in cmdline:
            found[pid] = (comm, cmdline)
    return found


def live_test(binary, source_dir, bench_html, root, cluster):
    submit = os.path.join(source_dir, "contrib", "slurm", "submit.sh")
    os.chdir(root)  # inputs are named relative to here, as a user would from their work directory
    t0 = time.monotonic()
    total = make_crawl(bench_html, "crawl")
    log(f"crawl of {total} inputs made in {time.monotonic() - t0:.1f} s")

    cluster.start()

    t0 = time.monotonic()
    ref = subprocess.run([binary, "-q", "--format", "jsonl", "--errors", "ref-errors.tsv", "-o", "ref.jsonl",
                          "crawl"])
    if ref.returncode != 1:
        raise TestFailure(f"the single-machine run exited {ref.returncode}, expected 1 (some inputs fail)")
    log(f"single-machine run: {time.monotonic() - t0:.1f} s")

    per_shard = shard_inputs("crawl", SHARDS)
    victim = 0  # among the first tasks to start
    victim_outputs = [os.path.join("out", "pages", rel + ".jsonl") for rel in per_shard[victim]]
    log(f"shard sizes {[len(s) for s in per_shard]}; shard {victim} will be cancelled half-way")

    cmd = ["bash", submit, "-n", str(SHARDS), "-c", "1", "-b", binary, "crawl", "out"]
    first = dict(line.split() for line in cluster.run(cmd).stdout.splitlines())
    array, merge1 = first["array"], first["merge"]
    log(f"submitted array {array}, merge {merge1}")

    # Cancel the victim once it has written some pages but far from all.
    t0 = time.monotonic()
    while True:
        done = sum(os.path.exists(p) for p in victim_outputs)
        if done >= len(victim_outputs) // 5:
            break
        state = cluster.jobs(f"{array}_{victim}").get(f"{array}_{victim}", (None, None))[0]
        if state in TERMINAL:
            raise TestFailure(f"shard {victim} ended ({state}) before it could be cancelled")
        if time.monotonic() - t0 > 120:
            raise TestFailure(f"shard {victim} wrote {done} pages in 120 s")
        time.sleep(0.05)
    cluster.run(["scancel", f"{array}_{victim}"])
    log(f"cancelled {array}_{victim} after {done} of {len(victim_outputs)} pages")

    states = cluster.wait_jobs(array, 180)
    log(f"array ended: {states}")
    if states[f"{array}_{victim}"][0] != "CANCELLED":
        raise TestFailure(f"shard {victim} is {states[f'{array}_{victim}']}, expected CANCELLED")
    for k in range(SHARDS):
        if k != victim and states[f"{array}_{k}"] != ("COMPLETED", "0:0"):
            raise TestFailure(f"shard {k}: {states[f'{array}_{k}']}")
    written = sum(os.path.exists(p) for p in victim_outputs)
    if not 0 < written < len(victim_outputs):
        raise TestFailure(f"shard {victim} has {written} of {len(victim_outputs)} pages: not a partial run")
    if os.path.exists(os.path.join("out", "shards", f"{victim}.errors.tsv")):
        raise TestFailure(f"the cancelled shard {victim} is marked complete")
    temporaries = [p for p in snapshot("out").keys() if ".tmp-" in p]
    if temporaries:
        raise TestFailure(f"temporary files left by the cancelled shard: {temporaries[:3]}")

    states = cluster.wait_jobs(merge1, 120)
    if states[merge1][0] != "FAILED":
        raise TestFailure(f"merge of the incomplete run: {states[merge1]}, expected FAILED")
    with open(os.path.join("out", "logs", f"merge-{merge1}.out")) as f:
        merge_log = f.read()
    if "incomplete" not in merge_log or os.path.exists(os.path.join("out", "pages.jsonl")):
        raise TestFailure(f"the merge of an incomplete run did not refuse it:\n{merge_log}")
    log(f"merge {merge1} refused the incomplete run: "
        + next(line for line in merge_log.splitlines() if "incomplete" in line))

    before = snapshot(os.path.join("out", "pages"))
    second = dict(line.split() for line in cluster.run(cmd).stdout.splitlines())
    array2, merge2 = second["array"], second["merge"]
    states = cluster.wait_jobs(array2, 180)
    if list(states) != [f"{array2}_{victim}"]:
        raise TestFailure(f"the resubmission ran {sorted(states)}, expected only shard {victim}")
    states.update(cluster.wait_jobs(merge2, 120))
    log(f"resubmission: {states}")
    if any(v != ("COMPLETED", "0:0") for v in states.values()):
        raise TestFailure(f"resubmission: {states}")
    after = snapshot(os.path.join("out", "pages"))
    rewritten = [p for p, st in before.items() if after.get(p) != st]
    if rewritten:
        raise TestFailure(f"{len(rewritten)} pages written again on resubmission, e.g. {rewritten[0]}")
    log(f"resubmission wrote {len(after) - len(before)} pages, kept the {len(before)} already there")

    for mine, theirs in (("out/pages.jsonl", "ref.jsonl"), ("out/errors.tsv", "ref-errors.tsv")):
        with open(mine, "rb") as a, open(theirs, "rb") as b:
            x, y = a.read(), b.read()
        if x != y:
            at = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
            raise TestFailure(f"{mine} differs from the single-machine {theirs} at byte {at} "
                              f"({len(x)} vs {len(y)} bytes)")
    with open("out/pages.jsonl", "rb") as f:
        lines = f.read().count(b"\n")
    with open("out/errors.tsv", "rb") as f:
        failures = f.read().count(b"\n")
    if lines < 2000 or failures < 3:
        raise TestFailure(f"{lines} lines and {failures} failures: the crawl is not what it should be")
    log(f"merged {lines} JSONL lines and {failures} failures: identical to the single-machine run")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    source_dir = os.path.abspath(argv[2])
    shared = os.environ.get("SCRUBTEXT_SHARED_DIR", os.path.join(source_dir, "..", "shared"))
    bench_html = os.path.join(shared, "bench", "aeb", "html")
    if not os.path.isdir(bench_html):
        log(f"{bench_html} not found (the crawl is made from the benchmark pages): skipped")
        return SKIP
    try:
        if not ensure_packages():
            return SKIP
    except (TestFailure, subprocess.CalledProcessError) as e:
        log(f"FAILED: cannot install the packages: {e}")
        return 1
    before = set(process_table())
    started = time.monotonic()
    root = tempfile.mkdtemp(prefix="scrubtext-slurm-")
    os.chmod(root, 0o700)
    cluster = Cluster(root)
    ok = False
    try:
        live_test(binary, source_dir, bench_html, root, cluster)
        ok = True
    except TestFailure as e:
        log(f"FAILED: {e}")
    except Exception:
        import traceback
        traceback.print_exc()
    finally:
        os.chdir("/")
        cluster.stop()
        deadline = time.monotonic() + 10
        while (left := leftovers(before, root)) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if left:
            ok = False
            log(f"FAILED: processes left running (now killed): {left}")
        if not ok:
            cluster.dump_logs([os.path.join(root, "out", "logs")])
        shutil.rmtree(root, ignore_errors=True)
    log(f"{'passed' if ok else 'failed'} in {time.monotonic() - started:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
