"""What the registry's facts kept by a service may serve, and when they must be asked anew
(services/common/registry_facts.py). The watch over the bus: tests/integration/test_registry_facts.py."""

from __future__ import annotations

import pytest

from contracts.network import CHANGES
from services.common.registry_facts import KeptAnswers, RegistryFacts


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Registry:
    """Answers as the registry would, counting the questions."""

    def __init__(self, staff: list[str] | None):
        self.staff, self.asked = staff, 0

    def staff_of_network(self, site: str) -> list[str] | None:
        self.asked += 1
        return self.staff


def kept(registry, connected: bool = True, clock=None) -> tuple[KeptAnswers, RegistryFacts]:
    facts = RegistryFacts("amqp://unused", "registries-relay", CHANGES, 30, clock or Clock())
    facts.forget(connected=connected)
    return KeptAnswers(facts, registry, frozenset({"staff_of_network"})), facts


def test_an_answer_is_asked_once_and_kept_while_connected():
    registry = Registry(["a"])
    answers, _ = kept(registry)
    assert answers.staff_of_network("KK-A") == answers.staff_of_network("KK-A") == ["a"]
    assert registry.asked == 1


def test_each_site_is_its_own_question():
    registry = Registry(["a"])
    answers, _ = kept(registry)
    answers.staff_of_network("KK-A")
    answers.staff_of_network("KK-B")
    assert registry.asked == 2


def test_nothing_is_kept_while_not_connected():
    registry = Registry(["a"])
    answers, _ = kept(registry, connected=False)
    answers.staff_of_network("KK-A")
    answers.staff_of_network("KK-A")
    assert registry.asked == 2


def test_a_change_heard_drops_what_was_kept():
    registry = Registry(["a"])
    answers, facts = kept(registry)
    answers.staff_of_network("KK-A")
    registry.staff = ["b"]
    facts.forget(connected=True)
    assert answers.staff_of_network("KK-A") == ["b"]


def test_an_answer_is_asked_anew_once_it_is_older_than_the_maximum_age():
    registry, clock = Registry(["a"]), Clock()
    answers, _ = kept(registry, clock=clock)
    answers.staff_of_network("KK-A")
    clock.now = 29.9
    answers.staff_of_network("KK-A")
    clock.now = 30.0
    answers.staff_of_network("KK-A")
    assert registry.asked == 2


def test_an_answer_asked_before_a_change_and_received_after_it_is_not_kept():
    registry = Registry(["a"])
    answers, facts = kept(registry)

    def answering_while_the_registry_changes(site):
        facts.forget(connected=True)  # the change is heard while the question is on its way
        return Registry.staff_of_network(registry, site)

    registry.staff_of_network = answering_while_the_registry_changes
    answers.staff_of_network("KK-A")
    answers.staff_of_network("KK-A")
    assert registry.asked == 2


def test_an_unknown_site_is_never_kept():
    registry = Registry(None)
    answers, _ = kept(registry)
    assert answers.staff_of_network("KK-NOWHERE") is None
    answers.staff_of_network("KK-NOWHERE")
    assert registry.asked == 2


def test_only_the_methods_named_are_kept():
    answers, _ = kept(Registry(["a"]))
    with pytest.raises(AttributeError):
        answers.possible_duplicates_at("x", "KK-A")
