"""English and Indonesian: a complete catalogue, no unmarked template text, pages in Indonesian."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from accounts.middleware import SESSION_KEY
from accounts.models import Customer, UserPreference
from scoring.models import ScoringRound

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _messages():
    with CATALOGUE.open("rb") as po:
        return [message for message in read_po(po, locale="id") if message.id]


# --- The catalogue ----------------------------------------------------------------------


def test_every_catalogue_entry_has_an_indonesian_translation():
    untranslated = []
    for message in _messages():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == [], f"{len(untranslated)} entries need a translation"


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)s|%%|\{\w*\}")
    broken = []
    for message in _messages():
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if sorted(placeholder.findall(source)) != sorted(placeholder.findall(string)):
                broken.append(source)
    assert broken == []


def test_catalogue_has_indonesian_plural_forms():
    header = CATALOGUE.read_text(encoding="utf-8")[:2000]
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header


# --- Templates: no user-facing text outside translate / blocktranslate -----------------

# Words that are the same in both languages: names, formats, symbols.
ALLOWED_WORDS = {"KAISM", "CSV", "PNG", "SVG", "Excel", "Pareto", "SHA"}
# Attributes a reader sees or hears.
TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
_TEMPLATE_CODE = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    # Blocks that hold CSS class names, not text.
    re.compile(r"\{%\s*block\s+\w*class\s*%\}.*?\{%\s*endblock\b[^%]*%\}", re.S),
    re.compile(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"<script\b.*?</script>", re.S),
    re.compile(r"<style\b.*?</style>", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
]


def _blank(match: re.Match) -> str:
    """Remove a piece of template code but keep its newlines, so line numbers stay right."""
    return "\n" * match.group(0).count("\n") + " "


def _user_text_problems(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    for pattern in _TEMPLATE_CODE:
        source = pattern.sub(_blank, source)
    problems = []

    class Collector(HTMLParser):
        def _report(self, text: str):
            words = [
                match
                for match in re.finditer(r"[A-Za-z][A-Za-z'-]+", text)
                if match.group(0) not in ALLOWED_WORDS
            ]
            if words:
                line = self.getpos()[0] + text[: words[0].start()].count("\n")
                problems.append(f"{path.relative_to(ROOT)}:{line}: {text.strip()[:60]!r}")

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in TEXT_ATTRIBUTES and value:
                    self._report(value)

        def handle_data(self, data):
            self._report(data)

    Collector(convert_charrefs=True).feed(source)
    return problems


def test_template_text_is_marked_for_translation():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        problems += _user_text_problems(path)
    assert problems == [], "Unmarked text:\n" + "\n".join(problems)


def test_the_template_lint_finds_unmarked_text(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_i18n.ROOT", tmp_path)
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Fine" %}</h1>\n<p title="Hover me">{{ x }}</p>\n'
        "<p>Not marked</p> KAISM\n"
    )
    assert _user_text_problems(page) == [
        "page.html:2: 'Hover me'",
        "page.html:3: 'Not marked'",
    ]


# --- Pages in Indonesian ----------------------------------------------------------------


class _Chrome(HTMLParser):
    """The interface's own words: headings, table headers, labels, buttons, links, titles."""

    TAGS = {"h1", "h2", "h3", "th", "label", "button", "a", "legend", "dt", "option", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.texts: list[str] = []
        self.foreign = 0  # the depth of the open element in another language, if any

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        # Text marked as another language (the switcher names each language in its own).
        if any(name == "lang" and value != "id" for name, value in attrs) and not self.foreign:
            self.foreign = len(self.open)
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass
        if self.foreign > len(self.open):
            self.foreign = 0

    def handle_data(self, data):
        if self.open and self.open[-1] in self.TAGS and data.strip() and not self.foreign:
            self.texts.append(data.strip())


def _english_with_translation() -> set[str]:
    return {
        message.id
        for message in _messages()
        if isinstance(message.id, str) and "%" not in message.id and message.string != message.id
    }


def _pages(customer, scoring_round) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("accounts:customer_index") + "?scope=all",
        reverse("accounts:customer_detail", args=[customer.pk]),
        reverse("accounts:pareto"),
        reverse("ledger:import_index"),
        reverse("scoring:round_index"),
        reverse("scoring:round_new"),
        reverse("scoring:round_detail", args=[scoring_round.pk]),
        reverse("scoring:factor_set", args=[scoring_round.pk]),
        reverse("scoring:rating_grid", args=[scoring_round.pk]),
        reverse("scoring:round_account", args=[scoring_round.pk, customer.pk]),
        reverse("scoring:round_team", args=[scoring_round.pk]),
        reverse("scoring:round_disagreement", args=[scoring_round.pk]),
        reverse("scoring:round_sensitivity", args=[scoring_round.pk]),
        reverse("scoring:round_review", args=[scoring_round.pk]),
        reverse("scoring:round_decisions", args=[scoring_round.pk]),
        reverse("scoring:round_meeting", args=[scoring_round.pk]),
    ]


@pytest.mark.django_db
def test_every_page_in_indonesian_shows_no_english_interface_text(client, seeded):
    """Each page's headings, table headers, labels, buttons, links, options and titles.

    Free text in paragraphs is not compared, since company data (customer and factor
    names) is in whatever language the company typed; the template lint covers it.
    """
    client.login(username="admin", password="demo")
    UserPreference.objects.create(user_id=client.session["_auth_user_id"], language="id")
    session = client.session
    session[SESSION_KEY] = "id"
    session.save()
    english = _english_with_translation()
    indonesian = {m.string for m in _messages() if isinstance(m.string, str) and m.string}
    customer = Customer.objects.order_by("code").first()
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    data_words = {customer.name for customer in Customer.objects.all()} | set(
        scoring_round.factors.values_list("name", flat=True)
    )
    leftovers = {}
    for url in _pages(customer, scoring_round):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert response.headers["Content-Language"] == "id", url
        chrome = _Chrome()
        chrome.feed(response.content.decode())
        assert any(text in indonesian for text in chrome.texts), url
        found = {t for t in chrome.texts if t in english and t not in data_words}
        if found:
            leftovers[url] = sorted(found)
    assert leftovers == {}


@pytest.mark.django_db
def test_the_language_switcher_is_remembered_for_the_user(client, seeded):
    client.login(username="team", password="demo")
    assert "Dashboard" in client.get(reverse("dashboard")).content.decode()
    response = client.post(
        reverse("accounts:language_set"), {"language": "id", "next": "/customers/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    assert UserPreference.objects.get(user__username="team").language == "id"
    assert "Dasbor" in client.get(reverse("dashboard")).content.decode()
    client.logout()
    client.cookies.clear()
    client.login(username="team", password="demo")
    content = client.get(reverse("dashboard")).content.decode()
    assert "Dasbor" in content
    assert '<html lang="id">' in content


@pytest.mark.django_db
def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client, seeded):
    client.login(username="team", password="demo")
    assert client.post(reverse("accounts:language_set"), {"language": "xx"}).status_code == 400
    response = client.post(
        reverse("accounts:language_set"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_anonymous_visitors_get_their_browser_language(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="id-ID,id;q=0.9,en;q=0.5")
    assert "Masuk ke KAISM" in response.content.decode()
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Sign in to KAISM" in response.content.decode()


def _as_indonesian(client, username):
    client.login(username=username, password="demo")
    client.post(reverse("accounts:language_set"), {"language": "id"})


@pytest.mark.django_db
def test_revenue_pages_write_money_in_the_company_currency_per_language(client, seeded):
    from accounts.services import metrics_recompute

    metrics_recompute()
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    customer = Customer.objects.order_by("code").first()
    urls = [
        reverse("dashboard"),
        reverse("accounts:customer_index") + "?scope=all",
        reverse("accounts:customer_detail", args=[customer.pk]),
        reverse("accounts:pareto"),
        reverse("scoring:round_detail", args=[scoring_round.pk]),
    ]
    client.login(username="admin", password="demo")
    for url in urls:
        assert re.search(r"IDR \d{1,3}(,\d{3})+", client.get(url).content.decode()), url
    client.post(reverse("accounts:language_set"), {"language": "id"})
    for url in urls:
        content = client.get(url).content.decode()
        assert re.search(r"Rp \d{1,3}(\.\d{3})+", content), url
        assert not re.search(r"IDR \d", content), url


@pytest.mark.django_db
def test_matrix_chart_and_box_names_in_indonesian(client, seeded):
    from accounts.models import CompanySettings

    company = CompanySettings.load()
    company.box_maintenance_name = "Pertahankan"  # a name the company typed stays as typed
    company.save()
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    _as_indonesian(client, "admin")
    response = client.get(reverse("scoring:round_detail", args=[scoring_round.pk]))
    layout = response.context["figure"]["layout"]
    assert layout["separators"] == ",."
    assert layout["yaxis"]["title"]["text"] == "Daya tarik pelanggan"
    assert layout["xaxis"]["title"]["text"].startswith("Kekuatan relatif")
    boxes = {note["text"] for note in layout["annotations"]}
    assert boxes == {
        "<b>Akun kunci</b>",
        "<b>Pengembangan kunci</b>",
        "<b>Pertahankan</b>",
        "<b>Oportunistik</b>",
    }
    assert "Rp " in response.context["figure"]["data"][0]["hovertext"][0]


@pytest.mark.django_db
def test_exports_have_headers_in_the_reader_language(client, seeded):
    _as_indonesian(client, "admin")
    response = client.get(reverse("accounts:customer_export") + "?scope=all&format=csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Kode,Nama,Nilai (ukuran tier),Pendapatan")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "id"])
def test_the_switcher_names_each_language_in_its_own_language(client, admin_user, language):
    client.force_login(admin_user)
    session = client.session
    session[SESSION_KEY] = language
    session.save()
    page = client.get(reverse("dashboard")).content.decode()
    options = re.findall(r'<option value="(\w+)" lang="\1"[^>]*>\s*([^<]+?)\s*</option>', page)
    assert options == [("en", "English"), ("id", "Bahasa Indonesia")]
