"""Columns of a performance table by their header: which column holds the weight, the
indicator, the algorithm, the values..., in whatever order the table prints them.

The content-based reading of `performance` expects a row's cells in the corpus order (weight,
KPI code, indicator, DESCRIZIONE, algorithm, measures, actual, target). A table whose header
puts them in another order, or prints the area and objectives in columns of their own, has
its rows arranged by the header's roles first, when the row stands in the header's columns
(one cell per header column, a weight under PESO).
"""

from __future__ import annotations

from ..numbers import is_weight

# the value columns in the order the content-based reading expects
CANONICAL = ("weight", "kpi", "name", "descr", "algorithm", "measures", "actual", "target")
_WORDS = (  # (role, words of a header cell that give it), first match wins
    ("measures", ("VALORI", "MISURE", "MISURA")),
    ("target", ("TARGET", "ATTESO")),  # before 'VALORE': 'Valore atteso' is the target
    ("actual", ("CONSUNTIVO", "RISULTATO", "VALORE RAGGIUNTO", "VALORE")),
    ("algorithm", ("ALGORITMO", "FORMULA", "MODALITÀ DI CALCOLO", "METODO DI CALCOLO")),
    ("descr", ("DESCRIZIONE",)),
    ("kpi", ("CODICE", "KPI", "COD.")),
    ("name", ("INDICATORE", "INDICATORI")),
    ("weight", ("PESO",)),
    ("context", ("RAGGRUPPAMENTO", "AMBITO", "OBIETTIVO", "OGGETTO", "AREA")),
)


def header_roles(cells: tuple[str, ...]) -> tuple[str, ...]:
    """The role of each header cell ('' when unknown). Of two PESO columns the last is the
    objective's weight (wherever the value columns stand); a lone PESO after the TARGET is too."""
    roles: list[str] = []
    for cell in cells:
        upper = " ".join(cell.upper().split())
        roles.append(next((r for r, words in _WORDS if upper and any(w in upper for w in words)), ""))
    weights = [i for i, r in enumerate(roles) if r == "weight"]
    if len(weights) >= 2:
        roles[weights[-1]] = "objective_weight"
    elif weights and "target" in roles[: weights[0]]:
        roles[weights[0]] = "objective_weight"
    return tuple(roles)


def needs_arranging(roles: tuple[str, ...]) -> bool:
    """The header has columns of context, or its value columns are not in the corpus order."""
    values = [r for r in roles if r in CANONICAL]
    order = sorted(values, key=CANONICAL.index)
    return "context" in roles or values != order


def arrange(roles: tuple[str, ...], cells: list[str]) -> tuple[list[str], list[str], str | None] | None:
    """(context cells, value cells in the corpus order, objective weight) of a row that stands
    in the header's columns, or None when it does not (then it is read by content)."""
    if len(cells) != len(roles) or "weight" not in roles:
        return None
    if not is_weight(cells[roles.index("weight")]):
        return None
    if any(is_weight(cell) for role, cell in zip(roles, cells) if role == "context"):
        return None  # a weight under a context column: the row is not in the header's columns
    by_role: dict[str, str] = {}
    context: list[str] = []
    objective_weight = None
    for role, cell in zip(roles, cells):
        if not cell:
            continue
        if role == "context":
            context.append(cell)
        elif role == "objective_weight":
            objective_weight = cell
        elif role in CANONICAL and role not in by_role:
            by_role[role] = cell
    return context, [by_role.get(r, "") for r in CANONICAL], objective_weight
