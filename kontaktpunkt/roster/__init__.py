"""Duty roster: staff, shifts, demand and absences; the CP-SAT solver, an independent validator, a
greedy baseline, figures and the re-plan after a sick call. Pure Python; no models yet."""
