"""RPCs of the agencies and programmes registries, with HSDS 3.0 import and export: a mixin of
the registries service."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from contracts.directory import DescribeAgencySchema, DescribeProgrammeSchema
from services.common.nameko_support import rpc
from services.common.rpc_commands import (
    CommandRejected,
    answer,
    command_metadata,
    receive,
    rejects_bad_commands,
)
from services.registries.adapters import hsds
from services.registries.adapters.directory import Directory as DirectoryView
from services.registries.application.directory import Directory


class DirectoryRpc:
    store: Any = None  # the service's EventStoreProvider: a worker sees the store it provides

    @rpc
    @rejects_bad_commands
    def describe_agency(self, command: dict, context: dict) -> dict:
        received = receive(DescribeAgencySchema, command, context)
        return answer(Directory(self.store).describe_agency(received.fields, received.metadata))

    @rpc
    @rejects_bad_commands
    def describe_programme(self, command: dict, context: dict) -> dict:
        received = receive(DescribeProgrammeSchema, command, context)
        return answer(Directory(self.store).describe_programme(received.fields, received.metadata))

    @rpc
    def agencies(self) -> list[dict]:
        return DirectoryView.agencies(self.store.db)

    @rpc
    def programmes(self) -> list[dict]:
        return DirectoryView.programmes(self.store.db)

    @rpc
    def agency(self, agency_id: str) -> dict | None:
        return DirectoryView.agency(self.store.db, agency_id)

    @rpc
    def programme(self, programme_id: str) -> dict | None:
        return DirectoryView.programme(self.store.db, programme_id)

    @rpc
    @rejects_bad_commands
    def import_hsds(self, files: dict, context: dict) -> dict:
        """`files`: an HSDS 3.0 tabular package, file name -> CSV text. All or nothing: a malformed
        package is refused with every problem's file, row and field, and nothing is stored."""
        try:
            return Directory(self.store).import_hsds(
                files, lambda command_id: command_metadata(context, command_id)
            )
        except hsds.PackageRejected as exc:
            raise CommandRejected(
                "invalid", str(exc), {"problems": [asdict(p) for p in exc.problems]}
            ) from exc

    @rpc
    def export_hsds(self) -> dict:
        return hsds.export(
            DirectoryView.agencies(self.store.db), DirectoryView.programmes(self.store.db)
        )
