"""The JSON shapes of the API: one module per resource, each shape described once.

Where a new shape goes:

- a **request** body or query string: a ``Request`` subclass (``common.py``) in the module of its
  resource; it turns itself into a core command (``to_command``) or is read field by field.
- a **response** body: an ``Out`` subclass in the module of its resource, with a static ``of(...)``
  that builds an instance from domain objects with ``Class.build({...})`` (no re-validation; keys in
  the order they go on the wire; optional keys left out are left out of the body). The class is the
  only description: ``GET /openapi.json`` documents it and its own serializer writes the bytes
  (``common.wire_json``), so a key it does not declare, or a required one missing, fails instead of
  drifting. A nested shape is built with its own class too. Handlers name the class in
  ``@operation(responses=...)`` and answer with ``Class.of(...)``: one name for both.
- a new resource: a new module here, named for the resource, and its handlers in ``api/<resource>.py``.

Modules: ``common`` (bases, limits, time fields, error envelope), ``posts``, ``post_validation``,
``post_import``, ``media``, ``webhooks``, ``accounts``, ``brands``, ``account_details`` (pages, boards,
creator info, limits), ``connections`` (connect, exchange, redirect URIs and their control routes),
``events`` (the developer event log), ``control`` (the ``/_mock`` plane), ``journal`` (its request and
delivery filters, delivery records), ``verify``, ``sinks``, ``inspector`` (the reads the inspector page adds).
"""
