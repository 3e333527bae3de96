from services.common.consumer.consistency import compare


def test_identical_heads_have_no_difference():
    heads = {"beneficiary-1": (3, "h3"), "case-1": (1, "c1")}
    assert compare("registries", heads, dict(heads)) == []


def test_a_stream_the_read_model_never_saw_is_missing():
    (d,) = compare("registries", {"beneficiary-1": (1, "a")}, {})
    assert (d.stream, d.problem, d.source_version, d.consumer_version) == (
        "beneficiary-1",
        "missing",
        1,
        None,
    )


def test_a_read_model_behind_its_source_is_reported_behind():
    (d,) = compare("intake", {"case-1": (5, "e")}, {"case-1": (4, "d")})
    assert d.problem == "behind"


def test_a_read_model_ahead_of_its_source_is_reported_ahead():
    (d,) = compare("intake", {"case-1": (4, "d")}, {"case-1": (5, "e")})
    assert d.problem == "ahead"


def test_same_version_with_another_hash_is_a_different_history():
    (d,) = compare("intake", {"case-1": (4, "d")}, {"case-1": (4, "x")})
    assert d.problem == "hash differs"


def test_a_stream_only_the_read_model_knows_is_unknown_to_the_source():
    (d,) = compare("intake", {}, {"case-9": (1, "z")})
    assert d.problem == "unknown to the source"
