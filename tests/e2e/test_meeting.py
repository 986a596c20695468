"""The meeting in the browser: the consensus cell's suggestion, the projector view's fit,
stepping through a subset of accounts, and the chart's labels."""

import statistics
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from scoring.models import Consensus, Decision, Rating, ScoringRound
from scoring.selectors import meeting_agenda, round_matrix


@pytest.fixture
def meeting_round(demo_site):
    """The demo's current round, in its meeting (the demo leaves it there)."""
    scoring_round = ScoringRound.objects.get(name="Key account selection 2026")
    assert scoring_round.status == ScoringRound.Status.MEETING
    return scoring_round


def test_enter_on_the_suggested_median_records_it_as_the_consensus(login, demo_site, meeting_round):
    page = login("team")
    page.goto(f"{demo_site.url}/rounds/{meeting_round.pk}/disagreement/")
    first = page.locator("tr[data-cell]").first
    consensus = first.locator("input.rating-input")
    suggested = consensus.input_value()
    consensus.focus()
    with page.expect_response("**/consensus/") as saved:
        consensus.press("Enter")
    assert saved.value.status == 200
    expect(first.locator(".cell-msg.ok")).to_have_text("Agreed")

    # The value recorded is the median of the cell's ratings, computed here from the rows.
    recorded = Consensus.objects.get(round=meeting_round)
    values = Rating.objects.filter(
        round=meeting_round,
        customer=recorded.customer,
        factor=recorded.factor,
        competitor=recorded.competitor,
    ).values_list("value", flat=True)
    median = statistics.median(values)
    assert recorded.value == median
    assert Decimal(suggested) == median


PROJECTOR = {"width": 1920, "height": 1080}


def _meeting(page, demo_site, scoring_round, query=""):
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{demo_site.url}/rounds/{scoring_round.pk}/meeting/{query}")
    page.wait_for_selector(".meeting-chart .main-svg")


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def _inside(inner, outer, slack=0.5):
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


def test_on_a_projector_chart_scores_and_decision_fit_one_screen(login, demo_site, meeting_round):
    page = login("team")
    # The first account, and one the team rated too (more columns): both fit.
    for query in ("", "?subset=disagreement"):
        _meeting(page, demo_site, meeting_round, query)
        screen = {"x": 0, "y": 0, **PROJECTOR}
        assert page.evaluate("document.documentElement.scrollHeight") <= PROJECTOR["height"]
        for selector in (".meeting-chart .main-svg", "table.meeting-ratings", "#decision-form"):
            assert _inside(_box(page, selector), screen), selector
        # The scores are all in view: their box does not scroll.
        assert page.evaluate(
            "(() => { const w = document.querySelector('.meeting-ratings-wrap');"
            " return w.scrollHeight <= w.clientHeight; })()"
        )


def test_the_team_steps_through_the_accounts_near_a_cut_off(login, demo_site, meeting_round):
    matrix = round_matrix(scoring_round=meeting_round)
    agenda = meeting_agenda(scoring_round=meeting_round, matrix=matrix)
    near = [matrix.customers[row].name for row in agenda.subsets["cutoff"]]
    page = login("team")
    _meeting(page, demo_site, meeting_round)
    expect(page.locator("[data-meeting-position]")).to_have_text(
        f"Account 1 of {len(agenda.order)}"
    )
    page.get_by_label("Step through").select_option("cutoff")
    position = page.locator("[data-meeting-position]")
    expect(position).to_have_text(f"Account 1 of {len(near)}")
    expect(page.locator("[data-meeting-progress]")).to_contain_text(f"Decided 0 of {len(near)}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(near[0])
    # The keys step only when no field has the focus (the chooser keeps it after the swap).
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    expect(position).to_have_text(f"Account 2 of {len(near)}")
    expect(heading).to_contain_text(near[1])
    assert "subset=cutoff" in page.url

    # Undecided only: the account decided is skipped, the progress counts it.
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decision-form [role=status]")).to_have_text("Decision recorded.")
    page.get_by_label("Undecided only").check()
    expect(position).to_have_text(f"Account 1 of {len(near) - 1}")
    expect(page.locator("[data-meeting-progress]")).to_contain_text(f"Decided 1 of {len(near)}")
    expect(heading).to_contain_text(near[0])
    page.get_by_role("link", name="Next →").click()
    expect(heading).to_contain_text(near[2])
    decided = Decision.objects.get(round=meeting_round)
    assert decided.customer.name == near[1]


def _label_clear_of_bubbles(page) -> list[str]:
    """What the highlighted account's label covers on the drawn chart: other bubbles (their
    circles as drawn; its own, under the ring, aside) and box names."""
    return page.evaluate(
        """(() => {
      const chart = document.querySelector('.meeting-chart .js-plotly-plot');
      const labels = Array.from(chart.querySelectorAll('.annotation'));
      // The label's box (its background), not the line tying it to the bubble.
      const label = labels[labels.length - 1].querySelector('rect.bg').getBoundingClientRect();
      const covered = [];
      const traces = Array.from(chart.querySelectorAll('.scatterlayer .trace'));
      const ring = traces[traces.length - 1].querySelector('path.point').getBoundingClientRect();
      const [rx, ry] = [ring.x + ring.width / 2, ring.y + ring.height / 2];
      traces.slice(0, -1).forEach((trace) => trace.querySelectorAll('path.point').forEach((p) => {
        const b = p.getBoundingClientRect();
        const r = b.width / 2, cx = b.x + r, cy = b.y + r;
        if (Math.hypot(cx - rx, cy - ry) < 1) return;  // the account's own bubble
        const dx = Math.max(label.left - cx, 0, cx - label.right);
        const dy = Math.max(label.top - cy, 0, cy - label.bottom);
        if (Math.hypot(dx, dy) < r - 0.5) covered.push(`bubble at ${cx},${cy}`);
      }));
      labels.slice(0, 4).forEach((corner) => {
        const b = corner.querySelector('.annotation-text').getBoundingClientRect();
        if (b.left < label.right && label.left < b.right && b.top < label.bottom
            && label.top < b.bottom) covered.push(corner.textContent);
      });
      return covered;
    })()"""
    )


def _corner_labels_inside_the_plot(page) -> list[str]:
    return page.evaluate(
        """(() => {
      const chart = document.querySelector('.meeting-chart .js-plotly-plot');
      const plot = chart.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
      const corners = Array.from(chart.querySelectorAll('.annotation')).slice(0, 4);
      return corners.filter((corner) => {
        const b = corner.querySelector('.annotation-text').getBoundingClientRect();
        return b.left < plot.left - 0.5 || b.right > plot.right + 0.5
          || b.top < plot.top - 0.5 || b.bottom > plot.bottom + 0.5;
      }).map((corner) => corner.textContent);
    })()"""
    )


def test_the_highlighted_label_and_the_box_names_stay_clear(login, demo_site, meeting_round):
    page = login("team")
    # The most attractive accounts, in the crowded top of the matrix, one after another.
    _meeting(page, demo_site, meeting_round)
    for step in range(5):
        assert _label_clear_of_bubbles(page) == [], f"step {step + 1}"
        assert _corner_labels_inside_the_plot(page) == []
        page.keyboard.press("n")
        expect(page.locator("[data-meeting-position]")).to_contain_text(f"Account {step + 2} of")
        page.wait_for_selector(".meeting-chart .main-svg")
    # With high strength on the right, the box names still run inwards, the label mirrors.
    page.get_by_role("button", name="Flip strength axis").click()
    page.wait_for_timeout(300)
    assert _corner_labels_inside_the_plot(page) == []
    assert _label_clear_of_bubbles(page) == []
