"""Pages: parse the request, call one selector or service, render. No business rules here."""
