"""RPCs of the network (centres, mobile units, staff): a mixin of the registries service."""

from __future__ import annotations

from typing import Any

from contracts import network as contract
from contracts.geography import REGION, municipalities, regional_units
from services.common.nameko_support import rpc
from services.common.rpc_commands import answer, receive, rejects_bad_commands
from services.registries.adapters.network_directory import NetworkDirectory
from services.registries.application.network import Network
from services.registries.domain import network


class NetworkRpc:
    store: Any = None  # the service's EventStoreProvider: a worker sees the store it provides

    def _run(
        self, schema, command_class, use_case, command: dict, context: dict, warn: bool = False
    ) -> dict:
        received = receive(schema, command, context)
        fields = received.fields
        result = answer(use_case(Network(self.store), command_class(**fields), received.metadata))
        if warn:  # the staffing rule is a warning for the head of centre, never a refusal
            staffing = NetworkDirectory.staffing(self.store.db)
            result["warnings"] = next(
                (s["warnings"] for s in staffing if s["site"] == fields["site"]), []
            )
        return result

    @rpc
    @rejects_bad_commands
    def register_centre(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.RegisterCentreSchema,
            network.RegisterCentre,
            Network.register_centre,
            command,
            context,
            warn=True,
        )

    @rpc
    @rejects_bad_commands
    def register_mobile_unit(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.RegisterMobileUnitSchema,
            network.RegisterMobileUnit,
            Network.register_mobile_unit,
            command,
            context,
            warn=True,
        )

    @rpc
    @rejects_bad_commands
    def change_partner_municipalities(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.ChangePartnerMunicipalitiesSchema,
            network.ChangePartnerMunicipalities,
            Network.change_partner_municipalities,
            command,
            context,
        )

    @rpc
    @rejects_bad_commands
    def assign_staff_member(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.AssignStaffMemberSchema,
            network.AssignStaffMember,
            Network.assign_staff_member,
            command,
            context,
            warn=True,
        )

    @rpc
    @rejects_bad_commands
    def staff_member_leaves(self, command: dict, context: dict) -> dict:
        return self._run(
            contract.StaffMemberLeavesSchema,
            network.StaffMemberLeaves,
            Network.staff_member_leaves,
            command,
            context,
            warn=True,
        )

    @rpc
    def partner_municipalities(self, site: str) -> list[str] | None:
        """The municipalities a mobile unit serves now; None when the site is not a mobile unit."""
        found = NetworkDirectory.site(self.store.db, site)
        return found["partner_municipalities"] if found and found["kind"] == "mobile_unit" else None

    @rpc
    def staff_of_network(self, site: str) -> list[str] | None:
        """The staff ids working now in the site's network (None: no such site in the registry):
        what intake checks a contact's or a service's `staff_id` against."""
        return NetworkDirectory.staff_of_network(self.store.db, site)

    @rpc
    def network(self) -> dict:
        """The region as it stands: regional units, municipalities (with 2021 populations), sites and staff."""
        return {
            "region": REGION,
            "regional_units": [u.__dict__ for u in regional_units().values()],
            "municipalities": [m.__dict__ for m in municipalities().values()],
            "sites": NetworkDirectory.sites(self.store.db),
        }

    @rpc
    def staffing(self) -> list[dict]:
        return NetworkDirectory.staffing(self.store.db)
