"""The e-mail in a dark-mode client: rendered by Chromium with `prefers-color-scheme: dark`
emulated (as Apple Mail and Outlook.com apply the e-mail's own dark palette), every text must
keep a WCAG AA contrast with what is behind it, and so must it in light mode. A screenshot of
each lands in screenshots/ (to look at)."""

from pathlib import Path

import pytest

from brands.models import Brand
from messaging.default_copy import default_template
from messaging.dispatch.composing import email_html
from messaging.rendering import tag_values
from messaging.tags import render, render_html

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent.parent / "screenshots"

# The colour and background actually painted behind each text element (walking up the tree to
# the first opaque background), from the computed styles.
CONTRASTS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const behind = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
                         if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const el of document.querySelectorAll('td, a, p, strong')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3), bg = behind(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({text: el.textContent.trim().slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_every_text_of_the_email_stays_readable_in_dark_and_light_mode(browser, scheme):
    # no database: Playwright's event loop would give ORM calls a connection outside the test's transaction
    brand = Brand(pk=1, name="Trailhead", primary_color="#0f766e", support_email="help@trailhead.example")
    template = default_template("email", "out_for_delivery", "en")
    values = tag_values(brand=brand, channel="email", status="out_for_delivery", language="en")
    html = email_html(brand=brand, subject=render(template.subject, values), content=render_html(template.body, values),
                      unsubscribe_url=values["unsubscribe_url"], language="en", tracking_url=values["tracking_url"])

    page = browser.new_page(viewport={"width": 700, "height": 900}, color_scheme=scheme)
    page.set_content(html)
    contrasts = page.evaluate(CONTRASTS)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"email-{scheme}.png"), full_page=True)
    page.close()

    assert len(contrasts) >= 5  # the brand, the text, the button, the footer
    assert any(c["text"].startswith("Track your parcel") for c in contrasts)
    unreadable = [c for c in contrasts if c["ratio"] < 4.5]
    assert not unreadable, unreadable
