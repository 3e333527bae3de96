"""The report pages against the running platform, as a browser's session asks for them: names and
headers in Greek, the same tables as CSV and XLSX with the session cookie, each page for the
roles whose figures it shows, and the chart code served from the gateway itself (no CDN, no
inline script)."""

from __future__ import annotations

import csv
import http.client
import io
import re

import requests
from openpyxl import load_workbook

from tests.e2e.test_gateway_tour import _released_month
from tests.e2e.test_web_portal import browser

PAGES = ("/overview", "/reports/esf", "/reports/coverage", "/reports/targets")
PAGES += ("/reports/referral-flow", "/reports/staffing")


def test_every_report_page_has_headers_names_and_our_own_scripts_only(gateway):
    month, moment = _released_month()
    gateway.register_back_then("kalamata.worker", "MU-KALAMATA", moment)
    coordinator = browser(gateway, "coordinator")
    for page in PAGES:
        answer = coordinator.get(f"{gateway.base}{page}", params={"period": month})
        assert answer.status_code == 200, (page, answer.text[:300])
        html = answer.text
        assert "<thead>" in html and 'scope="col"' in html, page
        # a chart, or where all its figures are hidden the note that says so (this small region)
        assert "<canvas" in html or 'id="nothing-' in html, page
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], page  # nothing inline
        assert 'src="/static/vendor/chart.umd.js"' in html and 'src="/static/charts.js"' in html
    overview = coordinator.get(f"{gateway.base}/overview", params={"period": month}).text
    # every site of the region by name, a site with no activity too; no code, no English
    for name in ("Κινητή Μονάδα Καλαμάτα", "Κινητή Μονάδα Τρίπολη", "Κέντρο Κοινότητας Σπάρτη"):
        assert name in overview
    assert not re.search(r">\s*(KK|MU)-[A-Z]+\s*<", overview)
    assert "Οιχαλία" in overview and "Μεσσηνία" in overview
    english = coordinator.get(f"{gateway.base}/reports/coverage", params={"lang": "en"}).text
    assert "Coverage per 1,000 residents" in english and "Oichalia" in english


def test_each_report_downloads_as_csv_and_xlsx_with_the_session_cookie(gateway):
    month, moment = _released_month()
    gateway.register_back_then("kalamata.worker", "MU-KALAMATA", moment)
    coordinator = browser(gateway, "coordinator")
    coverage = coordinator.get(
        f"{gateway.base}/reports/coverage", params={"period": month, "format": "csv"}
    )
    assert coverage.status_code == 200 and coverage.headers["Content-Type"].startswith("text/csv")
    assert f"reports-coverage-{month}.csv" in coverage.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(coverage.content.decode("utf-8-sig"))))
    assert lines[0] == ["Κάλυψη ανά 1.000 κατοίκους"]
    oichalia = next(line for line in lines if line and line[0] == "Οιχαλία")
    assert oichalia[1] == "Μεσσηνία" and oichalia[3] == "εμπ."  # hidden: marked, never a count
    assert lines[-1][0] == "εμπ." and "λιγότερα από 5" in lines[-1][1]
    for page in PAGES:
        xlsx = coordinator.get(f"{gateway.base}{page}", params={"period": month, "format": "xlsx"})
        assert xlsx.status_code == 200, page
        book = load_workbook(io.BytesIO(xlsx.content))
        assert book.worksheets[0].max_row > 1 and book.worksheets[0]["A1"].font.bold, page
    anonymous = requests.get(f"{gateway.base}/reports/coverage", params={"format": "xlsx"})
    assert anonymous.history and anonymous.url.endswith("/login")  # the session is the key
    odd = coordinator.get(
        f"{gateway.base}/daily", params={"site": 'MU-KALAMATA"x', "period": month, "format": "csv"}
    )
    assert odd.status_code == 200  # the coordinator may ask for any column of the release
    assert '"x' not in odd.headers["Content-Disposition"].split("filename=")[1].strip('"')
    unknown = coordinator.get(f"{gateway.base}/reports/coverage", params={"format": "pdf"})
    assert unknown.status_code == 400 and "CSV ή XLSX" in unknown.text


def test_a_head_reads_their_own_figures_and_never_the_regional_overview(gateway):
    gateway.register("kalamata.worker", "MU-KALAMATA")
    head = browser(gateway, "kalamata.head")
    assert head.get(f"{gateway.base}/overview").status_code == 403
    targets = head.get(f"{gateway.base}/reports/targets").text  # live, whole, their own
    assert "Διευρυμένο Κέντρο Κοινότητας Καλαμάτα:" in targets and "της περιόδου" in targets
    assert "Σπάρτη:" not in targets
    staffing = head.get(f"{gateway.base}/reports/staffing").text
    assert "Φόρτος ανά στέλεχος" in staffing  # caseloads stay in the centre: its head's
    daily = head.get(f"{gateway.base}/daily", params={"site": "MU-KALAMATA"})
    assert daily.status_code == 200 and "Ανά εβδομάδα" in daily.text
    assert "Εγγραφή στο μητρώο" in daily.text
    coordinator = browser(gateway, "coordinator")
    assert "Φόρτος ανά στέλεχος" not in coordinator.get(f"{gateway.base}/reports/staffing").text
    assert browser(gateway, "dpo").get(f"{gateway.base}/reports/coverage").status_code == 403


def test_the_chart_code_is_served_by_the_gateway_and_nothing_else_from_its_folder(gateway):
    script = requests.get(f"{gateway.base}/static/charts.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith(
        "text/javascript"
    )
    library = requests.get(f"{gateway.base}/static/vendor/chart.umd.js")
    assert library.status_code == 200 and "Chart.js v4" in library.text[:200]
    for wrong in ("/static/%2e%2e/pages.py", "/static/nothing.js", "/static/vendor/"):
        assert requests.get(f"{gateway.base}{wrong}").status_code == 404, wrong
    # a path that climbs out of the folder, as sent (a client would tidy the dots away)
    host, port = gateway.base.removeprefix("http://").split(":")
    raw = http.client.HTTPConnection(host, int(port), timeout=10)
    raw.request("GET", "/static/../report_pages.py")
    assert raw.getresponse().status == 404
