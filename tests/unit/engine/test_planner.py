"""make_plan end to end on plain data: the stages together, no HTTP anywhere."""

from __future__ import annotations

from pathlib import Path

from revsync.core.desired import DesiredState
from revsync.core.live import LiveState
from revsync.engine.planner import PlanOptions, PlanResult, make_plan
from revsync.manifest.load import load

from .builders import ACCOUNT, API_URL, desired, elements, entry, live, obj

ELEMENTS = "/v2/api/metering-element-definitions"


def _plan(state: DesiredState, now: LiveState, **options) -> PlanResult:
    return make_plan(state, now, ACCOUNT, API_URL, PlanOptions(**options))


def _catalog() -> DesiredState:
    return desired(
        entry(
            "products",
            name="Pro",
            plan={
                "name": "p",
                "type": "SUBSCRIPTION",
                "currency": "USD",
                "elements": [{"name": "use", "type": "SUM", "element": "tokens", "unitAmount": 1}],
            },
        ),
        entry("meteringElements", name="tokens", type="NUMBER"),
    )


def test_creates_come_after_what_they_reference_which_they_name_by_placeholder() -> None:
    result = _plan(_catalog(), live())
    plan = result.plan
    assert result.problems == [] and result.breaches == []
    assert [(c.action, c.key) for c in plan.changes] == [
        ("create", "meteringElements/tokens"),
        ("create", "products/Pro"),
    ]
    product = plan.changes[1]
    assert product.depends_on == ["meteringElements/tokens"]
    [post] = product.steps
    assert (post.method, post.path, post.capture_id) == ("POST", "/v2/api/products", True)
    assert post.body["plan"]["elements"][0]["elementDefinitionId"] == {
        "$ref": "meteringElements/tokens"
    }
    assert post.body["teamId"] == "team1" and post.body["ownerId"] == "owner1"
    assert post.lookup is not None and post.lookup.match == {"name": "Pro"}
    assert plan.summary() == "Plan: 2 to create, 0 to update, 0 to delete."
    assert plan.target == {"api_url": API_URL, "team_id": "team1", "tenant_id": "tenant1"}


def test_every_entry_naming_one_object_depends_on_it_and_gets_its_own_placeholder() -> None:
    """Names resolve once per plan; each entry still records its dependency."""
    plan_of = {
        "name": "p",
        "type": "SUBSCRIPTION",
        "currency": "USD",
        "elements": [{"name": "use", "type": "SUM", "element": "tokens", "unitAmount": 1}],
    }
    state = desired(
        entry("products", name="Pro", plan=plan_of),
        entry("products", name="Team", plan=plan_of),
        entry("meteringElements", name="tokens", type="NUMBER"),
    )
    changes = {c.key: c for c in _plan(state, live()).plan.changes}
    for key in ("products/Pro", "products/Team"):
        assert changes[key].depends_on == ["meteringElements/tokens"]
    refs = [
        changes[k].steps[0].body["plan"]["elements"][0]["elementDefinitionId"]
        for k in ("products/Pro", "products/Team")
    ]
    assert refs == [{"$ref": "meteringElements/tokens"}] * 2 and refs[0] is not refs[1]


def test_an_account_in_sync_plans_nothing() -> None:
    state = desired(entry("meteringElements", name="tokens", type="NUMBER", description="d"))
    now = live(
        obj(
            "meteringElements",
            "me1",
            name="tokens",
            type="NUMBER",
            description="d",
            teamId="team1",
            created="2024-01-01T00:00:00Z",
            _links={},
        )
    )
    plan = _plan(state, now).plan
    assert plan.changes == [] and plan.unchanged == 1 and not plan.refused
    assert plan.fingerprints == {"meteringElements:me1": now.all()[0].fingerprint()}


def test_a_difference_becomes_an_update_of_the_live_id() -> None:
    state = desired(entry("meteringElements", name="tokens", type="NUMBER", description="new"))
    now = live(obj("meteringElements", "me1", name="tokens", type="NUMBER", description="old"))
    [change] = _plan(state, now).plan.changes
    assert (change.action, change.live_id) == ("update", "me1")
    assert [(f.path, f.old, f.new) for f in change.fields] == [("description", "old", "new")]
    [put] = change.steps
    assert (put.method, put.path) == ("PUT", ELEMENTS + "/{id}")
    assert put.body == {"name": "tokens", "type": "NUMBER", "description": "new", "teamId": "team1"}


def test_without_prune_extra_objects_are_only_noted() -> None:
    state = desired(entry("meteringElements", name="tokens", type="NUMBER"))
    plan = _plan(state, live(*elements("tokens", "calls"))).plan
    assert plan.changes == []
    assert [u.name for u in plan.unmanaged] == ["calls"]
    assert plan.notes == [
        "1 live object of managed kinds are not in the manifests (not deleted without --prune)"
    ]


def test_prune_deletes_extra_objects_after_their_referrers() -> None:
    state = desired(entry("meteringElements", name="tokens", type="NUMBER"), managed=("products",))
    now = live(
        *elements("tokens", "calls"),
        obj("products", "p1", name="Old", plan={"elements": [{"elementDefinitionId": "me2"}]}),
    )
    plan = _plan(state, now, prune=True).plan
    by_key = {c.key: c for c in plan.changes}
    assert set(by_key) == {"meteringElements/calls#me2", "products/Old#p1"}
    assert by_key["meteringElements/calls#me2"].depends_on == ["products/Old#p1"]
    [delete] = by_key["meteringElements/calls#me2"].steps
    assert (delete.method, delete.missing_ok) == ("DELETE", True)
    assert plan.options["prune"] is True


def test_settings_prune_works_like_the_flag() -> None:
    state = desired(entry("meteringElements", name="tokens", type="NUMBER"), prune=True)
    plan = _plan(state, live(*elements("tokens", "calls"))).plan
    assert [c.action for c in plan.changes] == ["delete"]


def test_an_unresolvable_reference_is_a_problem_not_a_change() -> None:
    state = desired(
        entry("products", name="Pro", plan={"elements": [{"element": "nope"}]}),
        entry("meteringElements", name="tokens", type="NUMBER"),
    )
    result = _plan(state, live())
    assert [p.code for p in result.problems] == ["ref.unknown"]
    assert [c.key for c in result.plan.changes] == ["meteringElements/tokens"]


def test_a_refused_entry_blocks_what_references_it() -> None:
    now = live(*elements("tokens", "tokens"))
    plan = _plan(_catalog(), now).plan
    assert plan.changes == []
    reasons = {r.address: r.reason for r in plan.refusals}
    assert "2 live meteringElements match 'tokens'" in reasons["meteringElements/tokens"]
    assert "depends on meteringElements/tokens, which this plan refuses" in reasons["products/Pro"]
    assert plan.refused


def test_mass_deletes_are_refused_unless_allowed() -> None:
    state = desired(entry("meteringElements", name="e0", type="NUMBER"), prune=True)
    now = live(*elements(*(f"e{i}" for i in range(10))))
    result = _plan(state, now)
    assert result.plan.safety == [
        "refusing to delete 9 of 10 meteringElements (90% > maxDeletePercent 30%); "
        "pass --allow-mass-delete if you mean it"
    ]
    assert result.plan.refused
    allowed = _plan(state, now, allow_mass_delete=True)
    assert allowed.plan.safety == [] and len(allowed.plan.changes) == 9


def test_the_update_threshold_is_off_by_default_and_refuses_once_set() -> None:
    names = [f"e{i}" for i in range(10)]
    entries = [entry("meteringElements", name=n, type="STRING") for n in names]
    now = live(*elements(*names))
    assert _plan(desired(*entries), now).plan.safety == []
    result = _plan(desired(*entries, max_update_percent=50), now)
    assert result.plan.safety == [
        "refusing to update 10 of 10 meteringElements (100% > maxUpdatePercent 50%); "
        "raise settings.maxUpdatePercent if you mean it"
    ]
    assert _plan(desired(*entries, max_update_percent=50), now, allow_mass_delete=True).plan.safety


def test_targets_keep_what_they_depend_on_and_drop_the_rest() -> None:
    state = _catalog()
    state.entries["organizations"] = [entry("organizations", name="Acme")]
    plan = _plan(state, live(), targets=("products/Pro",)).plan
    assert sorted(c.key for c in plan.changes) == ["meteringElements/tokens", "products/Pro"]


def test_sensitive_values_stay_out_of_steps_but_in_the_plan_secrets(tmp_path: Path) -> None:
    path = tmp_path / "slack.yaml"
    path.write_text(
        "version: 1\nslackConfigurations:\n"
        "  - name: finops\n    channelName: '#finops'\n    webhookUrl: ${HOOK}\n"
    )
    loaded = load([str(path)], env={"HOOK": "https://hooks.slack.com/services/T/B/hush-hush"})
    assert loaded.ok, loaded.errors
    plan = _plan(loaded.state, live()).plan
    [post] = plan.changes[0].steps
    token = "slackConfigurations/finops|webhookUrl"
    assert post.body["webhookUrl"] == {"$secret": token}
    assert plan.secrets == {token: "https://hooks.slack.com/services/T/B/hush-hush"}
    assert "hush-hush" not in str(plan.to_dict())
