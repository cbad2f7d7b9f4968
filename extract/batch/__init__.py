"""Batch mode: the OpenAI Batch API for bulk runs at half price.

``prepare`` writes the requests the live LLM reader would send (one per chunk not yet
answered), ``submit``/``status``/``download`` move them through the Files and Batches
APIs, and ``collect`` validates the answers as the live reader does, fills the LLM cache
and writes the same outputs as ``foi-extract run``. Prepare and collect need only files,
so answers produced elsewhere (another machine, another provider) can be ingested.
"""
