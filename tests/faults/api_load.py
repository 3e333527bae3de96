"""Case workers at the API while a dependency goes away: each registers people and records contacts
on them as fast as the gateway answers, and every answer is kept, with when it came, to be judged
afterwards as a client would (tests/faults/test_outages.py).

A worker that gets a 503 for a command keeps it aside as its client would (`unsettled`): sent
again, with the same command id, once the outage is over (`settle`). Then it starts on a new
person, so that no contact waits on a version the outage left unknown."""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

from services.common.clock import today_in_greece
from tests.e2e.gateway_platform import GatewayPlatform

GIVEN = ["Ελένη", "Γιώργος", "Μαρία", "Νίκος", "Σοφία", "Κώστας", "Άννα", "Δημήτρης", "Χρήστος"]
FAMILY = ["Παππά", "Οικονόμου", "Καραγιάννη", "Νικολάου", "Βλάχου", "Δημητρίου", "Αλεξίου"]


@dataclass
class Sent:
    """One command and the gateway's answer to it (`status` None: no HTTP answer at all)."""

    service: str  # whose store records it: registries (a registration) or intake (a contact)
    path: str
    body: dict
    at: float  # when it was sent (time.monotonic())
    status: int | None = None
    answer: dict = field(default_factory=dict)
    retry_after: str | None = None

    @property
    def command_id(self) -> str:
        return self.body["command_id"]

    @property
    def acknowledged(self) -> bool:
        """Answered as stored (201 or 200), as a client reads it."""
        return self.status in (200, 201)


class ApiLoad:
    def __init__(self, gateway: GatewayPlatform, workers: int = 3, seed: int = 18):
        self.gateway, self.workers = gateway, workers
        self.rng = random.Random(seed)
        self.sent: list[Sent] = []
        self.unsettled: list[Sent] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    # -- running ----------------------------------------------------------------------------------
    def start(self) -> None:
        for _ in range(self.workers):
            token = self.gateway.client("kalamata.worker").token
            thread = threading.Thread(target=self._work, args=(token,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(120)

    def _work(self, token: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        while not self._stop.is_set():
            sent = self.send(session, "registries", "/beneficiaries", self._person())
            version = 0
            while sent.acknowledged and not self._stop.is_set() and self.rng.random() < 0.7:
                beneficiary = sent.answer.get("beneficiary_id") or sent.path.split("/")[2]
                sent = self.send(
                    session,
                    "intake",
                    f"/beneficiaries/{beneficiary}/contacts",
                    self._contact(version),
                )
                version = sent.answer.get("version", version)
            if sent.status == 503:
                with self._lock:
                    self.unsettled.append(sent)
                time.sleep(0.2)  # as a client honouring Retry-After would, only shorter

    def send(self, session: requests.Session, service: str, path: str, body: dict) -> Sent:
        sent = Sent(service, path, body, time.monotonic())
        try:
            response = session.post(f"{self.gateway.base}/api/v1{path}", json=body, timeout=120)
        except requests.RequestException as exc:
            sent.answer = {"exception": repr(exc)}
        else:
            sent.status = response.status_code
            sent.answer = response.json()
            sent.retry_after = response.headers.get("Retry-After")
        with self._lock:
            self.sent.append(sent)
        return sent

    def settle(self) -> list[Sent]:
        """Every command left unsettled, sent again with its own command id: the answers."""
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.gateway.client('kalamata.worker').token}"
        return [self.send(session, s.service, s.path, s.body) for s in self.unsettled]

    # -- what a test judges -------------------------------------------------------------------------
    def between(self, start: float, end: float) -> list[Sent]:
        return [s for s in self.sent if start <= s.at < end]

    def acknowledged(self, service: str) -> set[str]:
        return {s.command_id for s in self.sent if s.acknowledged and s.service == service}

    def said_not_stored(self, service: str) -> set[str]:
        return {
            s.command_id
            for s in self.sent
            if s.status == 503 and s.answer.get("stored") is False and s.service == service
        }

    # -- commands -----------------------------------------------------------------------------------
    def _person(self) -> dict:
        born = f"19{self.rng.randint(40, 99)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        return {
            "command_id": str(uuid.uuid4()),
            "given_name": self.rng.choice(GIVEN),
            "family_name": self.rng.choice(FAMILY),
            "birth_date": born,
            "municipality_code": "9256",
            "site": "MU-KALAMATA",
        }

    def _contact(self, version: int) -> dict:
        return {
            "command_id": str(uuid.uuid4()),
            "expected_version": version,
            "occurred_on": today_in_greece().isoformat(),
            "channel": "mobile_unit_visit",
            "site": "MU-KALAMATA",
            "municipality_code": "9256",
            "staff_id": "kalamata.worker",
        }
