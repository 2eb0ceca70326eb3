"""The REST API (``/api/v1/``): token authentication with scopes, the access layer, problem details.

See ``docs/api.md``. The API is another edge, like ``web`` and ``cli``: it parses input, calls
the access policy, selectors and services below it, logs what it shows, and renders JSON.
"""
