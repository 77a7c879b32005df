"""The inspector: the page at ``/_mock/ui`` and the templates and style every HTML page shares.

Page shells are Jinja2 templates (``templates/``, autoescaped); the live panels are plain
JavaScript modules (``static/js/``) that read the mock's own JSON control API. Nothing is fetched
from outside the package: no CDN, no build step.
"""
