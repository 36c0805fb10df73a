"""Segmenting: an article body becomes ordered blocks, and each block its sentences.

``blocks`` walks HTML, Markdown or plain text into blocks; ``rules`` holds the judgement calls
(boilerplate, captions, headings, bylines); ``sentences`` splits a block's text into sentences
that concatenate back to it exactly; ``article`` is the in-memory shape handed to storage.
"""
