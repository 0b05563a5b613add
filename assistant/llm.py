"""Optional language model (langchain): it rewrites a verified deterministic text, and the
verifier gates what it returns.

RELAZIONE_LLM names the model, e.g. `ollama:qwen2.5:7b` or `openai:<model>` (with
RELAZIONE_LLM_BASE_URL for any OpenAI-compatible server: vLLM, llama.cpp, LM Studio). The
model gets the facts, the passages (wrapped as data, never as instructions) and the
deterministic text; its output must keep every footnote reference of that text and every
number must match a fact. On failure it is asked once more, naming the problems; then the
deterministic text is used and the user is told so.

langchain is imported when a model is configured and used, never before: a deterministic
answer does not pay for it (tests/test_imports.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from .settings import REPO_ROOT, Settings
from .writer import Writer

if TYPE_CHECKING:
    from jinja2 import Environment
    from langchain_core.language_models import BaseChatModel

PROMPTS = REPO_ROOT / "prompts"
_REF_RE = re.compile(r"\[\^([\w.-]+)\](?!:)")


def prompt_env(path: Path = PROMPTS) -> "Environment":
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # drafts and rewrites only

    return Environment(
        loader=FileSystemLoader(str(path)), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False,
    )


def chat_model(settings: Settings) -> "BaseChatModel | None":
    """The configured chat model, or None. `provider:model`, e.g. 'ollama:qwen2.5:7b'."""
    if not settings.llm:
        return None
    from langchain.chat_models import init_chat_model

    provider, _, model = settings.llm.partition(":")
    if not model:
        provider, model = "openai", provider
    kwargs: dict = {"temperature": 0, "timeout": settings.llm_timeout_s}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    elif provider == "openai" and settings.llm_base_url:
        kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers ignore it
    if provider == "ollama":
        kwargs.pop("timeout", None)
    return init_chat_model(model, model_provider=provider, **kwargs)


class Rewrite(BaseModel):
    model_config = ConfigDict(frozen=True)

    body: str
    used_llm: bool
    attempts: int
    note: str | None = None
    problems: list[str] = []


def _text_of(message) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content).strip()


class Rewriter:
    def __init__(self, model: "BaseChatModel", env: "Environment | None" = None):
        self.model = model
        self.env = env or prompt_env()

    def rewrite(self, task: str, body: str, writer: Writer) -> Rewrite:
        """Rewrite `body` (verified, with footnote references) under the verifier's gate."""
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        facts = []
        for item in writer.sources():
            if item.kind == "dato":
                fact_id = writer.citations().facts[item.label]
                fact = writer.book[fact_id]
                facts.append({"label": item.label, "value": fact.text(), "description": fact.label})
        passages = [{"where": s.where, "text": s.text} for s in writer.sources() if s.kind == "passaggio"]
        system = self.env.get_template("llm_system.md.j2").render()
        user = self.env.get_template("llm_rewrite.md.j2").render(task=task, facts=facts, passages=passages, text=body)
        messages = [SystemMessage(system), HumanMessage(user)]
        required = set(_REF_RE.findall(body))
        problems: list[str] = []
        for attempt in (1, 2):
            try:
                reply = self.model.invoke(messages)
            except Exception as exc:  # an unreachable server must not break the answer
                return Rewrite(body=body, used_llm=False, attempts=attempt,
                               note=f"Modello linguistico non raggiungibile ({type(exc).__name__}): risposta deterministica.")
            candidate = _strip_footnotes(_text_of(reply))
            problems = self._problems(candidate, required, writer)
            if not problems:
                return Rewrite(body=candidate, used_llm=True, attempts=attempt)
            messages += [AIMessage(candidate), HumanMessage(self.env.get_template("llm_retry.md.j2").render(problems=problems))]
        return Rewrite(
            body=body, used_llm=False, attempts=2, problems=problems,
            note="Il modello linguistico ha scritto numeri o rimandi non verificabili ("
            + "; ".join(problems[:5]) + "): mostro il testo deterministico, verificato.",
        )

    @staticmethod
    def _problems(candidate: str, required: set[str], writer: Writer) -> list[str]:
        problems: list[str] = []
        if not candidate:
            return ["risposta vuota"]
        missing = sorted(required - set(_REF_RE.findall(candidate)), key=lambda s: (len(s), s))
        if missing:
            problems.append("note mancanti: " + ", ".join(f"[^{m}]" for m in missing))
        check = writer.verify(candidate + "\n\n" + writer.footnotes())
        problems += [f"numero non verificato: {n}" for n in check.unmatched]
        problems += [f"numero diverso dal fatto citato: {n}" for n in check.wrong_references]
        problems += [f"citazione non fedele: {q}" for q in check.bad_quotes]
        problems += [f"nota inesistente: [^{n}]" for n in check.bad_footnotes]
        problems += [f"posizione non presente nelle fonti: {p}" for p in check.bad_locations]
        return problems


def _strip_footnotes(text: str) -> str:
    """Drop footnote definitions or a trailing 'Fonti' heading the model may have added."""
    lines = [ln for ln in text.split("\n") if not re.match(r"^\[\^[\w.-]+\]:", ln)]
    out = "\n".join(lines).rstrip()
    return re.sub(r"\n#+\s*Fonti\s*$", "", out).rstrip()
