"""Deque's axe-core in a selenium browser: the page's WCAG 2.1 A and AA violations, as any
browser test may ask after any step. axe-core comes from npm (tools/axe, installed by
scripts/bootstrap with `npm ci`) and is injected by the driver, never served by the portal: the
pages' Content-Security-Policy stays as it is."""

from __future__ import annotations

from pathlib import Path

AXE = (
    Path(__file__).resolve().parents[2]
    / "tools"
    / "axe"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
RUN = """
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => done(r.violations), e => done({error: String(e)}));
"""


def violations(driver, impacts=("serious", "critical"), tags=WCAG_AA) -> list[dict]:
    """The violations of the page the driver shows, of these impacts: each rule with its help
    text and the elements (CSS selectors and their HTML) that break it."""
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: scripts/bootstrap installs tools/axe (npm ci)")
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script(RUN, list(tags))
    if isinstance(found, dict):
        raise RuntimeError(f"axe-core failed: {found['error']}")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [(n["target"], n["html"][:160]) for n in v["nodes"]],
        }
        for v in found
        if v["impact"] in impacts
    ]


def describe(found: list[dict]) -> str:
    """Violations as a failing assertion should print them: rule, impact, help, where."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {target} {html}" for target, html in v["nodes"][:5])
        for v in found
    )
