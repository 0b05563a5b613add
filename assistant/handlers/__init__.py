"""Deterministic answers, one handler per kind of plan; `registry.route(plan)` picks one."""
