"""Duty roster: staff, shifts, demand and absences; the CP-SAT solver, an independent validator, a
greedy baseline, figures and the re-plan after a sick call (pure Python), and the Django app around
them: models, services, the roster grid, exports and calendar feeds (see docs/architecture.md)."""
