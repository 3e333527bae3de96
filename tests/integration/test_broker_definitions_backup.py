"""`python -m deploy.backup definitions`: the broker's definitions, as its management API gives
them, in a file only its owner may read (it holds the users' password hashes)."""

from __future__ import annotations

import json
import stat

from deploy.backup.__main__ import main


def test_the_broker_definitions_are_saved_whole_and_private(tmp_path, capsys):
    assert main(["definitions", "--to", str(tmp_path)]) == 0
    (saved,) = tmp_path.glob("rabbitmq-definitions-*.json")
    assert str(saved) in capsys.readouterr().out
    definitions = json.loads(saved.read_text())
    assert {"users", "vhosts", "permissions", "queues", "exchanges"} <= set(definitions)
    assert any(u["name"] == "guest" for u in definitions["users"])
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
