"""Background work: the job queue (huey) and the worker processes that consume it.

The queue only says "there is work for job N"; our own tables (``storage.jobs``) hold what there
is to do, who is doing it (leases) and what is done, so a lost message or a killed worker loses
and repeats nothing. ``queue`` picks the queue's storage, ``consumer`` runs ``enface worker`` and
the server's embedded worker.
"""
