"""What the browser tests share: a page already signed in, in a chosen language, and axe-core."""

from pathlib import Path

from django.conf import settings
from django.test import Client

#: axe-core, installed from tests/browser/package-lock.json by `make test` (`make browser-tools`).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

#: What counts as a failure: axe's two highest impacts.
BLOCKING_IMPACTS = ("serious", "critical")


def new_page(browser, live_server, *, user=None, language="vi", bypass_csp=False):
    """A fresh page whose browser is signed in as `user` (None: nobody) and has chosen
    `language` with the language switch's cookie (Vietnamese is the default without one)."""
    context = browser.new_context(bypass_csp=bypass_csp)
    cookies = []
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append({"name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url})
    if language != settings.LANGUAGE_CODE:
        cookies.append({"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                        "url": live_server.url})
    if cookies:
        context.add_cookies(cookies)
    return context.new_page()


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands, each with the elements concerned."""
    if not AXE.is_file():
        raise RuntimeError(f"{AXE} is missing: run `make browser-tools` (part of `make test`).")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
        }));
    }""")


def describe(violations: list[dict]) -> str:
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
                     for v in violations)
