"""deploy/kubernetes, checked without a cluster: rendered by kustomize (kubectl's, in .venv-tools),
every built-in kind validated against Kubernetes' own schemas (kubernetes-validate, offline), the
operators' resources checked field by field (their schemas are the operators', applied by them),
every pod's hardening checked here and by checkov, and a manifest with mistakes shown caught."""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from deploy.kubernetes import secrets as kubernetes_secrets
from deploy.local.run import read_procfile, split
from deploy.rabbitmq.definitions import PROCESS_USERS, users

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BASE = DEPLOY / "kubernetes"
TOOLS = ROOT / ".venv-tools" / "bin"
KUBERNETES = "1.37.0"  # the newest release kubernetes-validate 1.37 ships schemas for
OPERATOR_KINDS = (
    "Cluster",
    "ScheduledBackup",
    "RabbitmqCluster",
)  # CRDs: the operators validate them on apply
WORKLOADS = ("Deployment", "Job", "CronJob")
PLACEHOLDER = "kentra@sha256:" + "0" * 64


def tool(name: str) -> Path:
    path = TOOLS / name
    if not path.exists():  # a failure, not a skip: the manifests would go unchecked
        pytest.fail(
            f"{path} is missing: scripts/bootstrap installs it (deploy/kubernetes/tools.lock)"
        )
    return path


def render(directory: Path) -> list[dict]:
    done = subprocess.run(
        [tool("kubectl"), "kustomize", directory], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return [doc for doc in yaml.safe_load_all(done.stdout) if doc]


def checkov(directory: Path) -> dict:
    """checkov's report on the manifests of `directory`, offline (--skip-download: no guidelines
    or policies fetched)."""
    done = subprocess.run(
        [tool("checkov"), "-d", directory, "--framework", "kubernetes", "--skip-download"]
        + ["--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BC_API_KEY": ""},
    )
    assert done.stdout, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def rendered() -> list[dict]:
    return render(BASE)


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def template(workload: dict) -> dict:
    """The pod template of a Deployment or Job, or of the Jobs a CronJob makes."""
    spec = workload["spec"]
    return (
        spec["jobTemplate"]["spec"]["template"]
        if workload["kind"] == "CronJob"
        else spec["template"]
    )


def pod(workload: dict) -> dict:
    return template(workload)["spec"]


def containers(workload: dict) -> list[dict]:
    spec = pod(workload)
    return spec.get("initContainers", []) + spec["containers"]


def procfile():
    return split(read_procfile(DEPLOY / "Procfile"))


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]


def test_each_long_running_process_of_the_procfile_is_a_deployment_of_two_running_its_command(
    rendered,
):
    _, services, _ = procfile()
    deployments = of_kind(rendered, "Deployment")
    assert set(deployments) == {p.name.replace("_", "-") for p in services}
    for process in services:
        deployment = deployments[process.name.replace("_", "-")]
        (container,) = pod(deployment)["containers"]
        # args, not command: the image's entrypoint turns KENTRA_AMQP_URI_FILE into the variable
        assert container["args"] == shlex.split(process.command), process.name
        assert "command" not in container, process.name
        assert deployment["spec"]["replicas"] == 2, process.name


def test_the_steps_before_the_services_are_jobs_and_the_demo_steps_are_absent(rendered):
    before, _, after = procfile()
    jobs = of_kind(rendered, "Job")
    assert set(jobs) == {p.name for p in before}
    for process in before:
        assert pod(jobs[process.name])["containers"][0]["args"] == shlex.split(process.command)
    assert not {p.name for p in after} & (set(jobs) | set(of_kind(rendered, "Deployment")))


def mounted_files(workload: dict, container: dict) -> set[str]:
    """Every secret file the container sees, as a path."""
    volumes = {v["name"]: v for v in pod(workload).get("volumes", [])}
    found = set()
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        sources = [s["secret"] for s in volume.get("projected", {}).get("sources", [])]
        sources += [volume["secret"]] if "secret" in volume else []
        for source in sources:
            for item in source.get("items", []):
                found.add(f"{mount['mountPath']}/{item['path']}")
    return found


def test_each_process_gets_every_file_setting_compose_gives_it_and_each_file_is_mounted(rendered):
    before, services, _ = procfile()
    workloads = {**of_kind(rendered, "Deployment"), **of_kind(rendered, "Job")}
    for process in before + services:
        workload = workloads[process.name.replace("_", "-")]
        container = pod(workload)["containers"][0]
        env = {e["name"]: e["value"] for e in container["env"]}
        given = {k for k in compose()[process.name]["environment"] if k.endswith("_FILE")}
        assert {k for k in env if k.endswith("_FILE")} == given, process.name
        files = mounted_files(workload, container)
        assert {env[k] for k in given} <= files, process.name
        assert env.get("KENTRA_ENV", "production") == "production", process.name


def test_every_built_in_kind_validates_against_the_kubernetes_schemas(rendered):
    built_in = [doc for doc in rendered if doc["kind"] not in OPERATOR_KINDS]
    assert {doc["kind"] for doc in built_in} >= {"Deployment", "Job", "Service", "NetworkPolicy"}
    for doc in built_in:
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)  # raises what it finds


def test_a_misspelt_or_mistyped_field_fails_the_schema_validation(rendered):
    deployment = copy.deepcopy(of_kind(rendered, "Deployment")["intake"])
    pod(deployment)["containers"][0]["livenesProbe"] = {"httpGet": {"path": "/metrics"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)
    deployment = copy.deepcopy(of_kind(rendered, "Deployment")["intake"])
    deployment["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


def test_the_database_is_three_instances_with_synchronous_replication(rendered):
    (cluster,) = of_kind(rendered, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
    spec = cluster["spec"]
    assert spec["instances"] == 3
    synchronous = spec["postgresql"]["synchronous"]
    assert synchronous["method"] in ("any", "first") and synchronous["number"] >= 1
    assert synchronous.get("dataDurability", "required") == "required"
    # the processes' KENTRA_DATABASE_URL names this Service, which follows the primary
    additional = spec["managed"]["services"]["additional"]
    assert {"rw": "postgres"} == {
        s["selectorType"]: s["serviceTemplate"]["metadata"]["name"] for s in additional
    }


def test_the_database_archives_its_wal_and_is_backed_up_every_night_for_35_days(rendered):
    (cluster,) = of_kind(rendered, "Cluster").values()
    backup = cluster["spec"]["backup"]
    assert backup["retentionPolicy"] == "35d"  # docs/data-protection.md: no longer than 35 days
    assert backup["barmanObjectStore"]["destinationPath"].startswith("s3://")
    (nightly,) = of_kind(rendered, "ScheduledBackup").values()
    assert nightly["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    seconds, minute, hour, day, month, weekday = nightly["spec"]["schedule"].split()
    assert (day, month, weekday) == ("*", "*", "*") and hour.isdigit()


def test_the_erasure_ledger_is_written_every_15_minutes_apart_from_the_backups(rendered):
    ledger = of_kind(rendered, "CronJob")["erasure-ledger"]
    assert ledger["spec"]["schedule"] == "*/15 * * * *"
    (container,) = pod(ledger)["containers"]
    assert container["args"] == ["python", "-m", "deploy.backup", "erasures", "--to", "/ledger"]
    volumes = {v["name"]: v for v in pod(ledger)["volumes"]}
    assert volumes["ledger"]["persistentVolumeClaim"]["claimName"] == "erasure-ledger"
    mounted = {s["secret"]["name"] for s in volumes["secrets"]["projected"]["sources"]}
    assert mounted == {"kentra-database-admin"}  # no key of personal data


def test_the_broker_is_three_nodes_with_composes_plugins_and_settings(rendered):
    (cluster,) = of_kind(rendered, "RabbitmqCluster").values()
    assert cluster["apiVersion"] == "rabbitmq.com/v1beta1"
    assert cluster["metadata"]["name"] == "rabbitmq"  # its Service: the host compose names
    assert cluster["spec"]["replicas"] == 3
    enabled = (DEPLOY / "rabbitmq" / "enabled_plugins").read_text().strip().strip("[].")
    plugins = {p.strip() for p in enabled.split(",")}
    assert plugins <= set(cluster["spec"]["rabbitmq"]["additionalPlugins"])
    settings = (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text().splitlines()
    configured = cluster["spec"]["rabbitmq"]["additionalConfig"].splitlines()
    assert {s for s in settings if s and not s.startswith("#")} <= set(configured)


def hardening_problems(docs: list[dict]) -> list[str]:
    """What the project requires of every pod, named per workload: the restricted Pod Security
    Standard's fields, sizes, a pinned image, and both probes for a long-running process."""
    problems = []
    for doc in (d for d in docs if d["kind"] in WORKLOADS):
        name, spec = f"{doc['kind']}/{doc['metadata']['name']}", pod(doc)
        context = spec.get("securityContext", {})
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{name}: mounts a service account token")
        if context.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{name}: no RuntimeDefault seccomp profile")
        for c in containers(doc):
            where, own = f"{name}/{c['name']}", c.get("securityContext", {})
            user = own.get("runAsUser", context.get("runAsUser"))
            if not own.get("runAsNonRoot", context.get("runAsNonRoot")) or not user:
                problems.append(f"{where}: may run as root")
            if own.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: may escalate privileges")
            if own.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: writable root filesystem")
            if own.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where}: keeps capabilities")
            resources = c.get("resources", {})
            for bound in ("requests", "limits"):
                if set(resources.get(bound, {})) != {"cpu", "memory"}:
                    problems.append(f"{where}: no cpu and memory {bound}")
            if "@sha256:" not in c["image"]:
                problems.append(f"{where}: image not pinned by digest")
            if doc["kind"] == "Deployment" and c in spec["containers"]:
                for probe in ("livenessProbe", "readinessProbe"):
                    if probe not in c:
                        problems.append(f"{where}: no {probe}")
    return problems


def test_every_pod_is_hardened_sized_pinned_and_probed(rendered):
    assert hardening_problems(rendered) == []


def test_the_gateway_is_probed_on_health_behind_a_service_and_a_disruption_budget(rendered):
    gateway = of_kind(rendered, "Deployment")["portal-gateway"]
    (container,) = pod(gateway)["containers"]
    # ready when its database and broker answer; alive while it answers at all (an outage of a
    # dependency must not restart it)
    assert container["readinessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert {"name": "http", "containerPort": 8000} in container["ports"]
    service = of_kind(rendered, "Service")["portal-gateway"]
    assert service["spec"]["selector"] == gateway["spec"]["selector"]["matchLabels"]
    budget = of_kind(rendered, "PodDisruptionBudget")["portal-gateway"]
    assert budget["spec"]["selector"] == gateway["spec"]["selector"]
    assert budget["spec"]["minAvailable"] == 1


def test_every_kentra_pod_falls_under_a_network_policy_and_only_the_gateway_is_open(rendered):
    policies = of_kind(rendered, "NetworkPolicy").values()
    for doc in (d for d in rendered if d["kind"] in WORKLOADS):
        labels = template(doc)["metadata"]["labels"]
        selecting = [
            p
            for p in policies
            if p["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
            and "Egress" in p["spec"]["policyTypes"]
        ]
        assert selecting, doc["metadata"]["name"]
    open_to_all = [
        p["metadata"]["name"]
        for p in policies
        if any("from" not in rule for rule in p["spec"].get("ingress", []))
    ]
    assert open_to_all == ["portal-gateway-edge"]


def secret_references(docs: list[dict]) -> set[str]:
    found = set()
    for doc in (d for d in docs if d["kind"] in WORKLOADS):
        for volume in pod(doc).get("volumes", []):
            found |= {s["secret"]["name"] for s in volume.get("projected", {}).get("sources", [])}
            found |= {volume["secret"]["secretName"]} if "secret" in volume else set()
        for c in containers(doc):  # secrets as files only, never as variables
            assert not [e for e in c.get("env", []) if "valueFrom" in e], doc["metadata"]["name"]
    (cluster,) = of_kind(docs, "Cluster").values()
    store = cluster["spec"]["backup"]["barmanObjectStore"]["s3Credentials"]
    return (
        found
        | {cluster["spec"]["superuserSecret"]["name"]}
        | {ref["name"] for ref in store.values()}
    )


def test_secrets_are_no_manifest_of_the_base_and_the_readme_says_how_to_make_each(rendered):
    assert not of_kind(rendered, "Secret")
    readme = (BASE / "README.md").read_text()
    made = set(re.findall(r"create secret (?:generic|tls) ([a-z0-9-]+)", readme))
    assert secret_references(rendered) <= made


def test_the_secrets_folder_holds_each_users_password_and_each_processs_login(tmp_path):
    kubernetes_secrets.make(tmp_path)
    broker = tmp_path / "broker"
    assert {u for u in users()} <= {p.name for p in broker.iterdir() if p.is_file()}
    for process, user in PROCESS_USERS.items():
        password = (broker / user).read_text()
        expected = f"amqp://{user}:{password}@rabbitmq:5672/kentra"
        assert (broker / "process" / process).read_text() == expected
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    kubernetes_secrets.make(tmp_path)  # again: nothing changes
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_overlay_sets_the_image_of_every_kentra_container_by_its_digest(rendered, tmp_path):
    digest = "sha256:" + "ab" * 32
    overlay = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": [os.path.relpath(BASE, tmp_path)],
        "images": [{"name": "kentra", "newName": "registry.example.org/kentra", "digest": digest}],
    }
    (tmp_path / "kustomization.yaml").write_text(yaml.safe_dump(overlay))
    images = {c["image"] for d in rendered if d["kind"] in WORKLOADS for c in containers(d)}
    assert images == {PLACEHOLDER}
    overlaid = render(tmp_path)
    images = {c["image"] for d in overlaid if d["kind"] in WORKLOADS for c in containers(d)}
    assert images == {f"registry.example.org/kentra@{digest}"}


def test_checkov_fails_no_check_and_every_skip_gives_its_reason():
    report = checkov(BASE)
    summary = report["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["resource_count"] >= 30  # it read the manifests
    assert report["results"]["failed_checks"] == [], [
        (c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]
    ]
    for skipped in report["results"].get("skipped_checks", []):
        assert skipped.get("suppress_comment", "").strip(), skipped["check_id"]


def test_a_root_container_without_probes_is_caught_by_the_checks_and_by_checkov(rendered, tmp_path):
    gateway = copy.deepcopy(of_kind(rendered, "Deployment")["portal-gateway"])
    (container,) = pod(gateway)["containers"]
    del container["livenessProbe"], container["readinessProbe"]
    pod(gateway)["securityContext"].update(runAsNonRoot=False, runAsUser=0)
    container["securityContext"].update(runAsNonRoot=False, allowPrivilegeEscalation=True)
    (tmp_path / "gateway.yaml").write_text(yaml.safe_dump(gateway))
    problems = hardening_problems([gateway])
    where = "Deployment/portal-gateway/portal-gateway"
    assert f"{where}: may run as root" in problems
    assert f"{where}: may escalate privileges" in problems
    assert f"{where}: no livenessProbe" in problems and f"{where}: no readinessProbe" in problems
    failed = {c["check_id"] for c in checkov(tmp_path)["results"]["failed_checks"]}
    # liveness, readiness, root containers, privilege escalation
    assert {"CKV_K8S_8", "CKV_K8S_9", "CKV_K8S_23", "CKV_K8S_20"} <= failed
