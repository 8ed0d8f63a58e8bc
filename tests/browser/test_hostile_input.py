"""Hostile text in real Chromium: every page that shows what users typed (tests/hostile.py's
PAGES), with every payload typed into every field at once, opens without any script of it
running (no dialog) and shows the text as typed."""

from tests.browser.helpers import new_page
from tests.hostile import ALL_PAYLOADS, PAGES, build_world, spaced
from units.models import User


def test_no_payload_runs_in_any_page(live_server, browser, department, other_unit, reporter,
                                     leader, other_reporter, secretariat):
    world = build_world(ALL_PAYLOADS, department=department, other_unit=other_unit,
                        reporter=reporter, leader=leader, other_reporter=other_reporter,
                        secretariat=secretariat)
    dialogs = []

    def opened(user):
        page = new_page(browser, live_server, user=user)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        return page

    # The watch works: the same payload written straight into a page does open a dialog.
    control = opened(None)
    control.set_content('<img src=x onerror="alert(1)">')
    for _ in range(50):
        if dialogs:
            break
        control.wait_for_timeout(20)
    assert dialogs == ["1"]
    dialogs.clear()

    for screen in PAGES:
        page = opened(User.objects.get(username=screen.user))
        response = page.goto(live_server.url + screen.path.format(**world))
        assert response.status == 200, screen.name
        page.wait_for_load_state("load")  # after every image has loaded or failed
        assert dialogs == [], screen.name
        # What a person reads: the page's text, and what the form's text areas hold.
        shown = spaced(" ".join([page.locator("body").inner_text(), *page.locator(
            "textarea").evaluate_all("areas => areas.map(area => area.value)")]))
        for field in screen.fields:
            # The start of it: a list may shorten a long text (every field's whole text is
            # checked page by page, payload by payload, in tests/test_hostile_input.py).
            assert spaced(world["texts"][field])[:120] in shown, (screen.name, field)
        assert page.locator("img[src=x]").count() == 0, screen.name
        page.context.close()
