"""The web side: ``app`` (create_app), ``db`` (the app's library, ``lib()``), ``pages`` (library,
reader, imports, progress), ``edit`` (corrections in place), ``models``, ``downloads``, ``api``
(JSON), ``security`` (CSRF, same-origin, headers), ``errors`` (one handler), ``filters``
(template filters and the vocabulary) and ``worker`` (the in-process job worker)."""
