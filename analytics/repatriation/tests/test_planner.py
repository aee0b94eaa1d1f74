"""The repatriation planner: rules, objective, bound, first-come-first-served, input errors (no Django)."""

import copy
import itertools
import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.repatriation import ProblemError, fcfs, loads, objective, parse, solve, violations


def problem(people, movements, start="2025-03-03", horizon=10, daily=None):
    return parse({"start_date": start, "horizon_days": horizon, "daily_capacity": daily or {},
                  "people": [dict({"group": None, "weight": 1}, **p) for p in people], "movements": movements})


def person(pid, dest, ready, weight=1, group=None):
    return {"id": pid, "destination": dest, "ready_date": ready, "weight": weight, "group": group}


def movement(mid, day, dests, capacity):
    return {"id": mid, "date": day, "destinations": list(dests), "capacity": capacity}


def check(p, plan):
    assert violations(p, plan.assignments) == []
    return plan


# --------------------------------------------------------------------------- hand-checked instances
def test_optimal_beats_first_come_first_served():
    # a (VNM, ready 1 Mar) comes first and FCFS puts it on the only bus that also serves Laos; b (LAO) then
    # has nothing. The optimum sends a on the next day's VNM-only bus and b on the shared one.
    p = problem([person("a", "VNM", "2025-03-01"), person("b", "LAO", "2025-03-02")],
                [movement("shared", "2025-03-03", ["VNM", "LAO"], 1), movement("vnm", "2025-03-04", ["VNM"], 1)])
    base = check(p, fcfs(p))
    assert base.assignments == {"a": "shared"}
    assert base.objective == 2 + 11  # a waits 2 days; b counts to 13 Mar (start + 10) from 2 Mar
    plan = check(p, solve(p))
    assert plan.assignments == {"a": "vnm", "b": "shared"}
    assert plan.objective == 3 + 1
    assert plan.lower_bound == 4
    assert plan.to_json()["objective"] == 4


def test_weight_decides_who_takes_the_last_seat():
    p = problem([person("a", "IND", "2025-03-03", weight=1), person("b", "IND", "2025-03-03", weight=3)],
                [movement("c17", "2025-03-05", ["IND"], 1)])
    plan = check(p, solve(p))
    assert plan.assignments == {"b": "c17"}
    assert plan.objective == 3 * 2 + 1 * 10
    assert fcfs(p).assignments == {"a": "c17"}  # same ready date: id order


def test_movement_before_the_ready_date_is_not_used():
    p = problem([person("a", "CHN", "2025-03-05")],
                [movement("early", "2025-03-04", ["CHN"], 50), movement("late", "2025-03-07", ["CHN"], 50)])
    assert check(p, solve(p)).assignments == {"a": "late"}
    assert check(p, fcfs(p)).assignments == {"a": "late"}


def test_movement_must_serve_the_destination():
    p = problem([person("a", "ETH", "2025-03-03")], [movement("m", "2025-03-04", ["KEN", "UGA"], 80)])
    plan = check(p, solve(p))
    assert plan.assignments == {}
    assert plan.objective == 10 and plan.lower_bound == 10


def test_movement_capacity():
    p = problem([person(f"p{i}", "PHL", "2025-03-03") for i in range(5)], [movement("pr", "2025-03-04", ["PHL"], 3)])
    plan = check(p, solve(p))
    assert sorted(plan.assignments) == ["p0", "p1", "p2"]  # ties go to the earliest ids
    assert plan.objective == 3 * 1 + 2 * 10


def test_daily_capacity_counts_every_movement_of_the_day():
    people = [person(f"p{i}", "IDN", "2025-03-03") for i in range(4)]
    movements = [movement("a", "2025-03-04", ["IDN"], 2), movement("b", "2025-03-04", ["IDN"], 2),
                 movement("c", "2025-03-06", ["IDN"], 4)]
    p = problem(people, movements, daily={"2025-03-04": 3})
    plan = check(p, solve(p))
    assert sum(1 for m in plan.assignments.values() if m in {"a", "b"}) == 3
    assert list(plan.assignments.values()).count("c") == 1
    assert plan.objective == 3 * 1 + 3
    # a date missing from daily_capacity has no limit
    free = problem(people, movements)
    assert check(free, solve(free)).objective == 4


def test_zero_daily_capacity_closes_the_day():
    p = problem([person("a", "CHN", "2025-03-03")], [movement("sat", "2025-03-08", ["CHN"], 300)],
                daily={"2025-03-08": 0})
    assert check(p, solve(p)).assignments == {} and check(p, fcfs(p)).assignments == {}


def test_group_boards_together_on_a_movement_serving_every_member():
    people = [person("k", "KEN", "2025-03-03", group="fam"), person("u", "UGA", "2025-03-05", group="fam"),
              person("solo", "KEN", "2025-03-03")]
    movements = [movement("kq", "2025-03-04", ["KEN"], 10), movement("et", "2025-03-06", ["KEN", "UGA"], 10)]
    p = problem(people, movements)
    plan = check(p, solve(p))
    assert plan.assignments == {"k": "et", "u": "et", "solo": "kq"}
    assert plan.objective == 3 + 1 + 1
    assert check(p, fcfs(p)).assignments == plan.assignments


def test_group_larger_than_the_seats_left_stays_together():
    people = [person(f"g{i}", "NPL", "2025-03-03", group="G") for i in range(3)] + [person("s", "NPL", "2025-03-03")]
    p = problem(people, [movement("m", "2025-03-04", ["NPL"], 2)])
    plan = check(p, solve(p))
    assert plan.assignments == {"s": "m"}
    # the group outweighs one person once its weight is larger
    heavy = problem([dict(q, weight=1) for q in people[:3]] + [dict(people[3], weight=5)],
                    [movement("m", "2025-03-04", ["NPL"], 3)])
    assert check(heavy, solve(heavy)).assignments == {"s": "m"}
    light = problem(people, [movement("m", "2025-03-04", ["NPL"], 3)])
    assert sorted(check(light, solve(light)).assignments) == ["g0", "g1", "g2"]


def test_unassigned_penalty_counts_to_the_horizon_end():
    p = problem([person("a", "UGA", "2025-03-01", weight=2), person("b", "UGA", "2025-03-10", weight=0.5)], [],
                horizon=20)
    plan = check(p, solve(p))
    end = date(2025, 3, 23)
    assert plan.objective == 2 * (end - date(2025, 3, 1)).days + 0.5 * (end - date(2025, 3, 10)).days
    assert plan.lower_bound == pytest.approx(plan.objective)
    assert objective(p, {"a": None}) == plan.objective


def test_ready_dates_before_the_start_count_from_the_ready_date():
    p = problem([person("a", "VNM", "2025-02-01")], [movement("bus", "2025-02-18", ["VNM"], 45)],
                start="2025-02-17", horizon=60)
    plan = check(p, solve(p))
    assert plan.assignments == {"a": "bus"} and plan.objective == 17


def test_movement_after_the_horizon_is_never_worth_it_but_fcfs_takes_it():
    p = problem([person("a", "LKA", "2025-03-03")], [movement("late", "2025-03-20", ["LKA"], 10)])
    assert check(p, solve(p)).assignments == {}
    base = check(p, fcfs(p))
    assert base.assignments == {"a": "late"} and base.objective == 17


def test_weight_zero_people_are_still_moved_when_there_is_room():
    p = problem([person("z", "MYS", "2025-03-03", weight=0), person("w", "MYS", "2025-03-03")],
                [movement("m", "2025-03-05", ["MYS"], 1), movement("n", "2025-03-06", ["MYS"], 1)])
    plan = check(p, solve(p))
    assert plan.assignments == {"z": "n", "w": "m"}


def test_deterministic_and_contract_shape():
    p = problem([person(f"p{i}", "CHN" if i % 3 else "TWN", f"2025-03-0{1 + i % 5}", group=f"g{i // 4}" if i < 8 else None)
                 for i in range(20)],
                [movement("cz1", "2025-03-04", ["CHN"], 6), movement("ci", "2025-03-05", ["CHN", "TWN"], 8),
                 movement("cz2", "2025-03-06", ["CHN"], 4)], daily={"2025-03-05": 6})
    runs = [solve(p).to_json() for _ in range(3)]
    for r in runs:
        r.pop("seconds")
    assert runs[0] == runs[1] == runs[2]
    out = solve(p).to_json()
    assert list(out) == ["assignments", "objective", "lower_bound", "seconds"]
    json.dumps(out)


# --------------------------------------------------------------------------- malformed input
GOOD = {"start_date": "2025-03-03", "horizon_days": 10, "daily_capacity": {"2025-03-04": 300},
        "people": [person(f"p{i}", "CHN", "2025-03-01") for i in range(13)],
        "movements": [movement("m", "2025-03-04", ["CHN"], 50)]}


def _set(path, value):
    def mutate(d):
        *head, last = path
        for k in head:
            d = d[k]
        if value is KeyError:
            del d[last]
        else:
            d[last] = value
    return mutate


@pytest.mark.parametrize(("mutate", "field", "words"), [
    (_set(["people", 12, "ready_date"], "2025-02-30"), "people[12].ready_date", 'not a date: "2025-02-30"'),
    (_set(["people", 3, "ready_date"], "3/3/2025"), "people[3].ready_date", "not a date"),
    (_set(["people", 0, "destination"], KeyError), "people[0].destination", "missing"),
    (_set(["people", 0, "destination"], "cn"), "people[0].destination", "alpha-3"),
    (_set(["people", 1, "weight"], -1), "people[1].weight", "0 or more"),
    (_set(["people", 1, "weight"], "1"), "people[1].weight", "not a number"),
    (_set(["people", 1, "weight"], True), "people[1].weight", "not a number"),
    (_set(["people", 2, "id"], "p1"), "people[2].id", "duplicate"),
    (_set(["people", 2, "id"], 7), "people[2].id", "string"),
    (_set(["people", 2, "group"], 5), "people[2].group", "group id"),
    (_set(["people", 2, "group"], ""), "people[2].group", "group id"),
    (_set(["people", 2, "group"], ["a"]), "people[2].group", "group id"),
    (_set(["people", 4], "p4"), "people[4]", "not an object"),
    (_set(["people"], {}), "people", "not a list"),
    (_set(["people"], KeyError), "people", "missing"),
    (_set(["movements", 0, "capacity"], "fifty"), "movements[0].capacity", "whole number"),
    (_set(["movements", 0, "capacity"], 2.5), "movements[0].capacity", "whole number"),
    (_set(["movements", 0, "capacity"], -3), "movements[0].capacity", "0 or more"),
    (_set(["movements", 0, "capacity"], KeyError), "movements[0].capacity", "missing"),
    (_set(["movements", 0, "date"], "2025-13-01"), "movements[0].date", "not a date"),
    (_set(["movements", 0, "destinations"], []), "movements[0].destinations", "empty"),
    (_set(["movements", 0, "destinations"], "CHN"), "movements[0].destinations", "not a list"),
    (_set(["movements", 0, "destinations"], ["CHN", "xx"]), "movements[0].destinations[1]", "alpha-3"),
    (lambda d: d["movements"].append(dict(d["movements"][0])), "movements[1].id", "duplicate"),
    (_set(["daily_capacity", "2025-03-04"], "300"), 'daily_capacity["2025-03-04"]', "whole number"),
    (_set(["daily_capacity", "2025-02-29"], 300), 'daily_capacity["2025-02-29"]', "not a date"),
    (_set(["daily_capacity"], [300]), "daily_capacity", "not an object"),
    (_set(["daily_capacity"], KeyError), "daily_capacity", "missing"),
    (_set(["start_date"], "2025-02-30"), "start_date", "not a date"),
    (_set(["start_date"], KeyError), "start_date", "missing"),
    (_set(["horizon_days"], "60"), "horizon_days", "whole number"),
    (_set(["horizon_days"], -1), "horizon_days", "0 or more"),
])
def test_malformed_input_names_the_field(mutate, field, words):
    data = copy.deepcopy(GOOD)
    mutate(data)
    with pytest.raises(ProblemError) as err:
        loads(json.dumps(data))
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert words in str(err.value)


@pytest.mark.parametrize(("text", "words"), [("{", "not valid JSON"), ("[]", "not an object"), ("", "not valid JSON"),
                                            (b"\xff\xfe{", "")])
def test_not_json_at_all(text, words):
    with pytest.raises(ProblemError) as err:
        loads(text)
    assert err.value.field == "input" and words in str(err.value)


def test_tolerated_inputs():
    data = copy.deepcopy(GOOD)
    del data["people"][0]["group"]  # absent group = no group
    data["movements"][0]["capacity"] = 50.0  # a whole float is a whole number
    data["extra"] = "ignored"
    data["people"][1]["destination"] = "XXA"  # ICAO code for a stateless person
    p = loads(json.dumps(data))
    assert p.people[0].group is None and p.movements[0].capacity == 50


# --------------------------------------------------------------------------- properties
DESTS = ["AAA", "BBB", "CCC"]
DAY0 = date(2025, 3, 3)


@st.composite
def problems(draw):
    n = draw(st.integers(0, 6))
    k = draw(st.integers(0, 3))
    people = [person(f"p{i}", draw(st.sampled_from(DESTS)), (DAY0 + timedelta(draw(st.integers(-3, 6)))).isoformat(),
                     weight=draw(st.one_of(st.integers(0, 4), st.floats(0, 4, allow_nan=False).map(lambda w: round(w, 3)))),
                     group=draw(st.sampled_from([None, None, "g1", "g2"])))
              for i in range(n)]
    movements = [movement(f"m{j}", (DAY0 + timedelta(draw(st.integers(-2, 9)))).isoformat(),
                          draw(st.lists(st.sampled_from(DESTS), min_size=1, max_size=3, unique=True)),
                          draw(st.integers(0, 4)))
                 for j in range(k)]
    daily = {(DAY0 + timedelta(d)).isoformat(): draw(st.integers(0, 4)) for d in draw(st.sets(st.integers(-2, 9), max_size=4))}
    return problem(people, movements, daily=daily, horizon=draw(st.integers(0, 8)))


def brute_force(p):
    ids = [q.id for q in p.people]
    best = None
    for choice in itertools.product([None, *[m.id for m in p.movements]], repeat=len(ids)):
        a = dict(zip(ids, choice, strict=True))
        if not violations(p, a):
            v = objective(p, a)
            best = v if best is None else min(best, v)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_solve_is_feasible_optimal_and_bounded(p):
    plan = check(p, solve(p))
    base = check(p, fcfs(p))
    assert plan.stats["fcfs_objective"] == base.objective  # the solver's baseline is the public FCFS plan
    if len(p.people) <= 5:
        best = brute_force(p)
        assert plan.objective == pytest.approx(best, abs=1e-6)
        assert plan.lower_bound <= best + 1e-9  # the bound is a bound on the true optimum
    assert plan.lower_bound == pytest.approx(plan.objective, abs=1e-6)  # solved to optimality


def test_objective_of_a_plan_with_unknown_movement_raises():
    p = problem([person("a", "AAA", "2025-03-03")], [])
    with pytest.raises(KeyError):
        objective(p, {"a": "nope"})
    assert violations(p, {"a": "nope"}) == ["a: unknown movement 'nope'"]
