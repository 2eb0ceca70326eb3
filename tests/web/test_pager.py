"""The pager the list pages share (web/_pager.html): links keep the list's parameters."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def pager(number: int, **context: object) -> str:
    page = Paginator(list(range(60)), 25).page(number)
    return render_to_string("web/_pager.html", {"page": page, **context})


def test_one_page_needs_no_pager():
    page = Paginator(list(range(10)), 25).page(1)
    assert render_to_string("web/_pager.html", {"page": page}).strip() == ""


def test_the_middle_page_links_both_ways_keeping_the_lists_parameters():
    html = pager(2, query="status=open")
    assert 'href="?status=open&amp;page=1" rel="prev"' in html
    assert 'href="?status=open&amp;page=3" rel="next"' in html
    assert "Page 2 of 3" in html and ">Previous<" in html and ">Next<" in html


def test_without_parameters_the_links_carry_the_page_only_and_words_can_change():
    html = pager(1, previous="Newer", next="Older")
    assert 'href="?page=2" rel="next"' in html and ">Older<" in html
    assert 'rel="prev"' not in html


def test_a_parameter_from_the_request_is_escaped():
    assert 'href="?status=%22&gt;&amp;page=1"' not in pager(2, query='status=">')
    assert "status=&quot;&gt;&amp;page=1" in pager(2, query='status=">')
