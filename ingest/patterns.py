"""Compiled regular expressions kept between processes, as Python keeps a module's bytecode.

`re.compile` parses a pattern and turns it into a program for the regex engine (`_sre`), in
pure Python, in every new process: the question parser's 83 cue patterns and the modules an
answer imports take about 30 ms of a cold `relazione ask`, a tenth of a bare
`import sqlalchemy, pydantic, typer` (`bench/startup.py`). `compiled` does what
`re.compile` does (`re._compiler.compile`: parse, generate the program, then `_sre.compile`),
and keeps each program in one file beside this module's bytecode
(`__pycache__/patterns.<interpreter>.marshal`): a later process builds the same Pattern from
the program, without parsing. The file holds plain data (marshal: numbers, strings; never
code), a checksum, and the interpreter's version and regex engine's MAGIC: a file written by
another Python, damaged or not matching is ignored and rewritten. `_sre.compile` validates a
program as it does for `re.compile`. Anything unexpected (another interpreter, a read-only
installation, PYTHONDONTWRITEBYTECODE) only costs the plain `re.compile`.

Only patterns compiled once per process at import go through here; patterns built from data
at run time use `re` as usual.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from pathlib import Path

_BOOK = Path(__file__).resolve().parent / "__pycache__" / f"patterns.{sys.implementation.cache_tag}.marshal"
_MAX_PROGRAMS = 4000  # the app's own patterns are a few hundred: a bound, not a working size
_lock = threading.Lock()
_programs: dict[tuple[str, int], tuple] | None = None  # (pattern, flags) -> what _sre.compile takes
_added = False


try:  # `re`'s parser and code generator, and its engine: CPython's, named as in 3.11+
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python: `compiled` is `re.compile`
    _sre = _compiler = _parser = None


def _stamp() -> str:
    return f"{sys.version}|{_sre.MAGIC}"


def _load() -> dict[tuple[str, int], tuple]:
    try:
        data = _BOOK.read_bytes()
    except OSError:
        return {}
    digest, body = data[:32], data[32:]
    if hashlib.sha256(body).digest() != digest:
        return {}
    try:
        stamp, programs = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return {}
    return programs if stamp == _stamp() and isinstance(programs, dict) else {}


def _save() -> None:
    """Write the programs (merged with what another process wrote meanwhile), atomically."""
    if not _added or _programs is None or sys.dont_write_bytecode:
        return
    with _lock:
        programs = {**_load(), **_programs}
        if len(programs) > _MAX_PROGRAMS:
            programs = dict(list(_programs.items())[-_MAX_PROGRAMS:])
        body = marshal.dumps((_stamp(), programs))
        tmp = None
        try:
            _BOOK.parent.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=_BOOK.parent, suffix=".tmp", delete=False) as f:
                tmp = f.name
                f.write(hashlib.sha256(body).digest() + body)
            os.chmod(tmp, 0o644)  # readable like the bytecode beside it (the temporary file is private)
            os.replace(tmp, _BOOK)
        except OSError:  # a read-only installation: the next process compiles again
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the program an earlier process kept when there is one."""
    global _programs, _added
    if _sre is None:
        return re.compile(pattern, flags)
    flags = int(flags)
    with _lock:
        if _programs is None:
            _programs = _load()
            atexit.register(_save)
        program = _programs.get((pattern, flags))
    if program is not None:
        try:
            return _sre.compile(pattern, *program)
        except (RuntimeError, TypeError, ValueError):  # not a program this engine takes
            pass
    try:  # re._compiler.compile, keeping what it hands to the engine
        parsed = _parser.parse(pattern, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]  # opcodes are int subclasses
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        program = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        result = _sre.compile(pattern, *program)
    except re.error:
        raise
    except Exception:  # another `re` inside: its own compile
        return re.compile(pattern, flags)
    with _lock:
        _programs[(pattern, flags)] = program
        _added = True
    return result
