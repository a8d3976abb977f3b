"""The executor on the in-memory FakeApi: order, skips, catch-all, lost creates, stopping."""

from __future__ import annotations

from revsync import kinds
from revsync.core.desired import DesiredState
from revsync.engine.executor import Executor
from revsync.engine.live import read_live
from revsync.engine.plan import Plan
from revsync.engine.planner import PlanOptions, make_plan
from revsync.engine.report import ApplyReport

from .builders import ACCOUNT, API_URL, desired, entry
from .fake_api import FakeApi

ELEMENTS = "/v2/api/metering-element-definitions"
PRODUCTS = "/v2/api/products"
ORGS = "/v2/api/organizations"


def _catalog() -> DesiredState:
    return desired(
        entry("products", name="Pro", plan={"elements": [{"name": "use", "element": "tokens"}]}),
        entry("meteringElements", name="tokens", type="NUMBER"),
        entry("organizations", name="Acme"),
    )


def _plan(fake: FakeApi, state: DesiredState, **options) -> Plan:
    now = read_live(fake, ACCOUNT, kinds.names())
    result = make_plan(state, now, ACCOUNT, API_URL, PlanOptions(**options))
    assert not result.problems and not result.plan.refused
    return result.plan


def _apply(fake: FakeApi, plan: Plan, parallelism: int = 4, window: float = 0.05) -> ApplyReport:
    fake.calls.clear()
    return Executor(fake, plan, parallelism, lookup_window=window).run()


def _statuses(report: ApplyReport) -> dict[str, str]:
    return {r.key: r.status for r in report.results}


def test_dependencies_are_created_first_and_their_ids_filled_in() -> None:
    fake = FakeApi()
    report = _apply(fake, _plan(fake, _catalog()))
    assert report.ok and report.summary() == "Apply complete: 3 created, 0 updated, 0 deleted."
    [element] = fake.objects(ELEMENTS)
    [product] = fake.objects(PRODUCTS)
    assert product["plan"]["elements"][0]["elementDefinitionId"] == element["id"]
    posts = [c.path for c in fake.writes()]
    assert posts.index(ELEMENTS) < posts.index(PRODUCTS)
    assert {r.key: r.id for r in report.results}["products/Pro"] == product["id"]


def test_a_second_apply_of_the_same_manifests_has_nothing_to_do() -> None:
    fake = FakeApi()
    _apply(fake, _plan(fake, _catalog()))
    assert _plan(fake, _catalog()).changes == []


def test_updates_and_deletes_address_the_live_id() -> None:
    fake = FakeApi()
    kept = fake.seed(ELEMENTS, {"name": "tokens", "type": "NUMBER", "teamId": "team1"})
    gone = fake.seed(ELEMENTS, {"name": "calls", "type": "NUMBER", "teamId": "team1"})
    state = desired(entry("meteringElements", name="tokens", type="STRING"), prune=True)
    report = _apply(fake, _plan(fake, state))
    assert report.ok
    assert sorted((c.method, c.path) for c in fake.writes()) == [
        ("DELETE", f"{ELEMENTS}/{gone['id']}"),
        ("PUT", f"{ELEMENTS}/{kept['id']}"),
    ]
    assert [o["type"] for o in fake.objects(ELEMENTS)] == ["STRING"]


def test_a_delete_of_an_object_already_gone_counts_as_done() -> None:
    fake = FakeApi()
    gone = fake.seed(ELEMENTS, {"name": "calls", "type": "NUMBER", "teamId": "team1"})
    plan = _plan(fake, desired(managed=("meteringElements",), prune=True))
    del fake.store[ELEMENTS][gone["id"]]
    report = _apply(fake, plan)
    assert report.ok and _statuses(report) == {f"meteringElements/calls#{gone['id']}": "deleted"}


def test_a_failure_skips_its_dependants_and_independent_work_finishes() -> None:
    fake = FakeApi()
    plan = _plan(fake, _catalog())
    fake.fail("POST", ELEMENTS, status=400)
    report = _apply(fake, plan)
    assert _statuses(report) == {
        "meteringElements/tokens": "failed",
        "organizations/Acme": "created",
        "products/Pro": "skipped",
    }
    results = {r.key: r for r in report.results}
    assert results["meteringElements/tokens"].error == f"POST {ELEMENTS}: HTTP 400"
    assert results["products/Pro"].error == (
        "not attempted: depends on meteringElements/tokens, which failed"
    )
    assert not report.ok and fake.objects(PRODUCTS) == []
    assert report.summary().startswith("Apply failed: 1 created")


def test_any_exception_becomes_a_failed_change_and_a_report(monkeypatch) -> None:
    fake = FakeApi()
    plan = _plan(fake, _catalog())
    fake.add_secret("s3cr3t-value")
    real = fake.request

    def broken(method, path, *args, **kwargs):
        if path == ORGS:
            raise KeyError("answer field s3cr3t-value missing")
        return real(method, path, *args, **kwargs)

    monkeypatch.setattr(fake, "request", broken)
    report = _apply(fake, plan)
    results = {r.key: r for r in report.results}
    assert results["organizations/Acme"].status == "failed"
    assert results["organizations/Acme"].error == (
        "internal error: KeyError: 'answer field [redacted] missing'"
    )
    assert results["products/Pro"].status == "created"


def test_a_lost_create_that_committed_is_found_not_sent_again() -> None:
    fake = FakeApi()
    plan = _plan(fake, desired(entry("meteringElements", name="tokens", type="NUMBER")))
    fake.lose_answer("POST", ELEMENTS, commit=True)
    report = _apply(fake, plan)
    [result] = report.results
    [stored] = fake.objects(ELEMENTS)
    assert (result.status, result.recovered, result.id) == ("created", True, stored["id"])
    assert [c.method for c in fake.writes()] == ["POST"]


def test_a_lost_create_that_did_not_commit_is_sent_again_after_looking() -> None:
    fake = FakeApi()
    plan = _plan(fake, desired(entry("meteringElements", name="tokens", type="NUMBER")))
    fake.lose_answer("POST", ELEMENTS, commit=False)
    report = _apply(fake, plan)
    assert report.ok and len(fake.objects(ELEMENTS)) == 1
    methods = [c.method for c in fake.calls]
    assert methods[0] == "POST" and methods[-1] == "POST" and "GET" in methods


def test_a_conflict_on_the_first_create_is_someone_elses_object() -> None:
    """Not adopted as "created": the object appeared after the plan, and not through us."""
    fake = FakeApi()
    plan = _plan(fake, desired(entry("meteringElements", name="tokens", type="NUMBER")))
    fake.seed(ELEMENTS, {"name": "tokens", "type": "NUMBER", "teamId": "team1", "id": "x9"})
    fake.fail("POST", ELEMENTS, status=409)
    [result] = _apply(fake, plan).results
    assert result.status == "failed" and not result.recovered
    assert len(fake.objects(ELEMENTS)) == 1


def test_an_unreachable_api_stops_new_work_and_says_so() -> None:
    fake = FakeApi()
    plan = _plan(fake, _catalog())
    fake.go_away()
    report = _apply(fake, plan, parallelism=1)
    assert len(fake.calls) == 1
    assert report.stopped and "the API is unreachable" in report.stopped
    statuses = _statuses(report)
    assert sorted(statuses.values()) == ["failed", "skipped", "skipped"]
    skipped = [r.error for r in report.results if r.status == "skipped"]
    assert any(e and e.startswith("not attempted: the API is unreachable") for e in skipped)
    assert not report.ok


def test_secrets_are_filled_at_apply_and_missing_ones_fail_the_change() -> None:
    fake = FakeApi()
    state = desired(entry("slackConfigurations", name="ops", channelName="#o", webhookUrl="h"))
    state.entries["slackConfigurations"][0].sensitive = frozenset({("webhookUrl",)})
    plan = _plan(fake, state)
    assert plan.secrets == {"slackConfigurations/ops|webhookUrl": "h"}
    plan.secrets = {}
    [result] = _apply(fake, plan).results
    assert result.status == "failed" and "is not available" in (result.error or "")
    assert fake.writes() == []


def test_an_interrupt_still_returns_a_report_of_everything() -> None:
    """Ctrl-C reaches the main thread (here: while it reports the first change done)."""
    fake = FakeApi()
    plan = _plan(fake, _catalog())

    def on_event(what, change, result) -> None:
        if what == "done":
            raise KeyboardInterrupt

    report = Executor(fake, plan, 1, on_event, lookup_window=0.05).run()
    assert report.interrupted and not report.ok
    assert [r.status for r in report.results] == ["created", "skipped", "skipped"]
    assert report.results[1].error == "not attempted: apply was interrupted"
    assert len(fake.writes()) == 1
