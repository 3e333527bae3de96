"""Greek text folded for search, kept intact in data; personal data sealed and blind-indexed."""

import uuid

import pytest
from cryptography.exceptions import InvalidTag

from services.common.personal_data import PersonalDataCipher, blind_index
from services.common.text import nfc, search_key, search_prefixes

KEY = b"k" * 32


@pytest.mark.parametrize(
    "forms",
    [
        (
            "Γιώργος Παπαδόπουλος",
            "GIORGOS PAPADOPOULOS",
            "Yiorgos Papadopoulos",
            "γιωργος παπαδοπουλος",
        ),
        ("Ευαγγελία", "Evangelia", "Evaggelia", "EVANGELIA"),
        ("Χατζής", "Chatzis", "Hatzis"),
        ("Αικατερίνη", "Aikaterini", "Ekaterini"),
    ],
)
def test_greek_greeklish_accented_and_capital_forms_of_a_name_meet_on_one_key(forms):
    assert len({search_key(f) for f in forms}) == 1


def test_different_names_keep_different_keys():
    assert search_key("Μαρία") != search_key("Μάριος")


@pytest.mark.parametrize(
    "typed",
    ["Παπαδοπ", "παπαδοπ", "ΠΑΠΑΔΌΠ", "papadop", "Papadopou", "Παπαδόπουλος", "Γεωργ", "georg"],
)
def test_the_beginning_of_a_word_typed_greek_unaccented_or_greeklish_is_a_prefix_key(typed):
    assert search_key(typed) in search_prefixes("Γεώργιος Παπαδόπουλος")


def test_a_beginning_that_folds_otherwise_than_the_whole_word_is_still_a_prefix_key():
    """'γεώργιος' folds to 'georios' ('gi' reads 'i'), yet 'Γεωργ' is how people start typing it."""
    assert search_key("Γεώργιος") == "georios" and "georg" in search_prefixes("Γεώργιος")


@pytest.mark.parametrize("typed", ["Π", "p", "αδοπ", "Παπαδοπουλοι", "Παπαδάκης"])
def test_one_letter_the_middle_of_a_word_or_more_than_it_is_no_prefix_key(typed):
    assert search_key(typed) not in search_prefixes("Γεώργιος Παπαδόπουλος")


def test_each_word_of_a_double_name_has_its_own_beginnings():
    found = search_prefixes("Παπαδοπούλου-Νικολάου")
    assert {search_key("Νικολ"), search_key("Παπαδ")} <= found


def test_text_is_kept_composed_not_folded():
    assert nfc("Γιώργος") == "Γιώργος" and nfc("Γιώργος") != search_key("Γιώργος")


def test_sealed_personal_fields_open_with_the_same_key_and_event():
    event = uuid.uuid4()
    key = PersonalDataCipher(KEY).unwrap(
        uuid.UUID(int=1), PersonalDataCipher(KEY).new_wrapped_key(uuid.UUID(int=1))
    )
    sealed = PersonalDataCipher.seal(key, event, {"given_name": "Ελένη"})
    assert PersonalDataCipher.open(key, event, sealed) == {"given_name": "Ελένη"}


def test_a_sealed_blob_moved_to_another_event_does_not_open():
    key = b"s" * 32
    sealed = PersonalDataCipher.seal(key, uuid.uuid4(), {"amka": "01013099997"})
    with pytest.raises(InvalidTag):
        PersonalDataCipher.open(key, uuid.uuid4(), sealed)


def test_a_subject_key_unwraps_only_for_its_subject():
    cipher, subject = PersonalDataCipher(KEY), uuid.uuid4()
    wrapped = cipher.new_wrapped_key(subject)
    with pytest.raises(InvalidTag):
        cipher.unwrap(uuid.uuid4(), wrapped)


def test_blind_indexes_match_equal_identifiers_and_reveal_nothing_without_the_key():
    assert blind_index(KEY, "amka", "010130 99997") == blind_index(KEY, "amka", "01013099997")
    assert blind_index(KEY, "amka", "01013099997") != blind_index(b"o" * 32, "amka", "01013099997")
    assert "01013099997" not in blind_index(KEY, "amka", "01013099997")


def test_name_blind_indexes_fold_greeklish_onto_greek():
    assert blind_index(KEY, "name", "Γιώργος Παπαδόπουλος") == blind_index(
        KEY, "name", "GIORGOS PAPADOPOULOS"
    )
