"""Planning kinds as their reads end gives the plan of planning everything at the end."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from revsync.core.desired import DesiredState
from revsync.core.live import LiveState
from revsync.engine.executor import Executor
from revsync.engine.live import kinds_to_read, read_live
from revsync.engine.planner import Planner, PlanOptions, PlanResult, make_plan
from revsync.manifest.load import load

from .builders import ACCOUNT, API_URL
from .fake_api import FakeApi

BEFORE = """
meteringElements:
  - {name: tokens, type: NUMBER}
  - {name: calls, type: NUMBER}
products:
  - name: Metered
    plan: {name: Metered monthly, type: SUBSCRIPTION, currency: USD,
       elements: [{name: use, type: SUM, element: calls, unitAmount: 1}]}
  - name: Pro
    plan: {name: Pro monthly, type: SUBSCRIPTION, currency: USD, period: MONTH, charge: 49}
  - name: Team
    plan: {name: Team monthly, type: SUBSCRIPTION, currency: USD, period: MONTH, charge: 99}
organizations:
  - name: Acme
  - name: Acme EU
  - name: Initech
subscribers:
  - email: ops@acme.example
  - email: it@initech.example
subscriptions:
  - name: acme-pro
    product: Pro
    subscriber: OPS@acme.example
    organization: Acme
    namedOrganizations: [Acme EU, Acme]
    start: 2026-01-01T00:00:00Z
  - name: initech-team
    product: Team
    subscriber: it@initech.example
    organization: Initech
    start: 2026-01-01T00:00:00Z
"""

# the changes: a renamed element and organization (previousNames), a new price, a new
# product and organization, a subscription moved to the new product, a new subscription,
# and one naming a product that exists nowhere (a problem)
AFTER = (
    BEFORE.replace(
        "  - {name: calls, type: NUMBER}",
        "  - {name: api-calls, type: NUMBER, previousNames: [calls]}",
    )
    .replace("element: calls,", "element: api-calls,")
    .replace("charge: 49}", "charge: 59}")
    .replace(
        "charge: 99}\n",
        "charge: 99}\n  - name: Scale\n"
        "    plan: {name: Scale monthly, type: SUBSCRIPTION, currency: USD, charge: 499}\n",
    )
    .replace("  - name: Acme EU\n", "  - name: Acme Europe\n    previousNames: [Acme EU]\n")
    .replace("  - name: Initech\n", "  - name: Initech\n  - name: Globex\n")
    .replace("[Acme EU, Acme]", "[Acme Europe, Acme]")
    .replace("    product: Team\n", "    product: Scale\n")
    + """  - name: globex-team
    product: Team
    subscriber: it@initech.example
    organization: Globex
    start: 2026-02-01T00:00:00Z
  - name: nowhere
    product: Enterprise
    subscriber: it@initech.example
    start: 2026-02-01T00:00:00Z
"""
)


def _state(tmp_path: Path, text: str) -> DesiredState:
    path = tmp_path / "manifest.yaml"
    path.write_text(text)
    loaded = load([str(path)])
    assert loaded.ok, loaded.errors
    return loaded.state


def _comparable(result: PlanResult) -> dict:
    data = result.plan.to_dict()
    data.pop("created")
    data["problems"] = [str(p) for p in result.problems]
    data["breaches"] = [b.describe() for b in result.breaches]
    return data


@pytest.fixture
def account(tmp_path: Path) -> FakeApi:
    api = FakeApi()
    state = _state(tmp_path, BEFORE)
    live = read_live(api, ACCOUNT, kinds_to_read(state, False))
    plan = make_plan(state, live, ACCOUNT, API_URL, PlanOptions()).plan
    assert Executor(api, plan, 2).run().ok
    return api


@pytest.mark.parametrize("seed", range(6))
def test_kinds_planned_in_any_order_of_their_reads_give_the_same_plan(
    account: FakeApi, tmp_path: Path, seed: int
) -> None:
    state = _state(tmp_path, AFTER)
    needed = kinds_to_read(state, False)
    expected = make_plan(
        state, read_live(account, ACCOUNT, needed, prepare=True), ACCOUNT, API_URL, PlanOptions()
    )
    assert expected.plan.has_changes and expected.problems  # the plan shows something
    keys = [c.key for c in expected.plan.changes]
    # a renamed element keeps its id: the product naming it by its new name is unchanged
    assert "meteringElements/api-calls" in keys and "products/Metered" not in keys

    state = _state(tmp_path, AFTER)  # prepared forms are used once: a fresh load
    live = read_live(account, ACCOUNT, needed, prepare=True)
    planner = Planner(state, ACCOUNT, API_URL, PlanOptions())
    arriving = LiveState(read_kinds=list(needed))
    order = list(needed)
    random.Random(seed).shuffle(order)
    for name in order:
        arriving.objects[name] = live.objects[name]
        planner.kind_read(arriving, name)
    assert planner._planned, "nothing was planned early"
    assert _comparable(planner.finish(live)) == _comparable(expected)


def test_with_prune_nothing_is_planned_before_every_kind_is_read(account: FakeApi) -> None:
    state = DesiredState()
    planner = Planner(state, ACCOUNT, API_URL, PlanOptions(prune=True))
    live = read_live(account, ACCOUNT, ["meteringElements"], prepare=True)
    planner.kind_read(live, "meteringElements")
    assert not planner._planned
