"""The HTTP shell: one handler module per resource, the request pipeline, errors and the document.

``app.py`` holds the route tables; ``shapes/`` every JSON shape; ``http.py`` the pipeline every
route shares; ``errors.py`` the statuses; ``server.py`` what the shell needs of ``MockServer``.
"""
