"""The gateway's access line: what is written of a request, and never its query string."""

from services.portal_gateway.entrypoints.access_log import MAX_PATH, access_line


def test_an_access_line_has_method_path_status_and_duration_and_no_query():
    line = access_line("GET", "/search?q=Παπαδόπουλος&amka=01013099997", 400, 0.0123)
    assert line == "GET /search 400 12.3ms"


def test_a_path_as_long_as_a_letter_is_cut_short():
    assert len(access_line("GET", "/" + "α" * 5000, 404, 0)) < MAX_PATH + 30


def _answered(status: str) -> float:
    """kentra_http_requests_total of the status's class after one request answered so."""
    from prometheus_client import REGISTRY

    from services.portal_gateway.entrypoints.access_log import AccessLog

    def app(environ, start_response):
        start_response(status, [("Content-Type", "text/plain")])
        return [b""]

    AccessLog(app)({"REQUEST_METHOD": "GET", "PATH_INFO": "/health"}, lambda *a, **k: None)
    sample = REGISTRY.get_sample_value("kentra_http_requests_total", {"code": f"{status[0]}xx"})
    return sample or 0.0


def test_each_answer_is_counted_by_its_status_class_for_the_availability_slo():
    before = {c: _answered(s) for c, s in (("2", "200 OK"), ("5", "503 Service Unavailable"))}
    assert _answered("200 OK") == before["2"] + 1
    assert _answered("503 Service Unavailable") == before["5"] + 1
    assert _answered("404 Not Found") >= 1
