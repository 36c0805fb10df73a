"""Segmenting: each block of an imported article becomes its sentences.

``sentences`` splits a block's text into sentences that concatenate back to it exactly;
``article`` is the in-memory shape (blocks, left-out blocks, metadata) handed to storage. How a
file becomes blocks is each format reader's business (``webapp.importing.readers``).
"""
