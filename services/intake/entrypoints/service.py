"""The intake service over nameko."""
from __future__ import annotations

from nameko.rpc import rpc

from contracts.intake import RecordContactSchema
from services.common.nameko_support import EventStoreProvider, MetricsServer, ServesItsHistory
from services.common.rpc_commands import answer, command_metadata, rejects_bad_commands
from services.intake.application.cases import Cases
from services.intake.domain.case import RecordContact


class IntakeService(ServesItsHistory):
    name = "intake"
    store = EventStoreProvider()
    metrics = MetricsServer()

    @rpc
    @rejects_bad_commands
    def record_contact(self, command: dict, context: dict) -> dict:
        fields = RecordContactSchema().load(command)
        command_id, expected = fields.pop("command_id"), fields.pop("expected_version")
        metadata = command_metadata(context, command_id)
        result = Cases(self.store).record_contact(RecordContact(**fields), metadata, expected)
        return answer(result)
