"""Names, not codes, on the pages (services/portal_gateway/entrypoints/web/names.py): the filters
every template uses, fed by fakes of the registries."""

from __future__ import annotations

import inspect

from jinja2 import Environment
from marshmallow import Schema

from contracts import intake, names, referrals, registries
from contracts.directory import NEEDS
from contracts.intake import CHANNELS, EXIT_SITUATIONS, ISCED, LABOUR_STATUS, SERVICES
from contracts.referrals import OUTCOMES
from contracts.vocabulary import EMERGENCY_REASONS, VULNERABLE_GROUPS
from services.portal_gateway.entrypoints.web.i18n import LABELS
from services.portal_gateway.entrypoints.web.names import FILTERS, Names

SITES = [
    {
        "site": "MU-KALAMATA",
        "name": "Κινητή Μονάδα Καλαμάτας",
        "kind": "mobile_unit",
        "staff": [{"staff_id": "kalamata.social4", "name": "social_scientist 4 (Καλαμάτα)"}],
    }
]
ACCOUNTS = {"kalamata.social4": "Κοινωνική επιστήμονας, Κινητή Μονάδα Καλαμάτας"}


def render(source: str, lang: str = "el", **values) -> str:
    env = Environment(autoescape=True)
    env.filters.update(FILTERS)
    names = Names(
        lang, lambda: SITES, lambda: ACCOUNTS, lambda: [{"agency_id": "a1", "name": "ΔΥΠΑ"}]
    )
    return env.from_string(source).render(names=names, lang=lang, **values)


def test_sites_municipalities_staff_and_agencies_by_name():
    page = render(
        "{{ 'MU-KALAMATA' | site_name }}|{{ '9254' | municipality_name }}|"
        "{{ 'kalamata.social4' | staff_name }}|{{ 'a1' | agency_name }}|{{ 'KK-REGION' | site_name }}"
    )
    assert page == (
        "Κινητή Μονάδα Καλαμάτας|Καλαμάτα|Κοινωνική επιστήμονας, Κινητή Μονάδα Καλαμάτας|ΔΥΠΑ|"
        "Περιφέρεια Πελοποννήσου"
    )


def test_a_code_no_registry_knows_is_shown_as_it_is_and_a_failing_registry_breaks_no_page():
    def down():
        raise ConnectionError("registries unavailable")

    env = Environment()
    env.filters.update(FILTERS)
    page = env.from_string("{{ 'KK-NOWHERE' | site_name }}|{{ 'x.y' | staff_name }}").render(
        names=Names("el", down, down, down), lang="el"
    )
    assert page == "KK-NOWHERE|x.y"


def test_dates_in_athens_and_as_the_centres_write_them():
    assert render("{{ '2026-07-01T21:30:00+00:00' | when }}") == "02/07/2026 00:30"
    assert render("{{ '2026-07-01T21:30:00' | when }}") == "02/07/2026 00:30"  # a store's UTC
    assert render("{{ '1980-03-03' | day }}") == "03/03/1980"
    assert render("{{ '2026-06-30T22:30:00+00:00' | day }}") == "01/07/2026"  # Athens's day


def test_a_value_of_any_kind_is_shown_in_words():
    shown = "{{ v | shown(k) }}"
    assert render(shown, v="9254", k="municipality_code") == "Καλαμάτα"
    assert render(shown, v="MU-KALAMATA", k="site") == "Κινητή Μονάδα Καλαμάτας"
    assert render(shown, v="mobile_unit_visit", k="channel") == "Επίσκεψη Κινητής Μονάδας"
    assert render(shown, v="2026-12-04", k="occurred_on") == "04/12/2026"
    assert render(shown, v=True, k="rural") == "Ναι"
    assert render(shown, v="mobile_unit_visit", k="channel", lang="en") == "Mobile unit visit"


def test_a_refusals_details_by_the_forms_labels_without_stream_ids_or_versions():
    details = {
        "given_name": ["Υποχρεωτικό πεδίο."],
        "municipality_code": "9233",
        "site": "MU-KALAMATA",
        "stream": "case-1ede2d9b",
        "current_version": 4,
    }
    page = render("{{ d | problems | join('|') }}", d=details)
    assert page == "Όνομα: Υποχρεωτικό πεδίο.|Δήμος: Άργος-Μυκήνες|Δομή: Κινητή Μονάδα Καλαμάτας"
    assert render("{{ d | problems | join('|') }}", lang="en", d={"given_name": ["x"]}) == (
        "Given name: x"
    )


def test_every_field_of_a_persons_contracts_has_a_label():
    """A refusal's details and the DPO's view of a person's history name fields by the form's
    label: every field of the case, referral and registry contracts has one (ids are not shown)."""
    unlabelled = set()
    for module in (intake, referrals, registries):
        for _, schema in inspect.getmembers(module, inspect.isclass):
            if issubclass(schema, Schema) and schema.__module__ == module.__name__:
                for name in schema._declared_fields:
                    if not name.endswith("_id") and render("{{ f | field_label }}", f=name) == name:
                        unlabelled.add(name)
    assert not unlabelled


def test_every_event_type_and_vocabulary_code_has_its_greek_label():
    """The daily register and the timeline list event types by label; the forms and the record
    list the vocabularies' codes (a code without a label would show as it is)."""
    event_types = [v for k, v in vars(names).items() if k.isupper() and isinstance(v, str)]
    codes = [
        *event_types,
        *CHANNELS,
        *SERVICES,
        *EXIT_SITUATIONS,
        *ISCED,
        *LABOUR_STATUS,
        *OUTCOMES,
        *EMERGENCY_REASONS,
        *VULNERABLE_GROUPS,
        *NEEDS,
    ]
    assert [code for code in codes if code not in LABELS] == []
