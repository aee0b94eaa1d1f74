"""Repatriation planning: who boards which movement (pure Python + OR-Tools, no Django).

Objective (minimised): the sum over people of ``weight × (departure date − ready date)`` in days, where a
person left unassigned counts as departing on ``end = start_date + horizon_days``.

Rewriting one person's cost as ``w·(end − ready) + w·(departure − end)`` when assigned shows that the
first part is a constant of the problem and that the choice only changes ``w·(date − end)`` per person
moved, which does not depend on the ready date. The optimiser therefore works on *classes*:

- a *unit* is a single person, or a whole group (size = members, destinations = the union, ready = the
  latest member's ready date, weight = the sum of the members' weights): a group boards one movement or
  none, and that movement must serve every member's destination;
- units with the same size, weight and set of eligible movements (dated on/after the unit's ready date,
  serving all its destinations, big enough) are interchangeable, so they form one class with a count.

MIP (SCIP through ``pywraplp``): ``x[c, m]`` integer ≥ 0 for eligible pairs with ``w·(date − end) < 0``;
``Σ_m x[c, m] ≤ count_c``; ``Σ_c size_c·x[c, m] ≤ capacity_m``; for each limited day,
``Σ size·x`` over that day's movements ≤ the day's capacity. Without groups the matrix is a network
matrix (class → movement → day), so the LP optimum is integral; groups make it a (small) knapsack-like MIP.
The first-come-first-served plan is passed as a hint and kept if the solver, stopped by its time limit,
has nothing better, so ``solve`` is never worse than ``fcfs``. ``lower_bound`` is the solver's proven
bound plus the constant (rounded up when all weights are whole numbers, never above the objective).

After the optimisation, people of weight 0 (whose boarding changes nothing) are put on the earliest
movements with seats and day capacity left, so nobody is left behind for no reason.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .problem import Movement, Person, Problem


@dataclass
class Plan:
    assignments: dict[str, str]  # person id -> movement id; unassigned people are absent
    objective: float
    lower_bound: float | None
    seconds: float
    status: str = "optimal"  # optimal | feasible (time limit) | heuristic (fcfs)
    stats: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The contract output: exactly ``assignments``, ``objective``, ``lower_bound``, ``seconds``."""
        return {"assignments": dict(self.assignments), "objective": _number(self.objective),
                "lower_bound": None if self.lower_bound is None else _number(self.lower_bound),
                "seconds": round(self.seconds, 3)}


def _number(x: float) -> float | int:
    x = round(x, 6)
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


# --------------------------------------------------------------------------- evaluation
def _days(a: date, b: date) -> int:
    return (a - b).days


def objective(problem: Problem, assignments: Mapping[str, str | None]) -> float:
    """The contract objective of ``assignments`` (person id -> movement id, or None / absent = unassigned).

    Does not check feasibility (see :func:`violations`); unknown movement ids raise ``KeyError``.
    """
    by_id = {m.id: m for m in problem.movements}
    end = problem.end_date
    total = 0.0
    for p in problem.people:
        mid = assignments.get(p.id)
        departure = end if mid is None else by_id[mid].date
        total += p.weight * _days(departure, p.ready_date)
    return total


def violations(problem: Problem, assignments: Mapping[str, str | None]) -> list[str]:
    """Every broken rule of ``assignments``, as readable strings; empty when the plan is feasible."""
    out: list[str] = []
    people = {p.id: p for p in problem.people}
    by_id = {m.id: m for m in problem.movements}
    load: dict[str, int] = defaultdict(int)
    day_load: dict[date, int] = defaultdict(int)
    for pid, mid in assignments.items():
        if mid is None:
            continue
        p, m = people.get(pid), by_id.get(mid)
        if p is None:
            out.append(f"unknown person {pid!r}")
            continue
        if m is None:
            out.append(f"{pid}: unknown movement {mid!r}")
            continue
        if m.date < p.ready_date:
            out.append(f"{pid}: movement {mid} on {m.date} is before the ready date {p.ready_date}")
        if p.destination not in m.destinations:
            out.append(f"{pid}: movement {mid} does not serve {p.destination}")
        load[mid] += 1
        day_load[m.date] += 1
    for mid, n in load.items():
        if n > by_id[mid].capacity:
            out.append(f"movement {mid}: {n} people for {by_id[mid].capacity} seats")
    for day, n in day_load.items():
        limit = problem.day_limit(day)
        if limit is not None and n > limit:
            out.append(f"{day}: {n} departures for a daily capacity of {limit}")
    groups: dict[str, set] = defaultdict(set)
    for p in problem.people:
        if p.group is not None:
            groups[p.group].add(assignments.get(p.id))
    for gid, mids in sorted(groups.items()):
        if len(mids) > 1:
            out.append(f"group {gid}: members split over {sorted(map(str, mids))}")
    return out


# --------------------------------------------------------------------------- units
@dataclass
class _Unit:
    members: tuple[Person, ...]
    destinations: frozenset[str]
    ready: date
    weight: float
    key: tuple  # (ready, smallest member id): the first-come-first-served order

    @property
    def size(self) -> int:
        return len(self.members)


def _units(problem: Problem) -> list[_Unit]:
    groups: dict[str, list[Person]] = {}
    units: list[_Unit] = []
    for p in problem.people:
        if p.group is None:
            units.append(_Unit((p,), frozenset((p.destination,)), p.ready_date, p.weight, (p.ready_date, p.id)))
        else:
            groups.setdefault(p.group, []).append(p)
    for members in groups.values():
        ready = max(m.ready_date for m in members)
        units.append(_Unit(tuple(members), frozenset(m.destination for m in members), ready,
                           math.fsum(m.weight for m in members), (ready, min(m.id for m in members))))
    units.sort(key=lambda u: u.key)
    return units


def _sorted_movements(problem: Problem) -> list[Movement]:
    return sorted(problem.movements, key=lambda m: (m.date, m.id))


def _eligible(unit: _Unit, movements: list[Movement], problem: Problem) -> tuple[int, ...]:
    out = []
    for j, m in enumerate(movements):
        if m.date < unit.ready or m.capacity < unit.size or not unit.destinations <= m.destinations:
            continue
        limit = problem.day_limit(m.date)
        if limit is not None and limit < unit.size:
            continue
        out.append(j)
    return tuple(out)


# --------------------------------------------------------------------------- first come, first served
def fcfs(problem: Problem) -> Plan:
    """People in ready-date order, then id (a group at its latest member's ready date and smallest id, all
    together); each takes the earliest movement (date, then id) that serves it, is on or after its ready
    date and still has the seats and the day capacity. Movements after the horizon are taken too."""
    return _fcfs(problem, _units(problem), _sorted_movements(problem))


def _fcfs(problem: Problem, units: list[_Unit], movements: list[Movement]) -> Plan:
    t0 = time.perf_counter()
    seats = [m.capacity for m in movements]
    day_left = dict(problem.daily_capacity)
    assignments: dict[str, str] = {}
    for unit in units:
        for j in _eligible(unit, movements, problem):
            m = movements[j]
            if seats[j] < unit.size:
                continue
            limit = day_left.get(m.date)
            if limit is not None and limit < unit.size:
                continue
            seats[j] -= unit.size
            if limit is not None:
                day_left[m.date] = limit - unit.size
            for p in unit.members:
                assignments[p.id] = m.id
            break
    assignments = _in_input_order(problem, assignments)
    return Plan(assignments, objective(problem, assignments), None, time.perf_counter() - t0, "heuristic")


def _in_input_order(problem: Problem, assignments: Mapping[str, str]) -> dict[str, str]:
    return {p.id: assignments[p.id] for p in problem.people if assignments.get(p.id) is not None}


# --------------------------------------------------------------------------- optimum
def solve(problem: Problem, time_limit: float = 8.0, solver_name: str = "SCIP") -> Plan:
    """The optimal plan (or the best found within ``time_limit`` seconds), with a proven lower bound."""
    t0 = time.perf_counter()
    from ortools.linear_solver import pywraplp

    movements = _sorted_movements(problem)
    end = problem.end_date
    units = _units(problem)
    constant = math.fsum(p.weight * _days(end, p.ready_date) for p in problem.people)
    integral = all(p.weight.is_integer() for p in problem.people)

    # classes of interchangeable units: (size, weight, eligible movements with a negative cost)
    classes: dict[tuple, list[_Unit]] = {}
    for unit in units:
        useful = tuple(j for j in _eligible(unit, movements, problem)
                       if unit.weight * _days(movements[j].date, end) < 0)
        if useful:
            classes.setdefault((unit.size, unit.weight, useful), []).append(unit)

    baseline = _fcfs(problem, units, movements)
    stats = {"people": len(problem.people), "units": len(units), "classes": len(classes), "variables": 0,
             "fcfs_objective": baseline.objective}
    if not classes:
        return _finish(problem, movements, units, {}, constant, baseline, t0, stats, integral, bound=0.0,
                       status="optimal")

    solver = pywraplp.Solver.CreateSolver(solver_name)
    if solver is None:  # pragma: no cover - every OR-Tools wheel has SCIP and CBC
        solver = pywraplp.Solver.CreateSolver("CBC")
    infinity = solver.infinity()
    x: dict[tuple[int, int], object] = {}
    by_movement: dict[int, list[tuple[int, object]]] = defaultdict(list)
    cls_list = list(classes.items())
    obj = solver.Objective()
    for c, ((size, weight, useful), members) in enumerate(cls_list):
        count = len(members)
        row = solver.RowConstraint(-infinity, count, f"class{c}")
        for j in useful:
            ub = min(count, movements[j].capacity // size)
            limit = problem.day_limit(movements[j].date)
            if limit is not None:
                ub = min(ub, limit // size)
            if ub <= 0:
                continue
            var = solver.IntVar(0, ub, f"x{c}_{j}")
            x[c, j] = var
            row.SetCoefficient(var, 1)
            obj.SetCoefficient(var, weight * _days(movements[j].date, end))
            by_movement[j].append((size, var))
    obj.SetMinimization()
    by_day: dict[date, list[int]] = defaultdict(list)
    for j, terms in by_movement.items():
        if sum(s * v.ub() for s, v in terms) > movements[j].capacity:
            row = solver.RowConstraint(-infinity, movements[j].capacity, f"m{j}")
            for s, v in terms:
                row.SetCoefficient(v, s)
        by_day[movements[j].date].append(j)
    for day, js in by_day.items():
        limit = problem.day_limit(day)
        if limit is None:
            continue
        terms = [(s, v) for j in js for s, v in by_movement[j]]
        if sum(min(movements[j].capacity, sum(s * v.ub() for s, v in by_movement[j])) for j in js) <= limit:
            continue
        row = solver.RowConstraint(-infinity, limit, f"d{day}")
        for s, v in terms:
            row.SetCoefficient(v, s)
    stats["variables"] = len(x)

    # the FCFS plan as a hint (restricted to useful pairs; it is feasible there)
    hint_counts: dict[tuple[int, int], int] = defaultdict(int)
    j_of = {m.id: j for j, m in enumerate(movements)}
    class_of = {id(u): c for c, (_, members) in enumerate(cls_list) for u in members}
    for unit in units:
        mid = baseline.assignments.get(unit.members[0].id)
        c = class_of.get(id(unit))
        if mid is not None and c is not None and (c, j_of[mid]) in x:
            hint_counts[c, j_of[mid]] += 1
    if hint_counts:
        keys = sorted(x)
        solver.SetHint([x[k] for k in keys], [float(hint_counts.get(k, 0)) for k in keys])

    solver.SetNumThreads(1)
    remaining = max(0.1, time_limit - (time.perf_counter() - t0))
    solver.SetTimeLimit(int(remaining * 1000))
    params = pywraplp.MPSolverParameters()
    params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 1e-9)
    result = solver.Solve(params)
    if result in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        status = "optimal" if result == pywraplp.Solver.OPTIMAL else "feasible"
        counts = {k: round(v.solution_value()) for k, v in x.items() if round(v.solution_value()) > 0}
        bound = solver.Objective().BestBound()
    else:  # no solution within the limit: keep FCFS; bound: each class at its best movement, capacities ignored
        status, counts = "feasible", None
        bound = math.fsum(len(members) * min(0.0, weight * min(_days(movements[j].date, end) for j in useful))
                          for (_, weight, useful), members in cls_list)
    stats["solver_status"] = int(result)
    assignments: dict[str, str] | None = None
    if counts is not None:
        assignments = {}
        taken: dict[int, int] = defaultdict(int)
        for c, j in sorted(counts):  # movements are sorted by (date, id): earlier-ready units board earlier
            n, members = counts[c, j], cls_list[c][1]
            start, taken[c] = taken[c], taken[c] + n
            for unit in members[start:start + n]:
                for p in unit.members:
                    assignments[p.id] = movements[j].id
    return _finish(problem, movements, units, assignments, constant, baseline, t0, stats, integral, bound, status)


def _finish(problem: Problem, movements: list[Movement], units: list[_Unit], assignments: dict[str, str] | None,
            constant: float, baseline: Plan, t0: float, stats: dict, integral: bool, bound: float | None,
            status: str) -> Plan:
    if assignments is None or objective(problem, assignments) > baseline.objective:
        assignments, status = dict(baseline.assignments), "feasible"
    assignments = _fill_free(problem, movements, units, assignments)
    assignments = _in_input_order(problem, assignments)
    value = objective(problem, assignments)
    lower = None
    if bound is not None:
        lower = constant + bound
        lower -= 1e-9 * max(1.0, abs(lower))  # solver tolerances: stay on the safe side
        if integral:
            lower = math.ceil(lower - 1e-6)
        lower = min(lower, value)
    stats["status"] = status
    return Plan(assignments, value, lower, time.perf_counter() - t0, status, stats)


def _fill_free(problem: Problem, movements: list[Movement], units: list[_Unit],
               assignments: dict[str, str]) -> dict[str, str]:
    """Put unassigned units whose boarding costs nothing (weight 0, movement on or before the horizon end)
    on the earliest movements that still have room; the objective does not change."""
    assignments = dict(assignments)
    free = [u for u in units if u.weight == 0 and u.members[0].id not in assignments]
    if not free:
        return assignments
    by_id = {m.id: j for j, m in enumerate(movements)}
    seats = [m.capacity for m in movements]
    day_left = dict(problem.daily_capacity)
    for mid in assignments.values():
        j = by_id[mid]
        seats[j] -= 1
        if movements[j].date in day_left:
            day_left[movements[j].date] -= 1
    end = problem.end_date
    for unit in free:
        for j in _eligible(unit, movements, problem):
            m = movements[j]
            if m.date > end or seats[j] < unit.size:
                continue
            limit = day_left.get(m.date)
            if limit is not None and limit < unit.size:
                continue
            seats[j] -= unit.size
            if limit is not None:
                day_left[m.date] = limit - unit.size
            for p in unit.members:
                assignments[p.id] = m.id
            break
    return assignments
