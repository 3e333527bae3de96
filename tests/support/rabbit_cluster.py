"""A throw-away RabbitMQ cluster for tests: three nodes of the test's own on this one host, each
with its own node name, ports (AMQP, management, Prometheus, Erlang distribution), data and log
directories, sharing an Erlang cookie of their own (never the shared node's), joined with
`rabbitmqctl join_cluster` as RabbitMQ's clustering guide does it by hand. A node can be
SIGKILLed (its machine lost power) and started again on its data: it syncs from its peers and
rejoins. The machine's shared broker is never touched.

    with ThrowAwayCluster() as cluster:   # formed; every node stopped and deleted at the end
        cluster.amqp_uri                   # amqp://...node1;amqp://...node2;amqp://...node3
        cluster.crash(0); cluster.start(0) # kill one node, bring it back, wait for it to rejoin

Why a cookie of its own: every node started from this machine's `rabbitmq-server` runs as the
`rabbitmq` user and would read the shared node's cookie (/var/lib/rabbitmq/.erlang.cookie), so a
wrong node name in a `join_cluster` could reach the shared node. With its own cookie the
throw-away nodes cannot talk to it at all. (RabbitMQ's docs call `-setcookie` the least secure
way to pass a cookie, since it shows in the process list: fine for a test's throw-away secret.)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from tests.support.faults import OwnNode, port_open, rabbit_node_env
from tests.support.waiting import eventually

# a node keeps its ports across a crash and a restart, so they are picked below the kernel's
# ephemeral range (32768-60999 here): there, any outgoing connection on the machine could take a
# dead node's port as its own before the node is started again
PORT_RANGE = (20000, 30000)


def _free_ports(n: int) -> list[int]:
    """`n` distinct ports nobody listens on now, from PORT_RANGE."""
    found: list[int] = []
    while len(found) < n:
        port = random.randint(*PORT_RANGE)
        if port in found:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
    return found


class ClusterNode(OwnNode):
    """One node of a ThrowAwayCluster."""

    def __init__(self, cluster: ThrowAwayCluster, index: int, plugins: tuple[str, ...]):
        self.cluster, self.index = cluster, index
        self.name = f"kentra-c{index + 1}-{cluster.tag}@localhost"
        self.port, self.dist_port, self.management_port, self.prometheus_port = _free_ports(4)
        self.dir = cluster.dir / f"node{index + 1}"
        for sub in ("mnesia", "log"):
            (self.dir / sub).mkdir(parents=True)
        (self.dir / "enabled_plugins").write_text(f"[{','.join(plugins)}].\n")
        config = [f"listeners.tcp.default = 127.0.0.1:{self.port}"]
        if "rabbitmq_management" in plugins:
            config += [
                f"management.tcp.port = {self.management_port}",
                "management.tcp.ip = 127.0.0.1",
                # the API's view of connections and queues: every second, not every five
                "collect_statistics_interval = 1000",
            ]
        if "rabbitmq_prometheus" in plugins:
            config += [
                f"prometheus.tcp.port = {self.prometheus_port}",
                "prometheus.tcp.ip = 127.0.0.1",
            ]
        (self.dir / "rabbitmq.conf").write_text("\n".join(config) + "\n")
        for path in (self.dir, *self.dir.iterdir()):
            path.chmod(0o777)  # the node runs as the rabbitmq user
        self.pid_file = self.dir / "node.pid"
        self.env = rabbit_node_env(
            self.name,
            self.port,
            self.dist_port,
            self.dir,
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=f"-setcookie {cluster.cookie}",
        )
        self.amqp_uri = f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def __repr__(self) -> str:
        return f"<node {self.index} {self.name} :{self.port}>"

    # -- the CLI ----------------------------------------------------------------------------------
    def ctl(self, *args: str, timeout: float = 90) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.name, "--erlang-cookie", self.cluster.cookie, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def must(self, *args: str, timeout: float = 90) -> str:
        done = self.ctl(*args, timeout=timeout)
        assert done.returncode == 0, (
            f"rabbitmqctl {' '.join(args)} on {self.name}: {done.stderr or done.stdout}"
        )
        return done.stdout

    # -- life -------------------------------------------------------------------------------------
    def launch(self) -> None:
        """`rabbitmq-server -detached`: returns at once, the node boots in the background."""
        subprocess.run(
            ["rabbitmq-server", "-detached"],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def wait_booted(self, timeout: float = 120) -> None:
        """Booted: the rabbit application is running and the AMQP port listens. A node restarted
        after a crash boots only once it has synced the schema from a peer."""
        # `rabbitmqctl wait` gives up at once while the node is not yet known to epmd: ask again
        with self.cluster.keeping_logs_on_failure():
            eventually(
                lambda: self.ctl("wait", str(self.pid_file), "--timeout", "10").returncode == 0,
                timeout,
                0.5,
                what=f"{self.name} to boot; see {self.dir / 'log'}",
                explain=self.log_tail,
            )
            eventually(lambda: port_open(self.port), 20, what=f"{self.name} to listen")

    def remove(self) -> None:
        """Stop it whatever state it is in: our own node, by its own pid, never another."""
        if self.running():
            os.kill(self.pid(), signal.SIGKILL)
            with contextlib.suppress(AssertionError):  # clean-up: best effort
                eventually(lambda: not self.running(), 10)

    def log_tail(self, lines: int = 40) -> str:
        logs = sorted((self.dir / "log").glob("*.log"))
        text = [] if not logs else logs[0].read_text(errors="replace").splitlines()[-lines:]
        return "\n".join([f"[{self.name}]", *text])

    # -- the management API -------------------------------------------------------------------------
    def api(self, path: str):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.management_port}/api{path}",
            headers={"Authorization": "Basic " + base64.b64encode(b"guest:guest").decode()},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())


class ThrowAwayCluster:
    """`size` RabbitMQ nodes clustered on this host (see the module's docstring)."""

    def __init__(self, size: int = 3, plugins: tuple[str, ...] = ("rabbitmq_management",)):
        self.tag = uuid.uuid4().hex[:8]
        self.cookie = secrets.token_hex(20).upper()
        self.dir = Path(tempfile.mkdtemp(prefix="kentra-rmq-cluster-"))
        self.dir.chmod(0o777)
        self.nodes = [ClusterNode(self, i, plugins) for i in range(size)]
        self.keep_logs = False  # set when the cluster failed us: its logs outlive it

    @contextlib.contextmanager
    def keeping_logs_on_failure(self):
        try:
            yield
        except BaseException:
            self.keep_logs = True
            raise

    @property
    def amqp_uri(self) -> str:
        """Every node, as the platform's KENTRA_AMQP_URI names a cluster: kombu's failover list."""
        return ";".join(node.amqp_uri for node in self.nodes)

    def __enter__(self) -> ThrowAwayCluster:
        try:
            with self.keeping_logs_on_failure():
                self.form()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.remove()

    def form(self) -> None:
        """Start every node, then join the others to the first (each stopped, reset and started
        again around its join, as the clustering guide's transcript does)."""
        with ThreadPoolExecutor(len(self.nodes)) as pool:
            list(pool.map(ClusterNode.launch, self.nodes))
            list(pool.map(ClusterNode.wait_booted, self.nodes))
        first = self.nodes[0]
        for node in self.nodes[1:]:
            node.must("stop_app")
            node.must("reset")
            node.must("join_cluster", first.name)
            node.must("start_app")
        self.wait_all_running()

    def running_nodes(self, asked: ClusterNode | None = None) -> set[str]:
        """The nodes the cluster counts as running, as one node (the first live one) sees it."""
        for node in [asked] if asked else self.nodes:
            if node is None or not node.running():
                continue
            done = node.ctl("cluster_status", "--formatter", "json", timeout=30)
            if done.returncode == 0:
                return set(json.loads(done.stdout)["running_nodes"])
        return set()

    def wait_all_running(self, timeout: float = 120) -> None:
        """Every node up and every node seen as running by every other."""
        names = {node.name for node in self.nodes}
        with self.keeping_logs_on_failure():
            for node in self.nodes:
                eventually(
                    lambda node=node: self.running_nodes(node) == names,
                    timeout,
                    0.5,
                    what=f"{node.name} to see all {len(names)} nodes running",
                    explain=lambda: "\n".join(n.log_tail() for n in self.nodes),
                )

    def crash(self, index: int) -> None:
        """SIGKILL one node, and wait until the others have seen it go."""
        victim = self.nodes[index]
        victim.crash()
        others = [n for n in self.nodes if n is not victim]
        eventually(
            lambda: victim.name not in self.running_nodes(others[0]),
            30,
            0.2,
            what=f"the cluster to see {victim.name} down",
        )

    def start(self, index: int, timeout: float = 120) -> None:
        """Start a node again on its data and wait until it has rejoined: booted (schema synced
        from a peer) and counted as running by every node."""
        node = self.nodes[index]
        node.launch()
        node.wait_booted(timeout)
        self.wait_all_running(timeout)

    def live_node(self) -> ClusterNode:
        return next(n for n in self.nodes if n.running())

    def clients_per_node(self) -> dict[int, int]:
        """How many AMQP connections each node holds (node index -> count), from the management
        API of a live node (it counts every node's)."""
        index = {n.name: n.index for n in self.nodes}
        counts = dict.fromkeys(index.values(), 0)
        for connection in self.live_node().api("/connections"):
            counts[index[connection["node"]]] += 1
        return counts

    def queue_leader(self, queue: str, vhost: str = "/") -> int:
        """The node (index) holding a quorum queue's leader."""
        found = self.live_node().api(f"/queues/{quote(vhost, safe='')}/{quote(queue, safe='')}")
        return next(n.index for n in self.nodes if n.name == found["leader"])

    def remove(self) -> None:
        for node in self.nodes:
            node.remove()
        if not self.keep_logs:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        for node in self.nodes:  # the data go, the logs stay for whoever reads the failure
            shutil.rmtree(node.dir / "mnesia", ignore_errors=True)
        print(f"throw-away cluster failed: its nodes' logs are kept in {self.dir}/node*/log")
