"""The erasure page's confirmation: the family name typed again matches the record's whatever the
case and accents, and nothing else does."""

from services.portal_gateway.entrypoints.web.dpo_pages import folded


def test_a_family_name_typed_in_capitals_or_without_accents_confirms():
    assert folded(" ΠΑΠΑΔΟΠΟΥΛΟΣ ") == folded("Παπαδόπουλος") == folded("παπαδοπουλος")


def test_another_name_or_nothing_does_not_confirm():
    assert folded("Παπαδάκης") != folded("Παπαδόπουλος")
    assert folded("") != folded("Παπαδόπουλος")
