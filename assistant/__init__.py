"""The answering side: store, index, question plan, handlers, drafts, CLI and app data."""

import os

# torch's OpenMP threads spin while they wait for each other by default; with another process
# on the same cores (the app beside an ingestion, a busy server) they then burn the CPU they wait
# for: on 2 cores at load 3 an embedding batch took 5,4 s instead of 2,4 s and a question's vector
# 110 ms instead of 19 ms. Set before torch is first imported (it is imported lazily, by the index).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# pydantic looks for plugins (entry points of every installed distribution, about 200 here with
# torch, langchain and chromadb) when it builds its first model: 25-40 ms of each command's
# start (bench/startup.py). The app uses none; setting the variable (even empty) keeps them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
