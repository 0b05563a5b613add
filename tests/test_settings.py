"""Settings read RELAZIONE_<FIELD> from the environment (any case), under the values given to
the constructor; pydantic converts and checks the strings (assistant/settings.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings


def test_fields_come_from_prefixed_environment_variables_converted_by_type(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAZIONE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RELAZIONE_RRF_K", "7.5")
    monkeypatch.setenv("RELAZIONE_MAX_PDF_PAGES", "12")
    monkeypatch.setenv("RELAZIONE_BAND_ACHIEVED_FROM", "95")
    monkeypatch.setenv("RELAZIONE_SCORING_METHOD", "binary")
    monkeypatch.setenv("RELAZIONE_LLM_API_KEY", "sk-segreta")
    s = Settings()
    assert s.data_dir == tmp_path and isinstance(s.data_dir, Path)
    assert s.rrf_k == 7.5 and s.max_pdf_pages == 12 and s.band_achieved_from == Decimal(95)
    assert s.scoring_method == "binary" and s.policy().method == "binary"
    assert s.llm_api_key is not None and s.llm_api_key.get_secret_value() == "sk-segreta"
    assert "sk-segreta" not in repr(s)


def test_names_are_case_insensitive_and_unknown_variables_ignored(monkeypatch):
    monkeypatch.setenv("relazione_chroma_collection", "altra")
    monkeypatch.setenv("RELAZIONE_NON_ESISTE", "x")
    s = Settings()
    assert s.chroma_collection == "altra"
    assert not hasattr(s, "non_esiste")


def test_constructor_values_win_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RELAZIONE_DATA_DIR", "/non/usata")
    monkeypatch.setenv("RELAZIONE_LLM", "ollama:qwen2.5:7b")
    s = Settings(data_dir=tmp_path)
    assert s.data_dir == tmp_path
    assert s.llm == "ollama:qwen2.5:7b"  # the other fields still read the environment


def test_defaults_without_environment(monkeypatch):
    for name in ("RELAZIONE_LLM", "RELAZIONE_RRF_K", "RELAZIONE_SCORING_METHOD"):
        monkeypatch.delenv(name, raising=False)
    s = Settings()
    assert s.llm is None and s.rrf_k == 5.0 and s.scoring_method == "proportional"


@pytest.mark.parametrize(("name", "value"), [("RELAZIONE_RRF_K", "zero"), ("RELAZIONE_RRF_K", "0"),
                                             ("RELAZIONE_SCORING_METHOD", "a caso"), ("RELAZIONE_MAX_CSV_ROWS", "1.5")])
def test_a_bad_value_is_refused_naming_the_field(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=name.removeprefix("RELAZIONE_").lower()):
        Settings()
