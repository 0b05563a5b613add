"""The question plan: a typed reading of a question (act, scope, measure, output), one parser,
follow-ups, and the store's names it resolves against."""

from .catalog import Catalog, Name
from .model import QuestionPlan, Ref
from .parser import PlanParser

__all__ = ["Catalog", "Name", "PlanParser", "QuestionPlan", "Ref"]
