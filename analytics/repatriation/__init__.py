"""Repatriation planning: who boards which charter, military flight or bus, and when (no Django)."""

from .planner import Plan, fcfs, objective, solve, violations
from .problem import Movement, Person, Problem, ProblemError, loads, parse

__all__ = ["Movement", "Person", "Plan", "Problem", "ProblemError", "fcfs", "loads", "objective", "parse", "solve",
           "violations"]
