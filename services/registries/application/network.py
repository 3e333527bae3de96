"""Use cases of the network: each command runs against one site or staff stream, with the facts
its rules need read from the other streams first."""

from __future__ import annotations

import dataclasses
import sys
import uuid
from types import SimpleNamespace

from services.common.application import execute, load, sent_by_client
from services.common.event_codec import encoder
from services.common.eventstore import AppendResult, EventStore, Metadata, stream_name
from services.registries.domain import network

_encode = encoder()
_sites = sys.modules[network.__name__]  # initial, evolve, decide
_staff = SimpleNamespace(
    initial=network.StaffMember(), evolve=network.evolve_staff, decide=network.decide_staff
)
NETWORK_IDS = uuid.UUID(
    "0f3e8a52-7c1d-4b9e-8f60-2a4d5c6b7e81"
)  # site and staff codes -> stream ids


def site_stream(site: str) -> str:
    return stream_name(network.SITE, uuid.uuid5(NETWORK_IDS, site))


def staff_stream(staff_id: str) -> str:
    return stream_name(network.STAFF, uuid.uuid5(NETWORK_IDS, f"staff:{staff_id}"))


class Network:
    def __init__(self, store: EventStore):
        self.store = store

    def site(self, site: str) -> network.Site:
        return load(self.store, site_stream(site), _sites).state

    def register_centre(self, command: network.RegisterCentre, metadata: Metadata) -> AppendResult:
        return self._on_site(command, metadata)

    def register_mobile_unit(
        self, command: network.RegisterMobileUnit, metadata: Metadata
    ) -> AppendResult:
        return self._on_site(self._with_parent(command, command.parent_centre), metadata)

    def change_partner_municipalities(
        self, command: network.ChangePartnerMunicipalities, metadata: Metadata
    ) -> AppendResult:
        parent = self._parent_of(command.site)
        return self._on_site(self._with_parent(command, parent), metadata)

    def assign_staff_member(
        self, command: network.AssignStaffMember, metadata: Metadata
    ) -> AppendResult:
        command = dataclasses.replace(command, site_exists=self.site(command.site).kind is not None)
        return self._on_staff(command, metadata)

    def staff_member_leaves(
        self, command: network.StaffMemberLeaves, metadata: Metadata
    ) -> AppendResult:
        return self._on_staff(command, metadata)

    def _with_parent(self, command, parent: str | None):
        unit = self.site(parent).regional_unit if parent else None
        return dataclasses.replace(command, parent_regional_unit=unit)

    def _parent_of(self, site: str) -> str | None:
        for e in self.store.read_stream(site_stream(site), 1, 1):
            return e.data.get("parent_centre")
        return None

    def _on_site(self, command, metadata: Metadata) -> AppendResult:
        sent = sent_by_client(command, network.FACTS)
        return execute(
            self.store, site_stream(command.site), _sites, command, metadata, sent, _encode
        )

    def _on_staff(self, command, metadata: Metadata) -> AppendResult:
        sent = sent_by_client(command, network.FACTS)
        return execute(
            self.store, staff_stream(command.staff_id), _staff, command, metadata, sent, _encode
        )
