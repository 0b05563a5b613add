"""`python -m assistant`: the `relazione` program (see `assistant.launch`)."""

from .launch import main

main()
