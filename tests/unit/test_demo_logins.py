"""The demo's logins are said once (the accounts step) and agree everywhere a newcomer reads them."""

from __future__ import annotations

import re
from pathlib import Path

from deploy.demo.accounts import DEMO
from deploy.demo.seed import demo_commands

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_exactly_the_demo_logins():
    paragraph = README.read_text(encoding="utf-8").split("Demo logins", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`([a-z]+(?:\.[a-z0-9]+)?)`", paragraph)) == {
        username for username, *_ in DEMO
    }


def test_every_staff_login_is_a_staff_member_of_its_site_in_the_demo_network():
    staff = {
        c["staff_id"]: c["site"] for method, c in demo_commands() if method == "assign_staff_member"
    }
    for username, role, site, *_ in DEMO:
        if role == "case_worker":
            assert staff.get(username) == site, username
