"""The gateway's access line: what is written of a request, and never its query string."""

from services.portal_gateway.entrypoints.access_log import MAX_PATH, access_line


def test_an_access_line_has_method_path_status_and_duration_and_no_query():
    line = access_line("GET", "/search?q=Παπαδόπουλος&amka=01013099997", 400, 0.0123)
    assert line == "GET /search 400 12.3ms"


def test_a_path_as_long_as_a_letter_is_cut_short():
    assert len(access_line("GET", "/" + "α" * 5000, 404, 0)) < MAX_PATH + 30
