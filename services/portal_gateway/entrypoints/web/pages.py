"""The web portal: server-rendered pages over the same API routes (same checks, same audit), in
Greek by default. A form that fails comes back with what was typed and the fields at fault."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge

from contracts.directory import NEEDS
from contracts.geography import municipalities
from contracts.intake import CHANNELS, EXIT_SITUATIONS, SERVICES
from contracts.registries import GENDERS
from contracts.vocabulary import EMERGENCY_REASONS
from services.common import outages
from services.common.clock import today_in_greece
from services.common.personal_data import PersonalDataCipher
from services.portal_gateway.domain import access
from services.portal_gateway.domain.login import Unauthenticated
from services.portal_gateway.domain.passwords import MIN_LENGTH
from services.portal_gateway.entrypoints.api import ROUTES
from services.portal_gateway.entrypoints.api.framework import ApiError, Router, api_router, run
from services.portal_gateway.entrypoints.web.dpo_pages import DpoPages
from services.portal_gateway.entrypoints.web.emergency_pages import EmergencyPages
from services.portal_gateway.entrypoints.web.home_pages import HomePages
from services.portal_gateway.entrypoints.web.i18n import LANGUAGES, labeller, translator
from services.portal_gateway.entrypoints.web.messages import translated
from services.portal_gateway.entrypoints.web.municipal_pages import MunicipalPages
from services.portal_gateway.entrypoints.web.names import FILTERS, Names
from services.portal_gateway.entrypoints.web.ops_pages import OpsPages
from services.portal_gateway.entrypoints.web.record_pages import ASSESSMENT_CHOICES, RecordPages
from services.portal_gateway.entrypoints.web.referral_pages import ReferralPages
from services.portal_gateway.entrypoints.web.report_pages import ReportPages
from services.portal_gateway.entrypoints.web.search_pages import SearchPages

MAX_FORM = 256 * 1024  # the longest form (a contact's notes) is a few kilobytes
API = api_router(ROUTES)  # the pages call the API's own handlers: the same checks, the same audit
# the pages, routed like the API (framework.Router): path -> the Page method that renders it
PAGES = Router(
    [
        ("GET", "/", "home"),
        ("GET", "/search", "search"),
        ("POST", "/search", "search"),
        ("GET", "/register", "register"),
        ("POST", "/register", "register"),
        ("GET", "/beneficiaries/<beneficiary_id>", "beneficiary"),
        ("POST", "/beneficiaries/<beneficiary_id>/emergency-access", "emergency"),
        ("POST", "/beneficiaries/<beneficiary_id>/merge-requests", "merge_request"),
        ("POST", "/beneficiaries/<beneficiary_id>/<action>", "case_action"),
        ("GET", "/merge-requests", "merge_requests"),
        ("POST", "/merge-requests/<beneficiary_id>/<decision>", "merge_decision"),
        ("GET", "/inbox", "inbox"),
        ("POST", "/referrals/<referral_id>/<step>", "referral_step"),
        ("GET", "/daily", "daily"),
        ("GET", "/overview", "overview"),
        ("GET", "/reports/esf", "reports_esf"),
        ("GET", "/reports/coverage", "reports_coverage"),
        ("GET", "/reports/targets", "reports_targets"),
        ("GET", "/reports/referral-flow", "reports_referral_flow"),
        ("GET", "/reports/staffing", "reports_staffing"),
        ("GET", "/emergency-access", "emergency_review"),
        ("POST", "/emergency-access/<grant_id>/review", "emergency_reviewed"),
        ("GET", "/subject-rights", "subject_rights"),
        ("GET", "/municipal-events", "municipal_events"),
        ("GET", "/municipal-publishers", "municipal_publishers"),
        ("POST", "/municipal-publishers", "municipal_publisher_registered"),
        ("POST", "/municipal-publishers/<name>/<step>", "municipal_publisher_step"),
        ("GET", "/audit", "audit"),
        ("POST", "/audit", "audit"),
        ("GET", "/erasure", "erasure"),
        ("POST", "/erasure", "erasure"),
        ("POST", "/erasure/<beneficiary_id>", "erase"),
        ("GET", "/operations/dead-letters", "dead_letters"),
        ("POST", "/operations/dead-letters/<consumer>/retry", "dead_letters_retried"),
        (
            "POST",
            "/operations/dead-letters/<consumer>/<letter_id>/discard",
            "dead_letter_discarded",
        ),
        ("GET", "/operations/consistency", "consistency"),
        ("GET", "/password", "password"),
        ("POST", "/password", "password"),
        ("GET", "/logout", "logout"),
        ("POST", "/logout", "logout"),
    ]
)
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
# names, not codes, and dates as the centres write them (web/names.py); `say`: a service's message
TEMPLATES.filters.update(FILTERS)
TEMPLATES.globals["emergency_reasons"] = EMERGENCY_REASONS
HTML = {"Content-Type": "text/html; charset=utf-8"}
# every page: no script but our own files (there are none inline), never in a frame, never cached
# (a record page holds personal data), no guessing of types, no referrer to another site
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
INTS = {
    "expected_version",
    "household_size",
    "age",
    "min_age",
    "max_age",
}  # as the contracts type them
LISTS = {"groups", "needs", "partner_municipalities"}
BOOLS = {"shares_personal_data", "disability", "foreign_background", "rural"}
COOKIE = "kentra_token"  # the session's access token, renewed by every page (a sliding 15 minutes)
NOTES = "kentra_notes"  # warnings for the next page, signed


def handle(gateway, request, path: str):
    lang = request.args.get("lang") or request.cookies.get("lang") or "el"
    lang = lang if lang in LANGUAGES else "el"
    request.max_content_length = MAX_FORM  # werkzeug refuses a larger form before parsing it
    page = Page(gateway, request, lang)
    try:
        if request.method == "POST" and not same_origin(request):
            return page.refuse_cross_site()
        if path == "login":
            return page.login()
        page.principal = page.who()
        if request.method == "POST" and not page.csrf_ok():
            return page.refuse_cross_site()
        return page.route(path)
    except Unauthenticated:  # no session, or it has ended: its cookie is of no more use
        return page.redirect("/login", clear=COOKIE in request.cookies)
    except RequestEntityTooLarge:
        return 413, HTML, page.t("too_large")
    except Exception as exc:  # a dependency that is away is a page saying so; a bug stays a bug
        outage = outages.unavailable(exc)
        if outage is None:
            raise
        return page.unavailable(outage)


def same_origin(request) -> bool:
    """A form posted from another site is refused: its Origin (or, failing that, its Referer) must
    be this host. A browser sends one of them with every form post."""
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if not claimed:
        return False
    found = urlsplit(claimed)
    return found.netloc == request.host and found.scheme in ("http", "https")


def signature(secret: bytes, purpose: str, text: str) -> str:
    """An HMAC under the installation's secret, one purpose apart from another (a form token
    is never accepted as a note's signature, nor the other way round)."""
    return hmac.new(secret, f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()


def csrf_token(secret: bytes, session_id: str) -> str:
    """The form token of one login session: it outlives the renewals of the session's access
    token (a form opened before one still posts) and dies with the session."""
    return signature(secret, "csrf", session_id)


class Page(
    EmergencyPages,
    MunicipalPages,
    ReferralPages,
    ReportPages,
    HomePages,
    DpoPages,
    OpsPages,
    SearchPages,
    RecordPages,
):
    def __init__(self, gateway, request, lang: str):
        self.gateway, self.request, self.lang = gateway, request, lang
        self.principal: Any = None  # an access.Principal once the session's token is verified
        self.t = translator(lang)
        self._names: Names | None = None  # whom and what the page names (names())

    # --- plumbing ---------------------------------------------------------------------------
    def who(self):
        """Whom the session cookie speaks for now (the same check as the API's bearer token)."""
        token = self.request.cookies.get(COOKIE)
        if not token:
            raise Unauthenticated("log in")
        return self.gateway.principal(token)

    def api(self, method: str, path: str, body=None, query=None) -> tuple[int, dict]:
        try:
            r, args = API.match(method, path)
        except ApiError as exc:
            return exc.status, exc.body(self.lang)
        client = self.request.remote_addr or ""
        backends = self.gateway.backends()
        # a code inside a refusal ("publishes for KK-SPARTI only") by its name on the page
        named = self.names().code
        status, answer = run(
            r, args, body, query or {}, self.principal, backends, client, self.lang, named
        )
        if status == 503:  # the whole page says so (`unavailable`), whatever page asked
            raise outages.Unavailable(answer["details"]["dependency"], answer.get("stored", False))
        return status, answer

    def unavailable(self, outage: outages.Unavailable):
        """503 with Retry-After: the service is away for a moment, and whether what was sent was
        stored. The page asks nothing of anyone (no menu, no names): what it would ask may be
        what is away."""
        self.principal = None
        fate = {False: "page_not_stored", None: "page_outcome_unknown"}
        sent = self.request.method == "POST"
        again = self.request.path if sent else self.request.full_path.rstrip("?")
        answer = self.render(
            "unavailable.html", 503, fate=fate.get(outage.stored) if sent else None, again=again
        )
        answer[1]["Retry-After"] = str(outages.RETRY_AFTER)
        return answer

    def render(self, template: str, status: int = 200, **values):
        html = TEMPLATES.get_template(template).render(
            t=self.t,
            label=labeller(self.lang),
            lang=self.lang,
            me=self.principal,
            may=self.may(),
            csrf=self.csrf(),
            names=self.names(),
            say=lambda text: translated(text, self.lang, self.names().code),
            **values,
        )
        headers = {**HTML, **SECURITY_HEADERS}
        if "lang" in self.request.args:
            headers["Set-Cookie"] = f"lang={self.lang}; Path=/; SameSite=Strict"
        return status, headers, html

    def names(self) -> Names:
        """Whom and what the page names, asked of the registries only if it names any."""
        if self._names is None:  # one per request: each registry read once
            gateway = self.gateway
            self._names = Names(
                self.lang,
                sites=lambda: gateway.sites.get(gateway.registries),
                accounts=lambda: gateway.backends().accounts.display_names(),
                agencies=lambda: gateway.registries.agencies(),
            )
        return self._names

    def may(self) -> dict[str, bool]:
        """What the menus and buttons offer, asked of the access policy (a template compares no role)."""
        me = self.principal
        if me is None:
            return {}
        return {
            "search": access.is_staff(me),
            "inbox": access.take_part_in_referrals(me),
            "daily": access.see_site_figures(me, me.site),
            "overview": access.see_regional_overview(me),
            "break_glass": access.break_the_glass(me),
            "emergency_review": access.read_audit(me),
            "subject_rights": access.answer_subject_requests(me),
            "municipal_events": access.see_dead_letters(me),
            "municipal_publishers": access.manage_publishers(me),
            "merge_requests": access.decide_merges(me),
            "audit": access.read_audit(me),
            "erasure": access.erase(me),
            "read_models": access.operate_read_models(me),
            "offline_app": access.is_staff(me),  # home visits of a centre too
        }

    def csrf(self) -> str:
        if self.principal is None:
            return ""
        return csrf_token(self.gateway.settings.token_secret, self.principal.session_id)

    def note_key(self) -> tuple[bytes, uuid.UUID]:
        """The notes' key (the installation's secret, for this purpose alone) and what binds a
        note to its login session: one session cannot read or replay another's."""
        key = hmac.new(self.gateway.settings.token_secret, b"notes", hashlib.sha256).digest()
        return key, uuid.uuid5(uuid.NAMESPACE_URL, self.principal.session_id or "")

    def seal(self, value: list) -> str:
        """A note for the next page, sealed (AES-GCM): a possible duplicate's name and birth year
        are personal data, and a cookie sits in the browser's profile, so it travels unreadable."""
        key, session = self.note_key()
        return base64.urlsafe_b64encode(
            PersonalDataCipher.seal(key, session, {"notes": value})
        ).decode()

    def notes(self) -> list:
        """The warnings the previous page left for this one, if we sealed them (else none)."""
        sealed = self.request.cookies.get(NOTES, "")
        if not sealed:
            return []
        key, session = self.note_key()
        try:
            return PersonalDataCipher.open(key, session, base64.urlsafe_b64decode(sealed))["notes"]
        except (InvalidTag, ValueError, KeyError):  # forged, another session's, or cut short
            return []

    def csrf_ok(self) -> bool:
        return hmac.compare_digest(self.request.form.get("_csrf", ""), self.csrf())

    def refuse_cross_site(self):
        return 403, {**HTML, **SECURITY_HEADERS}, self.t("cross_site")

    def redirect(self, to: str, token: str | None = None, clear: bool = False):
        headers = {"Location": to, **SECURITY_HEADERS}
        if token:
            headers["Set-Cookie"] = self.session_cookie(token)
        if clear:
            headers["Set-Cookie"] = self.session_cookie("", "; Max-Age=0")
        return 303, headers, ""

    def session_cookie(self, token: str, extra: str = "") -> str:
        secure = "; Secure" if self.over_https() else ""
        return f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}{extra}"

    def renewed(self, answer):
        """The page with a fresh token for the session: 15 minutes from now, so a person at work
        stays logged in and one who walked away is logged out (never past the session's end)."""
        status, headers, body = answer
        fresh = self.gateway.authentication().renew(self.principal.session_id)
        headers = Headers(headers)  # a page may set a cookie of its own too
        headers.add("Set-Cookie", self.session_cookie(fresh["token"]))
        return status, headers, body

    def over_https(self) -> bool:
        """Served over HTTPS, directly or behind a proxy that says so: the cookie must say Secure."""
        forwarded = self.request.headers.get("X-Forwarded-Proto", "")
        return self.request.scheme == "https" or forwarded.split(",")[0].strip() == "https"

    def form(self) -> dict:
        """Form fields as the API's JSON: lists, whole numbers, and checkboxes (a form names its
        checkboxes in `_bools`, since an unticked one is not sent at all); empty fields left out."""
        found: dict[str, Any] = {}
        for key in self.request.form:
            # the page's own fields, not the command's (`back`: where to land after the step; the
            # contract refuses a field it does not know, so posting it failed every send)
            if key in ("_bools", "_csrf", "back") or key in BOOLS:
                continue
            if key in LISTS:
                found[key] = [v for v in self.request.form.getlist(key) if v]
            elif self.request.form.get(key, "") != "":
                value = self.request.form[key]
                found[key] = int(value) if key in INTS and value.lstrip("-").isdigit() else value
        for name in self.request.form.getlist("_bools"):
            found[name] = self.request.form.get(name) in ("on", "true", "1")
        return found

    # --- pages ------------------------------------------------------------------------------
    def login(self):
        if self.request.method == "GET":
            return self.render("login.html")
        username = self.request.form.get("username", "")
        status, body = self.api(
            "POST",
            "/auth/token",
            {"username": username, "password": self.request.form.get("password", "")},
        )
        if status == 429:
            wait = body["details"]["retry_after"]
            error = self.t("throttled").format(seconds=wait)
            answer = self.render("login.html", 429, error=error, username=username)
            answer[1]["Retry-After"] = str(wait)
            return answer
        if status != 200:
            return self.render("login.html", 401, error=self.t("wrong_login"), username=username)
        return self.redirect("/", token=body["token"])

    def logout(self):
        """Ends the session (a form post: the page's own token proves it is the person's click);
        a plain visit changes nothing."""
        if self.request.method == "GET":
            return self.redirect("/")
        self.api("POST", "/auth/logout")
        return self.redirect("/login", clear=True)

    def route(self, path: str):
        try:
            page, args = PAGES.match(self.request.method, "/" + path.strip("/"))
        except ApiError:
            return self.renewed(self.render("message.html", 404, message=self.t("not_found")))
        if page == "logout":  # the one page after which there is no session to renew
            return self.logout()
        return self.renewed(getattr(self, page)(**args))

    def register(self):
        site = self.principal.site
        values = {"site": site, "municipality_code": self.site_municipality(site)}
        if self.request.method == "GET":
            return self.render(
                "register.html", values=values, municipalities=municipalities(), genders=GENDERS
            )
        values = self.form()
        body = {**values, "command_id": values.get("command_id") or _new_id()}
        try:
            status, answer = self.api("POST", "/beneficiaries", body)
        except outages.Unavailable as outage:
            # the form again, with what was typed and the same command id: sent again, it is the
            # same registration, stored once, never a second person (its 503 says it may be)
            kept = {**values, "command_id": body["command_id"]}
            return self.unavailable_form(outage, kept)
        if status != 200:
            return self.render(
                "register.html",
                status,
                values=values,
                municipalities=municipalities(),
                genders=GENDERS,
                error=answer.get("error"),
                fields=answer.get("details") or {},
            )
        beneficiary = answer["stream"].split("-", 1)[1]
        self.wait_until_shown("registries", answer)
        # the warnings ride to the record page in a signed cookie: a message is never carried in
        # (or taken from) the URL, where anyone could write one into a link
        warnings = answer.get("possible_duplicates", []) + answer.get("warnings", [])
        to = self.redirect(f"/beneficiaries/{beneficiary}?saved=1")
        to[1]["Set-Cookie"] = (
            f"{NOTES}={self.seal(warnings)}; Path=/; Max-Age=120; HttpOnly; SameSite=Strict"
        )
        return to

    def unavailable_form(self, outage: outages.Unavailable, values: dict):
        fate = {False: "page_not_stored", None: "page_outcome_unknown"}[outage.stored]
        answer = self.render(
            "register.html",
            503,
            values=values,
            municipalities=municipalities(),
            genders=GENDERS,
            error=f"{self.t('page_unavailable')} {self.t(fate)}",
            fields={},
        )
        answer[1]["Retry-After"] = str(outages.RETRY_AFTER)
        return answer

    def beneficiary(
        self, beneficiary_id: str, status: int = 200, warnings: list | None = None, **extra
    ):
        code, record = self.api("GET", f"/beneficiaries/{beneficiary_id}")
        if code != 200:  # unknown and not yours alike (404): a head may still break the glass
            message = self.t("not_found") if code == 404 else record.get("error")
            return self.render(
                "message.html",
                code,
                message=message or self.t("forbidden"),
                beneficiary_id=beneficiary_id,
                may_break_glass=code == 404 and access.break_the_glass(self.principal),
            )
        version = record["case"][
            "version"
        ]  # the case as intake holds it now: the next save states it
        choices = self.referral_choices(record, extra.get("values") or {})
        lives_in = record["registered"].get("municipality_code")  # the forms' default
        return self.render(
            "beneficiary.html",
            status,
            r=record,
            version=version,
            today=today_in_greece().isoformat(),
            channels=CHANNELS,
            services=SERVICES,
            needs=NEEDS,
            municipalities=municipalities(),
            saved=extra.pop("saved", None) or self.request.args.get("saved"),
            warnings=warnings or self.notes(),
            new_plan_id=_new_id(),
            exits=EXIT_SITUATIONS,
            **choices,
            lives_in=lives_in,
            assessing=ASSESSMENT_CHOICES,
            **extra,
        )

    def case_action(self, beneficiary_id: str, action: str):
        values = self.form()
        body = {**values, "command_id": values.get("command_id") or _new_id()}
        if action == "referrals":
            status, answer = self.api(
                "POST",
                "/referrals",
                {
                    **self.referral_command(body),
                    "beneficiary_id": beneficiary_id,
                    "expected_version": 0,
                    "referral_id": _new_id(),
                },
            )
        else:
            status, answer = self.api("POST", f"/beneficiaries/{beneficiary_id}/{action}", body)
        if status != 200:  # back to the page, with what was typed and what is wrong
            return self.beneficiary(
                beneficiary_id,
                status,
                failed=action,
                values=values,
                error=answer.get("error"),
                fields=answer.get("details") or {},
            )
        self.wait_until_shown("referrals" if action == "referrals" else "intake", answer)
        return self.redirect(f"/beneficiaries/{beneficiary_id}?saved=1&done={action}")

    def password(self):
        hint = self.t("password_hint").format(min=MIN_LENGTH)
        if self.request.method == "GET":
            return self.render("password.html", hint=hint)
        status, answer = self.api(
            "POST",
            "/auth/password",
            {
                "current_password": self.request.form.get("current_password", ""),
                "new_password": self.request.form.get("new_password", ""),
            },
        )
        if status != 200:
            fields = answer.get("details") or {}
            return self.render(
                "password.html", status, error=answer["error"], fields=fields, hint=hint
            )
        return self.render("message.html", message=self.t("password_changed"))


def _new_id() -> str:
    return str(uuid.uuid4())
